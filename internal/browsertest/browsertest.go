// Package browsertest starts the headless Chromium that the browser tests
// of the HTML report, of the web UI and of render: browser drive: found
// where Debian installs it, offline (no host resolves but 127.0.0.1) and
// without the background traffic Chromium makes at start (testing.md: this
// machine's closed network refuses it). The lookup and the flags are the
// harvester's own (fetch.ChromiumPath, fetch.ChromiumOptions). Only tests
// import it.
package browsertest

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"gongkai/sources/fetch"
)

// Path finds Debian's chromium. Without it the test is skipped on a
// developer machine; under CI=true it must run, and fails.
func Path(t testing.TB) string {
	t.Helper()
	if p := fetch.ChromiumPath(); p != "" {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed, and CI=true requires the browser test: apt-get install -y chromium fonts-wqy-microhei")
	}
	t.Skip("chromium is not installed (/usr/bin/chromium); install it with: apt-get install -y chromium fonts-wqy-microhei")
	return ""
}

// Options are the allocator options for an offline headless Chromium with
// a window of width × height.
func Options(t testing.TB, width, height int) []chromedp.ExecAllocatorOption {
	t.Helper()
	return fetch.ChromiumOptions(Path(t), t.TempDir(), width, height)
}
