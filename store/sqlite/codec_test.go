package sqlite

import (
	"bytes"
	"errors"
	"gongkai"
	"reflect"
	"testing"

	"gongkai/calendar"
)

func codecSample() gongkai.Publication {
	return gongkai.Publication{
		Candidates: []string{"2.1", "", "1.2"},
		Metadata:   map[string]string{"索引号": "X/2026-1", "": "empty key", "发布机构": ""},
		RecordNos:  []string{"泽市监罚〔2026〕12号"},
		Attachments: []gongkai.Attachment{
			{URL: "http://a/1.xlsx", Name: "附件1", MediaType: "x", Size: -1, Evidence: "sha256:1", CaptureID: "<c>", Error: "e",
				Text: "文本", Sheets: []gongkai.Sheet{{Name: "S", Rows: [][]string{{"a", "", "c"}, {"d"}}}, {Name: "empty"}}},
			{URL: "http://a/2.pdf", Size: 1 << 40},
		},
		Disclosures: []gongkai.Disclosure{
			{Kind: "sheet-row", Ref: "附件1 第2行", Fields: map[string]string{"b": "2", "a": "1"}, Text: "t", Date: calendar.Of(2026, 2, 1),
				DecisionNos: []string{"x"}, SamplingNos: []string{"DC1"}, USCCs: []string{"u"}, Parties: []string{"p", "q"}},
			{Kind: "page", Date: -5},
		},
	}
}

func roundTrip(t *testing.T, p gongkai.Publication) gongkai.Publication {
	t.Helper()
	var got gongkai.Publication
	var err error
	if got.Candidates, err = decodeStrings(encodeStrings(p.Candidates), "c"); err != nil {
		t.Fatal(err)
	}
	if got.Metadata, err = decodeStrMap(encodeStrMap(p.Metadata), "m"); err != nil {
		t.Fatal(err)
	}
	if got.RecordNos, err = decodeStrings(encodeStrings(p.RecordNos), "r"); err != nil {
		t.Fatal(err)
	}
	if got.Attachments, err = decodeAttachments(encodeAttachments(p.Attachments)); err != nil {
		t.Fatal(err)
	}
	if err := decodeAttachmentContent(encodeAttachmentContent(p.Attachments), got.Attachments); err != nil {
		t.Fatal(err)
	}
	if got.Disclosures, err = decodeDisclosures(encodeDisclosures(p.Disclosures)); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestCodecRoundTrip(t *testing.T) {
	p := codecSample()
	if got := roundTrip(t, p); !reflect.DeepEqual(got, p) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, p)
	}
	if got := roundTrip(t, gongkai.Publication{}); !reflect.DeepEqual(got, gongkai.Publication{}) {
		t.Errorf("empty round trip: %+v", got)
	}
	// Maps are written in key order: equal maps give equal bytes.
	m := map[string]string{}
	for _, k := range []string{"z", "a", "m", "索引号", "b"} {
		m[k] = k
	}
	first := encodeStrMap(m)
	for range 20 {
		if !bytes.Equal(encodeStrMap(m), first) {
			t.Fatal("map encoding depends on iteration order")
		}
	}
}

// TestCodecOlderAndNewer: a struct written with fewer fields (an older
// gongkai) decodes with zero values; one with more is refused.
func TestCodecOlderAndNewer(t *testing.T) {
	older := blob(false, func(e *encoder) {
		e.len(1)
		e.fields(2)
		e.str("page")
		e.str("ref")
	})
	ds, err := decodeDisclosures(older)
	if err != nil || len(ds) != 1 || ds[0].Kind != "page" || ds[0].Ref != "ref" || ds[0].Fields != nil {
		t.Errorf("older disclosure: %+v, %v", ds, err)
	}
	newer := blob(false, func(e *encoder) {
		e.len(1)
		e.fields(10)
		for range 10 {
			e.str("x")
		}
	})
	if _, err := decodeDisclosures(newer); !errors.Is(err, errCodec) {
		t.Errorf("newer disclosure: %v, want errCodec", err)
	}
	if _, err := decodeStrings([]byte{99, 0}, "x"); !errors.Is(err, errCodec) {
		t.Errorf("unknown format byte: %v", err)
	}
}

func TestCodecRejectsCorruption(t *testing.T) {
	enc := encodeDisclosures(codecSample().Disclosures)
	for cut := 1; cut < len(enc); cut++ {
		if _, err := decodeDisclosures(enc[:cut]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", cut, len(enc))
		}
	}
	if _, err := decodeDisclosures(append(bytes.Clone(enc), 0)); err == nil {
		t.Error("trailing byte: no error")
	}
}

// FuzzCodec: arbitrary bytes never panic or allocate without bound, and
// whatever decodes re-encodes to something that decodes to the same value.
func FuzzCodec(f *testing.F) {
	p := codecSample()
	f.Add(encodeDisclosures(p.Disclosures))
	f.Add(encodeAttachments(p.Attachments))
	f.Add(encodeAttachmentContent(p.Attachments))
	f.Add(encodeStrMap(p.Metadata))
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		if ds, err := decodeDisclosures(b); err == nil {
			again, err := decodeDisclosures(encodeDisclosures(ds))
			if err != nil || !reflect.DeepEqual(nilIfEmpty(again), nilIfEmpty(ds)) {
				t.Errorf("disclosures re-encode: %v\n%+v\n%+v", err, again, ds)
			}
		}
		if as, err := decodeAttachments(b); err == nil {
			again, err := decodeAttachments(encodeAttachments(as))
			if err != nil || !reflect.DeepEqual(nilIfEmpty(again), nilIfEmpty(as)) {
				t.Errorf("attachments re-encode: %v", err)
			}
			_ = decodeAttachmentContent(b, as)
		}
		decodeStrMap(b, "m")
		decodeStrings(b, "s")
	})
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}
