package fetch

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Decode turns a page's bytes into text. The rule (sites.md): keep valid
// UTF-8; else honour the charset the page declares in <meta>; else a
// non-default charset in the Content-Type header; else GB18030. Every
// GB-family label (gb2312, gbk, x-gbk, gb18030 …) is decoded as GB18030, a
// superset: decoding GB2312-labelled pages strictly turns rare characters
// in people's and companies' names (喆, 堃, 䶮) into U+FFFD.
//
// forced, when not "" or "auto", overrides detection (a source's charset
// setting). It returns the text and the name of the charset used.
func Decode(body []byte, contentType, forced string) (string, string) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if forced != "" && !strings.EqualFold(forced, "auto") {
		if s, name, ok := decodeAs(body, forced); ok {
			return s, name
		}
	}
	if utf8.Valid(body) {
		return string(body), "utf-8"
	}
	if label := metaCharset(body); label != "" {
		if s, name, ok := decodeAs(body, label); ok && name != "utf-8" {
			return s, name
		}
	}
	if label := headerCharset(contentType); label != "" && !defaultHeaderCharset(label) {
		if s, name, ok := decodeAs(body, label); ok && name != "utf-8" {
			return s, name
		}
	}
	s, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(body)
	return string(s), "gb18030"
}

// decodeAs decodes with the charset a label names (GB family as GB18030).
func decodeAs(body []byte, label string) (string, string, bool) {
	label = strings.ToLower(strings.TrimSpace(strings.Trim(label, `"'`)))
	if isGBLabel(label) {
		s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(body)
		return string(s), "gb18030", err == nil
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return "", "", false
	}
	name, _ := htmlindex.Name(enc)
	if name == "utf-8" {
		if utf8.Valid(body) {
			return string(body), "utf-8", true
		}
		return strings.ToValidUTF8(string(body), "\uFFFD"), "utf-8", true
	}
	s, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return "", "", false
	}
	return string(s), name, true
}

func isGBLabel(label string) bool {
	switch label {
	case "gb2312", "gbk", "x-gbk", "gb18030", "gb-18030", "cp936", "windows-936", "ms936",
		"csgb2312", "chinese", "iso-ir-58", "csiso58gb231280", "gb_2312", "gb_2312-80", "euc-cn", "x-euc-cn":
		return true
	}
	return false
}

// defaultHeaderCharset: servers that were never configured announce these
// for every page, so they say nothing about a page that is not valid UTF-8.
func defaultHeaderCharset(label string) bool {
	switch strings.ToLower(label) {
	case "iso-8859-1", "latin1", "us-ascii", "ascii", "windows-1252", "utf-8", "utf8":
		return true
	}
	return false
}

var (
	metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)`)
)

// metaCharset finds <meta charset="…"> or <meta http-equiv content="…;
// charset=…"> in the first 4 KiB, as browsers do.
func metaCharset(body []byte) string {
	head := body
	if len(head) > 4096 {
		head = head[:4096]
	}
	if m := metaCharsetRe.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// Encoder returns the encoder for a charset label (GB family → GB18030);
// tests and the simulated world use it to produce legacy pages.
func Encoder(label string) (*encoding.Encoder, bool) {
	if isGBLabel(strings.ToLower(label)) {
		return simplifiedchinese.GB18030.NewEncoder(), true
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, false
	}
	return enc.NewEncoder(), true
}
