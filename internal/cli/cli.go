// Package cli is the small shared frame of gongkai's commands: subcommand
// dispatch, one-line errors in Chinese, and exit codes.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string // one line, Chinese
	Run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// UsageError marks a bad-arguments error (exit code 2).
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

// Usagef returns a UsageError.
func Usagef(format string, a ...any) error { return UsageError{Msg: fmt.Sprintf(format, a...)} }

// Program is a set of subcommands under one binary name.
type Program struct {
	Name     string
	commands map[string]Command
}

// Add registers a subcommand.
func (p *Program) Add(c Command) {
	if p.commands == nil {
		p.commands = map[string]Command{}
	}
	p.commands[c.Name] = c
}

// Main runs the program with os.Args and exits. Ctrl-C / SIGTERM cancel the
// context so commands can stop cleanly.
func (p *Program) Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := p.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Run dispatches args and returns the exit code: 0 ok, 1 failure, 2 bad usage.
func (p *Program) Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		p.usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := p.commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: 未知命令 %q\n", p.Name, args[0])
		p.usage(stderr)
		return 2
	}
	err := c.Run(ctx, args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	}
	fmt.Fprintf(stderr, "%s %s: %v\n", p.Name, c.Name, err)
	var ue UsageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

func (p *Program) usage(w io.Writer) {
	fmt.Fprintf(w, "用法: %s <命令> [参数]\n\n命令:\n", p.Name)
	names := make([]string, 0, len(p.commands))
	for n := range p.commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, p.commands[n].Summary)
	}
}

// NewFlags returns a FlagSet that reports errors instead of exiting, so a
// bad flag becomes a UsageError with one line.
func NewFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// Parse parses flags and wraps failures as UsageError.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return UsageError{Msg: err.Error()}
	}
	return nil
}
