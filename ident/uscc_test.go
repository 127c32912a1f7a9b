package ident

import (
	"bufio"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

// domainValid are the codes listed in reference/domain.md.
var domainValid = []string{"91110000600037341L", "91310000631696382C", "91440300568520498A",
	"121200004013590816", "91310115MA1K3BTP2B", "92340602MA2PBMEM24", "9144030071526726XG"}

func knownValidCodes(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("testdata/uscc-valid.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			out = append(out, s)
		}
	}
	if len(out) < 200 {
		t.Fatalf("expected ~200 codes in valid.txt, got %d", len(out))
	}
	return out
}

func TestCheckUSCCValid(t *testing.T) {
	codes := append(append([]string{}, domainValid...), knownValidCodes(t)...)
	for _, c := range codes {
		if err := CheckUSCC(c); err != nil {
			t.Errorf("CheckUSCC(%s): %v", c, err)
		}
		ch, err := USCCCheckChar(c[:17])
		if err != nil || ch != c[17] {
			t.Errorf("USCCCheckChar(%s) = %c, %v; want %c", c[:17], ch, err, c[17])
		}
	}
}

func TestCheckUSCCReasons(t *testing.T) {
	cases := map[string]string{
		"91110000600037341N":  "校验码错误，应为L",
		"91350100M000100Y4Z":  "第18位含非法字符",
		"91110000600037341":   "长度不是18位（实际17位）",
		"91110000600037341LL": "长度不是18位（实际19位）",
		"":                    "长度不是18位（实际0位）",
		"91110000600O37341L":  "第12位含非法字符 'O'",
		"91110000600037341l":  "第18位含非法字符 'l'",
		"9111000060003734１L":  "第17位含非法字符 '１'",
	}
	for in, want := range cases {
		err := CheckUSCC(in)
		var ue *USCCError
		if !errors.As(err, &ue) {
			t.Errorf("CheckUSCC(%q) = %v, want a USCCError", in, err)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("CheckUSCC(%q) = %q, want it to say %q", in, err, want)
		}
	}
	// I, O, S, V, Z are outside the character set everywhere.
	for _, bad := range "IOSVZ" {
		code := "91110000600037341" + string(bad)
		if CheckUSCC(code) == nil {
			t.Errorf("%s accepted", code)
		}
	}
}

// Every single-character substitution of a valid code is rejected: the
// weights are all non-zero modulo the prime 31, so one changed position
// always changes the checksum.
func TestCheckUSCCRejectsAllOneCharMutations(t *testing.T) {
	seeds := append([]string{}, domainValid...)
	shared := knownValidCodes(t)
	seeds = append(seeds, shared[0], shared[len(shared)/2], shared[len(shared)-1])
	alphabet := usccChars + "IOSVZabc-*"
	n := 0
	for _, code := range seeds {
		for i := 0; i < len(code); i++ {
			for _, r := range alphabet {
				if byte(r) == code[i] {
					continue
				}
				m := code[:i] + string(r) + code[i+1:]
				if CheckUSCC(m) == nil {
					t.Errorf("mutation %s of %s (position %d) accepted", m, code, i+1)
				}
				n++
			}
		}
	}
	if n < 5000 {
		t.Fatalf("only %d mutations tried", n)
	}
}

func TestUSCCCheckCharComputesJinchengCodes(t *testing.T) {
	// A 泽州县 (140525) registration: compute the check character and
	// verify the result, and that the division comes back.
	body := "91140525MA0GRX7K1"
	ch, err := USCCCheckChar(body)
	if err != nil {
		t.Fatal(err)
	}
	code := body + string(ch)
	if err := CheckUSCC(code); err != nil {
		t.Fatal(err)
	}
	if USCCDivision(code) != "140525" {
		t.Errorf("division %q", USCCDivision(code))
	}
	wrong := byte('0')
	if ch == '0' {
		wrong = '1'
	}
	if USCCDivision(body+string(wrong)) != "" {
		t.Error("division of an invalid code should be empty")
	}
	if _, err := USCCCheckChar("9114052"); err == nil {
		t.Error("short body accepted")
	}
	if _, err := USCCCheckChar("91140525MA0GRX7KI"); err == nil {
		t.Error("body with I accepted")
	}
}

func TestFindUSCCs(t *testing.T) {
	text := "当事人：某某有限公司，统一社会信用代码：９１１１００００６０００３７３４１Ｌ；" +
		"另 91110000600037341N 无效，91310115MA1K3BTP2B。重复 91110000600037341L；" +
		"太长 91110000600037341LX"
	got := FindUSCCs(text)
	want := []string{"91110000600037341L", "91310115MA1K3BTP2B"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("FindUSCCs = %v, want %v", got, want)
	}
}

func TestFindSamplingNos(t *testing.T) {
	text := "抽样单编号DC20140525000123，NCP20200801123456789；Ｄ Ｃ no; X20200801123456; " +
		"DC2014052500 too short; dc20140525000123 lower; DC20140525000123 again; ABCD20140525000123"
	got := FindSamplingNos(text)
	want := []string{"DC20140525000123", "NCP20200801123456789"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("FindSamplingNos = %v, want %v", got, want)
	}
}

// One pass finds what the two finders find, each in its own order.
func TestFindSamplingNosAndUSCCsAgreesWithEach(t *testing.T) {
	for _, text := range []string{"",
		"当事人：某某有限公司，统一社会信用代码：９１１１００００６０００３７３４１Ｌ；抽样单编号DC20140525000123，另 91110000600037341N 无效，" +
			"NCP20200801123456789；91310115MA1K3BTP2B。重复 91110000600037341L；DC20140525000123 again; 太长 91110000600037341LX",
		"ＤＣ２０１４０５２５０００１２３ 91310115MA1K3BTP2B DC20140525000124"} {
		s, u := FindSamplingNosAndUSCCs(text)
		if !slices.Equal(s, FindSamplingNos(text)) || !slices.Equal(u, FindUSCCs(text)) {
			t.Errorf("%q: one pass %v %v, each %v %v", text, s, u, FindSamplingNos(text), FindUSCCs(text))
		}
	}
}

func TestFold(t *testing.T) {
	cases := map[string]string{
		"  泽市监罚（２０２０）　１２号 ": "泽市监罚(2020) 12号",
		"Ａ\t\nＢ": "A B",
		"":       "",
		"abc":    "abc",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
