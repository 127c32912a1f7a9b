package credit

import "testing"

// The count of a result page often sits in its own element; a zero there is
// a recognised answer (nothing listed), not an unknown page.
func TestParseSearchRecognisesZeroResultsAcrossElements(t *testing.T) {
	pages := map[string]string{
		"count element": `<html><body><form><input name="geetest_challenge"></form><div class="search_result"><div class="search_title">找到 <span class="search_result_num">0</span> 条结果</div></div></body></html>`,
		"spaced text":   `<html><body><div class="main-layout"><p>共 0 条</p></div></body></html>`,
	}
	for name, body := range pages {
		p := ParseSearch("http://127.0.0.1/corp-query-search-1.html", body)
		if !p.Recognised || len(p.Results) != 0 || p.Reason != "" {
			t.Errorf("%s: %+v, want a recognised page with no results", name, p)
		}
	}
	captcha := `<html><body><div class="geetest_holder"></div></body></html>`
	if p := ParseSearch("http://127.0.0.1/", captcha); p.Recognised || p.Reason != "需要验证码" {
		t.Errorf("captcha page: %+v", p)
	}
}
