// Package machine reads what the scripted benchmarks print beside their
// figures: the machine's load and a process's peak memory (Linux /proc).
package machine

import (
	"os"
	"strconv"
	"strings"
)

// LoadAverage is the 1, 5 and 15 minute load average, as /proc/loadavg
// gives it ("?" where it cannot be read).
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// PeakRSSKiB is this process's peak resident set (VmHWM), in KiB; 0 where
// it cannot be read.
func PeakRSSKiB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
