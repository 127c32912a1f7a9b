package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"gongkai"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/sim"
	"gongkai/store"
	_ "gongkai/store/sqlite"
)

// childArgs makes TestHarvesterChild run `harvester` with these arguments
// (JSON) as its own process, the way main does: SIGTERM and Ctrl-C cancel
// the run, SIGKILL just ends it.
const childArgs = "GONGKAI_HARVESTER_ARGS"

func TestHarvesterChild(t *testing.T) {
	raw := os.Getenv(childArgs)
	if raw == "" {
		t.Skip("runs only as the child of TestKilledIncrementalRunsLoseNothing")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := program.Run(ctx, args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Issue 8, failure 3, with real processes: a world at 2020-03-31 harvested
// completely, moved to 2020-12-31; `harvester run` killed (SIGKILL) or
// stopped (SIGTERM) at several points of its incremental sweep; then run
// again. Every published page is in the store, and no column the store
// calls complete lacks one.
func TestKilledIncrementalRunsLoseNothing(t *testing.T) {
	if os.Getenv(childArgs) != "" {
		t.Skip("parent only")
	}
	w, err := sim.Generate(sim.Options{Seed: 20201231, Size: sim.Small})
	if err != nil {
		t.Fatal(err)
	}
	w.AdvanceTo(calendar.Of(2020, time.March, 31))
	srv, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sites.yaml")
	writeConfig := func(delay string) {
		y := strings.Replace(string(w.SitesYAML(srv)), "delay: 0s", "delay: "+delay, 1)
		if err := os.WriteFile(cfg, []byte(y), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeConfig("0s")
	storeURL := "sqlite://" + filepath.Join(dir, "g.db")
	if code, out, stderr := runProgram(t, context.Background(), "run", "--config", cfg, "--store", storeURL); code != 0 {
		t.Fatalf("first run: %d\n%s\n%s", code, out, stderr)
	}

	w.AdvanceTo(calendar.Of(2020, time.December, 31))
	advanced := time.Now()
	// Slow enough for the signals to land inside the sweep.
	writeConfig("40ms")
	// sig 0: the reader of the run's log goes away (a closed pipe); the
	// run dies of SIGPIPE at its next log line.
	type kill struct {
		sig   syscall.Signal
		after time.Duration
	}
	interrupted := 0
	for _, k := range []kill{{syscall.SIGKILL, 400 * time.Millisecond}, {syscall.SIGTERM, 700 * time.Millisecond},
		{0, 500 * time.Millisecond}, {syscall.SIGKILL, 1200 * time.Millisecond}, {syscall.SIGTERM, 300 * time.Millisecond}} {
		args, _ := json.Marshal([]string{"run", "--config", cfg, "--store", storeURL})
		cmd := exec.Command(os.Args[0], "-test.run=^TestHarvesterChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childArgs+"="+string(args))
		var stdout strings.Builder
		cmd.Stdout = &stdout
		errPipe, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		started := make(chan struct{})
		stopReading := make(chan struct{})
		go func() {
			sc := bufio.NewScanner(errPipe)
			once := false
			for sc.Scan() {
				if !once && strings.Contains(sc.Text(), "sweep started") {
					once = true
					close(started)
					if k.sig == 0 {
						<-stopReading
						errPipe.Close()
						return
					}
				}
			}
			if !once {
				close(started)
			}
		}()
		<-started
		time.Sleep(k.after)
		if k.sig == 0 {
			close(stopReading)
		} else {
			cmd.Process.Signal(k.sig)
		}
		err = cmd.Wait()
		ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
		switch {
		case k.sig == syscall.SIGKILL && ws.Signaled():
			interrupted++
		case k.sig == 0 && ws.Signaled() && ws.Signal() == syscall.SIGPIPE:
			interrupted++
		case k.sig == syscall.SIGTERM && ws.ExitStatus() == 1 && strings.Contains(stdout.String(), "采集被中断"):
			interrupted++
			if !strings.Contains(stdout.String(), "中断") {
				t.Errorf("SIGTERM summary does not say the run was interrupted:\n%s", stdout.String())
			}
		case err == nil:
			t.Logf("the run finished before %v (%s)", k.sig, k.after)
		default:
			t.Fatalf("child after %v: %v\n%s", k.sig, err, stdout.String())
		}
		checkCompleteColumnsHoldTruth(t, w, srv, storeURL, advanced)
	}
	if interrupted < 2 {
		t.Fatalf("only %d runs were interrupted; the kill points must fall inside the sweep", interrupted)
	}
	t.Logf("%d runs interrupted", interrupted)

	writeConfig("0s")
	code, out, stderr := runProgram(t, context.Background(), "run", "--config", cfg, "--store", storeURL)
	if code != 0 {
		t.Fatalf("last run: %d\n%s\n%s", code, out, stderr)
	}
	checkCompleteColumnsHoldTruth(t, w, srv, storeURL, advanced)
	st, err := store.Open(context.Background(), storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pubs, err := st.Publications(context.Background(), store.PublicationQuery{Channel: catalogue.Website, IncludeWithdrawn: true})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, p := range pubs {
		have[p.URL] = true
	}
	var lost []string
	for _, tp := range w.Truth().Pages {
		if tp.Channel == catalogue.Website && tp.Withdrawn.IsZero() && !have[srv.URL(tp.County, tp.URL)] {
			lost = append(lost, tp.County+" "+tp.Column+" "+tp.URL)
		}
	}
	if len(lost) > 0 {
		t.Errorf("%d published pages not in the store after the resumed run, e.g.:\n%s\nsummary:\n%s", len(lost), strings.Join(lost[:min(10, len(lost))], "\n"), out)
	}
}

// checkCompleteColumnsHoldTruth fails for a column whose newest stored
// outcome, observed since the world's day changed, says complete while the
// store lacks a published page of it.
func checkCompleteColumnsHoldTruth(t *testing.T, w *sim.World, srv *sim.Server, storeURL string, since time.Time) {
	t.Helper()
	st, err := store.Open(context.Background(), storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pubs, err := st.Publications(context.Background(), store.PublicationQuery{Channel: catalogue.Website, IncludeWithdrawn: true})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, p := range pubs {
		have[p.URL] = true
	}
	sweeps, err := st.Sweeps(context.Background(), store.SweepQuery{})
	if err != nil {
		t.Fatal(err)
	}
	newest := map[string]gongkai.ColumnOutcome{} // county|column → newest outcome
	for _, s := range sweeps {
		for _, c := range s.Columns {
			if _, ok := newest[s.County+"|"+c.Column]; !ok {
				newest[s.County+"|"+c.Column] = c
			}
		}
	}
	var bad []string
	for _, tp := range w.Truth().Pages {
		if tp.Channel != catalogue.Website || !tp.Withdrawn.IsZero() || have[srv.URL(tp.County, tp.URL)] {
			continue
		}
		if c, ok := newest[tp.County+"|"+tp.Column]; ok && c.Complete && c.ObservedAt.After(since) {
			bad = append(bad, fmt.Sprintf("%s %s: complete, lacks %s", tp.County, tp.Column, tp.URL))
		}
	}
	slices.Sort(bad)
	if len(bad) > 0 {
		t.Errorf("columns called complete that lack published pages:\n%s", strings.Join(bad[:min(10, len(bad))], "\n"))
	}
}
