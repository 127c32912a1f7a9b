package harvest_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/sources/harvest"
)

// jsonExecutor executes detail units the way a remote worker does: the unit
// and its result cross a JSON boundary, and another Harvester (with its own
// fetcher and committer) runs the unit with ExecuteDetail.
type jsonExecutor struct {
	t     *testing.T
	h     *harvest.Harvester
	units atomic.Int32
}

func (x *jsonExecutor) Detail(ctx context.Context, u harvest.DetailUnit) (harvest.UnitResult, error) {
	x.units.Add(1)
	raw, err := json.Marshal(u)
	if err != nil {
		return harvest.UnitResult{}, err
	}
	var got harvest.DetailUnit
	if err := json.Unmarshal(raw, &got); err != nil {
		return harvest.UnitResult{}, err
	}
	res, err := x.h.ExecuteDetail(ctx, got)
	if err != nil {
		return res, err
	}
	raw, _ = json.Marshal(res)
	var back harvest.UnitResult
	return back, json.Unmarshal(raw, &back)
}

// The executor seam: a sweep whose detail units run through an Executor
// (JSON round trip, another Harvester) stores what an in-process sweep
// stores and judges every column the same, first sweep and full re-walk.
func TestE2EExecutorSameAsLocal(t *testing.T) {
	e := newSimEnv(t)
	e.only = []string{"陵川县", "泽州县"} // two families; the cmd/harvester tests sweep all six through Redis
	local := e.sweep(t)
	e.sweep(t, func(o *harvest.Options) { o.Full = true })
	want := contentOf(t, e.st)

	e.storeURL = "sqlite://" + filepath.Join(t.TempDir(), "remote.db")
	e.st = e.open(t)
	if _, err := e.st.ImportRecords(context.Background(), e.recs); err != nil {
		t.Fatal(err)
	}
	worker, err := harvest.New(harvest.Options{Config: e.cfg, Store: e.st})
	if err != nil {
		t.Fatal(err)
	}
	defer worker.CloseUnits()
	x := &jsonExecutor{t: t, h: worker}
	remote := e.sweep(t, func(o *harvest.Options) { o.Executor = x })
	e.sweep(t, func(o *harvest.Options) { o.Executor = x; o.Full = true })
	if x.units.Load() == 0 {
		t.Fatal("no unit went through the executor")
	}
	diffContent(t, want, contentOf(t, e.st))
	if len(local) != len(remote) {
		t.Fatalf("%d summaries, want %d", len(remote), len(local))
	}
	for i := range local {
		l, r := local[i], remote[i]
		if l.New != r.New || l.Pages != r.Pages || l.Errors != r.Errors || l.Complete != r.Complete {
			t.Errorf("%s %s: executor new %d pages %d errors %d complete %v; local %d %d %d %v",
				l.County, l.Source, r.New, r.Pages, r.Errors, r.Complete, l.New, l.Pages, l.Errors, l.Complete)
		}
	}
}

// lossyExecutor reports one committed unit per column as lost (a Redis
// restart that lost the last second of commits).
type lossyExecutor struct {
	*jsonExecutor
	lost atomic.Int32
}

func (x *lossyExecutor) Lost(ctx context.Context, done map[string]time.Time) ([]string, error) {
	for u := range done {
		x.lost.Add(1)
		return []string{u}, nil
	}
	return nil, nil
}

// A detail whose commit the store lost is not counted as observed: its
// column is not complete, and says why.
func TestE2ELostCommitIsNotObserved(t *testing.T) {
	e := newSimEnv(t)
	e.only = []string{"泽州县"}
	worker, err := harvest.New(harvest.Options{Config: e.cfg, Store: e.st})
	if err != nil {
		t.Fatal(err)
	}
	defer worker.CloseUnits()
	x := &lossyExecutor{jsonExecutor: &jsonExecutor{t: t, h: worker}}
	sums := e.sweep(t, func(o *harvest.Options) { o.Executor = x })
	if x.lost.Load() == 0 {
		t.Fatal("no column asked whether its details survived")
	}
	for _, s := range sums {
		if s.County == "" {
			continue
		}
		for _, c := range s.Columns {
			if c.Details == 0 && c.DetailsFailed == 0 {
				continue
			}
			if c.Complete || !strings.Contains(strings.Join(c.Errors, "\n"), "Redis 重启后不在存储中") {
				t.Errorf("%s %s: complete %v, errors %q: a lost commit must leave the column incomplete", s.County, c.Column, c.Complete, c.Errors)
			}
		}
	}
}
