package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServesWritesFilesAndAdvances(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--seed", "3", "--as-of", "2020-12-31", "--out", dir}, &out, &errOut)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Ctrl-C") {
		if time.Now().After(deadline) {
			t.Fatalf("no ready message; stdout %q stderr %q", out.String(), errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, name := range []string{"records.csv", "truth.json", "sites.yaml"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	m := regexp.MustCompile(`泽州县\s+(http://127\.0\.0\.1:\d+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no address for 泽州县 in %q", out.String())
	}
	resp, err := http.Get(m[1] + "/")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %v %v", m[1], err, resp)
	}
	resp.Body.Close()
	before, _ := os.ReadFile(filepath.Join(dir, "truth.json"))
	resp, err = http.Post(m[1]+"/_sim/advance?to=2021-02-01", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("advance: %v %v", err, resp)
	}
	resp.Body.Close()
	after, _ := os.ReadFile(filepath.Join(dir, "truth.json"))
	if bytes.Equal(before, after) || !bytes.Contains(after, []byte(`"as_of": "2021-02-01"`)) {
		t.Error("truth.json not rewritten after advancing")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"--size", "huge"}, &out, &errOut); err == nil {
		t.Error("--size huge accepted")
	}
}

func TestUnfamiliarFlag(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--seed", "1", "--unfamiliar", "--out", dir}, &out, &errOut)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Ctrl-C") {
		if time.Now().After(deadline) {
			t.Fatalf("no ready message; stdout %q stderr %q", out.String(), errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	yaml, _ := os.ReadFile(filepath.Join(dir, "sites.yaml"))
	if !strings.Contains(out.String(), "--unfamiliar") || !bytes.Contains(yaml, []byte("&catid=36&ajax=0")) || !bytes.Contains(yaml, []byte("name: 工作动态")) {
		t.Errorf("--unfamiliar did not switch the world: stdout %q", out.String())
	}
	m := regexp.MustCompile(`陵川县\s+(http://127\.0\.0\.1:\d+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no address for 陵川县 in %q", out.String())
	}
	resp, err := http.Get(m[1] + "/col/col4127/index.html")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	resp.Body.Close()
	if !strings.Contains(b.String(), "ajaxParam: param_4127") {
		t.Error("陵川县 column page is not the variable-ajaxParam variant")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
