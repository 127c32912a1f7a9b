// Package browsertest starts the headless Chromium that the browser tests
// of the HTML report and of the web UI drive: found where Debian installs
// it, offline (no host resolves but 127.0.0.1) and without the background
// traffic Chromium makes at start (testing.md: this machine's closed network
// refuses it). Only tests import it.
package browsertest

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// Path finds Debian's chromium. Without it the test is skipped on a
// developer machine; under CI=true it must run, and fails.
func Path(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
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
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Path(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(width, height),
		chromedp.Env("TMPDIR=" + t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("safebrowsing-disable-auto-update", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater,AutofillServerCommunication"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
	}
}
