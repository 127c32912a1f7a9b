package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"gongkai/audit"
	"io"
	"strings"
	"testing"
)

// listOf is a list of n items, each different (Chinese, <, & and quotes
// in their titles, some without optional fields).
func listOf(n int) []audit.Item {
	items := make([]audit.Item, n)
	for i := range items {
		items[i] = audit.Item{County: "泽州县", Channel: "政府网站", URL: fmt.Sprintf("http://x/t%d.shtml", i),
			Title: fmt.Sprintf("第%d期 <抽检> & \"公告\"", i), Item: "1.3", FirstSeen: "2020-07-01T10:00:00+08:00"}
		if i%3 == 0 {
			items[i].Published, items[i].RecordNos = "2020-07-01", []string{fmt.Sprintf("DC2020%08d", i)}
		}
	}
	return items
}

// A list of many chunks is written by the encoders side by side exactly as
// one encoder writes it element after element, whatever the number of
// workers and however the last chunk is cut.
func TestEncodeListAgreesWithOneEncoderInOrder(t *testing.T) {
	for _, n := range []int{1, listChunk - 1, listChunk, 3*listChunk + 7} {
		items := listOf(n)
		var want strings.Builder
		for i := range items {
			b, err := json.Marshal(&items[i])
			if err != nil {
				t.Fatal(err)
			}
			// encoding/json as RenderJSON sets it: <, > and & as themselves.
			b = bytes.ReplaceAll(bytes.ReplaceAll(bytes.ReplaceAll(b, []byte(`\u003c`), []byte("<")), []byte(`\u003e`), []byte(">")), []byte(`\u0026`), []byte("&"))
			if i > 0 {
				want.WriteString(",")
			}
			want.WriteString("\n    ")
			want.Write(b)
		}
		for _, workers := range []int{1, 2, 5} {
			var got bytes.Buffer
			if err := encodeList(&got, items, workers); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Fatalf("%d items, %d workers: the lines differ from one encoder's", n, workers)
			}
		}
	}
}

// failing fails to encode.
type failing struct{ bad bool }

func (f failing) MarshalJSON() ([]byte, error) {
	if f.bad {
		return nil, errors.New("cannot encode")
	}
	return []byte(`{}`), nil
}

// An element that cannot be encoded fails the list, in any chunk.
func TestEncodeListReportsAnElementThatFails(t *testing.T) {
	list := make([]failing, 4*listChunk)
	list[2*listChunk+5].bad = true
	if err := encodeList(io.Discard, list, 2); err == nil || !strings.Contains(err.Error(), "cannot encode") {
		t.Fatalf("err = %v", err)
	}
}

// BenchmarkRenderJSON measures the JSON report of 100,000 items (the
// province bench has 300,000), the list encoded by one encoder per core.
func BenchmarkRenderJSON(b *testing.B) {
	r := &audit.Report{AsOf: "2020-12-31", Items: listOf(100_000)}
	for b.Loop() {
		if err := RenderJSON(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
