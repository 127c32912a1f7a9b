package sqlite

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Times are stored as Unix nanoseconds, 0 for the zero time, and read back
// in time.Local (like time.Now), so calendar.FromTime gives the local civil
// date.
func timeToDB(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func timeFromDB(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func boolToDB(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// jsonText encodes v as JSON, or "" when empty is true, so that empty values
// cost nothing to store or decode.
func jsonText[T any](v T, empty bool) (string, error) {
	if empty {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func sliceJSON[E any](s []E) (string, error) { return jsonText(s, len(s) == 0) }

// fromJSON decodes b into v; empty b leaves v untouched.
func fromJSON(b []byte, v any, what string) error {
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return nil
}

// where builds a WHERE clause from the filters that are set, so that the
// statement can use the indexes (an "? = ” OR col = ?" form cannot).
type where struct {
	conds []string
	args  []any
}

func (w *where) eq(col, value string) {
	if value != "" {
		w.add(col+" = ?", value)
	}
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
