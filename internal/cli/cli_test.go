package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestRunExitCodesAndOneLineErrors(t *testing.T) {
	p := &Program{Name: "tool"}
	p.Add(Command{Name: "ok", Summary: "成功", Run: func(context.Context, []string, io.Writer, io.Writer) error { return nil }})
	p.Add(Command{Name: "fail", Summary: "失败", Run: func(context.Context, []string, io.Writer, io.Writer) error {
		return errors.New("存储不可用")
	}})
	p.Add(Command{Name: "flags", Summary: "参数", Run: func(_ context.Context, args []string, _, stderr io.Writer) error {
		fs := NewFlags("flags", stderr)
		fs.String("as-of", "", "")
		return Parse(fs, args)
	}})
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"ok"}, 0, ""},
		{[]string{"fail"}, 1, "tool fail: 存储不可用"},
		{[]string{"flags", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"nope"}, 2, `未知命令 "nope"`},
		{nil, 2, "用法: tool"},
		{[]string{"flags", "-h"}, 0, ""},
	}
	for _, c := range cases {
		var stderr bytes.Buffer
		code := p.Run(context.Background(), c.args, io.Discard, &stderr)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", c.args, code, c.code, stderr.String())
		}
		if c.err != "" && !strings.Contains(stderr.String(), c.err) {
			t.Errorf("%v: stderr %q lacks %q", c.args, stderr.String(), c.err)
		}
	}
}
