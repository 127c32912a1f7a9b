package fetch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecode(t *testing.T) {
	// 喆 and 堃 are outside GB2312; 䶮 is only in GB18030's four-byte range.
	// Pages labelled gb2312 carry them anyway, because the servers really
	// encode GBK/GB18030.
	const names = "当事人：张喆、李堃、王䶮"
	cases := []struct {
		name, ctype, forced string
		body                []byte
		want, charset       string
	}{
		{"utf-8 kept", "", "", []byte("<meta charset=gbk>行政处罚"), "行政处罚", "utf-8"},
		{"gbk bytes, meta only", "text/html",
			"", append([]byte(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body>`), gbk(t, "行政处罚决定书")...),
			"行政处罚决定书", "gb18030"},
		{"header contradicts (says utf-8), meta gb2312", "text/html; charset=utf-8",
			"", append([]byte(`<meta charset="gb2312">`), gbk(t, "泽州县市场监督管理局")...), "泽州县市场监督管理局", "gb18030"},
		{"gb2312 label with rare characters", "text/html; charset=gb2312",
			"", append([]byte(`<meta charset=gb2312>`), gbk(t, names)...), names, "gb18030"},
		{"no label at all: GB18030", "text/html", "", gbk(t, "抽检信息公告"), "抽检信息公告", "gb18030"},
		{"latin-1 default header ignored", "text/html; charset=ISO-8859-1", "", gbk(t, "公示"), "公示", "gb18030"},
		{"header names big5", "text/html; charset=big5", "", []byte{0xa4, 0xa4, 0xa4, 0xe5}, "中文", "big5"},
		{"forced charset", "text/html", "gbk", gbk(t, "高平市"), "高平市", "gb18030"},
		{"utf-8 BOM dropped", "", "", []byte("\xef\xbb\xbf公开"), "公开", "utf-8"},
	}
	for _, tc := range cases {
		got, cs := Decode(tc.body, tc.ctype, tc.forced)
		if !strings.HasSuffix(got, tc.want) || cs != tc.charset {
			t.Errorf("%s: got %q (%s), want suffix %q (%s)", tc.name, got, cs, tc.want, tc.charset)
		}
		if strings.ContainsRune(got, '\uFFFD') {
			t.Errorf("%s: replacement characters in %q", tc.name, got)
		}
	}
}

// End to end: the fetcher decodes what colly alone would mangle (a GBK
// page whose charset is only in <meta>, or whose header lies).
func TestFetchDecodesLegacyPages(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/meta-only":
			w.Header().Set("Content-Type", "text/html")
			w.Write(append([]byte(`<html><head><meta charset="gb2312"></head><body>`), gbk(t, "当事人：赵喆堃䶮")...))
		case "/header-lies":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(append([]byte(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=GBK"></head>`), gbk(t, "沁水县")...))
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			io.WriteString(w, "%PDF-1.4 binary")
		}
	}))
	defer srv.Close()
	f := newFetcher(t, fastHarvest(), srv)
	if r := get(t, f, srv.URL+"/meta-only"); !strings.Contains(r.HTML, "当事人：赵喆堃䶮") || r.Charset != "gb18030" {
		t.Errorf("meta-only: %q %s", r.HTML, r.Charset)
	}
	if r := get(t, f, srv.URL+"/header-lies"); !strings.Contains(r.HTML, "沁水县") {
		t.Errorf("header-lies: %q", r.HTML)
	}
	r, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/pdf", Kind: KindAttachment})
	if err != nil || r.HTML != "" || r.MediaType != "application/pdf" || string(r.Body) != "%PDF-1.4 binary" {
		t.Errorf("binary body must stay raw: %v %q %s", err, r.HTML, r.MediaType)
	}
}
