package redis

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"gongkai"
	"gongkai/catalogue"
	"gongkai/store"
)

// BeginSweep takes the next sweep ID (INCR) and stores the sweep with any
// column outcomes it already carries in one MULTI/EXEC.
func (db *DB) BeginSweep(ctx context.Context, s gongkai.Sweep) (int64, error) {
	if s.Source == "" {
		return 0, fmt.Errorf("BeginSweep: Source is required")
	}
	if s.Started.IsZero() {
		return 0, fmt.Errorf("BeginSweep: Started is required")
	}
	docs := make([][]byte, len(s.Columns))
	for i, c := range s.Columns {
		if c.Column == "" {
			return 0, fmt.Errorf("BeginSweep: column outcome %d: Column is required", i+1)
		}
		b, err := json.Marshal(columnDocOf(c))
		if err != nil {
			return 0, err
		}
		docs[i] = b
	}
	id, err := db.c.Incr(ctx, db.kSweepSeq()).Result()
	if err != nil {
		return 0, err
	}
	_, err = db.c.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.HSet(ctx, db.kSweep(id), "source", s.Source, "county", s.County, "channel", string(s.Channel),
			"full", boolStr(s.Full), "started", timeTo(s.Started), "finished", timeTo(s.Finished),
			"interrupted", boolStr(s.Interrupted))
		p.ZAdd(ctx, db.kSweeps(), goredis.Z{Score: float64(id), Member: id})
		seen := map[string]bool{}
		for i, c := range s.Columns {
			p.HSet(ctx, db.kSweepCols(id), c.Column, docs[i])
			if !seen[c.Column] {
				seen[c.Column] = true
				p.RPush(ctx, db.kSweepOrd(id), c.Column)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// FinishSweep records the end of a sweep.
func (db *DB) FinishSweep(ctx context.Context, id int64, finished time.Time, interrupted bool) error {
	if finished.IsZero() {
		return fmt.Errorf("FinishSweep %d: finished time is required", id)
	}
	k := db.kSweep(id)
	return db.retryTx(ctx, func(tx *goredis.Tx) error {
		n, err := tx.Exists(ctx, k).Result()
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("FinishSweep: sweep %d does not exist", id)
		}
		_, err = tx.TxPipelined(ctx, func(p goredis.Pipeliner) error {
			p.HSet(ctx, k, "finished", timeTo(finished), "interrupted", boolStr(interrupted))
			return nil
		})
		return err
	}, k)
}

// Sweeps lists sweeps newest first (by start time, then ID), each with its
// column outcomes in the order they were first recorded. Sweeps are read
// in one MULTI/EXEC, their columns in another.
func (db *DB) Sweeps(ctx context.Context, q store.SweepQuery) ([]gongkai.Sweep, error) {
	ids, err := db.c.ZRange(ctx, db.kSweeps(), 0, -1).Result()
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	cmds := make([]*goredis.MapStringStringCmd, len(ids))
	if _, err := db.c.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HGetAll(ctx, db.prefix+"sweep:"+id)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var sweeps []gongkai.Sweep
	for i, idText := range ids {
		m := cmds[i].Val()
		if len(m) == 0 {
			continue
		}
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("Redis 存储数据损坏: %s 中的编号 %q", db.kSweeps(), idText)
		}
		f := fields{m: m, key: db.kSweep(id)}
		s := gongkai.Sweep{ID: id, Source: f.str("source"), County: f.str("county"),
			Channel: catalogue.Channel(f.str("channel")), Full: f.bool("full"), Started: timeFrom(f.int("started")),
			Finished: timeFrom(f.int("finished")), Interrupted: f.bool("interrupted")}
		if f.err != nil {
			return nil, f.err
		}
		if (q.Source != "" && s.Source != q.Source) || (q.County != "" && s.County != q.County) {
			continue
		}
		sweeps = append(sweeps, s)
	}
	sort.Slice(sweeps, func(i, j int) bool {
		a, b := sweeps[i], sweeps[j]
		if !a.Started.Equal(b.Started) {
			return a.Started.After(b.Started)
		}
		return a.ID > b.ID
	})
	if q.Limit > 0 && len(sweeps) > q.Limit {
		sweeps = sweeps[:q.Limit]
	}
	if len(sweeps) == 0 {
		return nil, nil
	}
	orders := make([]*goredis.StringSliceCmd, len(sweeps))
	cols := make([]*goredis.MapStringStringCmd, len(sweeps))
	if _, err := db.c.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		for i, s := range sweeps {
			orders[i] = p.LRange(ctx, db.kSweepOrd(s.ID), 0, -1)
			cols[i] = p.HGetAll(ctx, db.kSweepCols(s.ID))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for i := range sweeps {
		m := cols[i].Val()
		for _, name := range orders[i].Val() {
			s, ok := m[name]
			if !ok {
				continue
			}
			var d columnDoc
			if err := json.Unmarshal([]byte(s), &d); err != nil {
				return nil, fmt.Errorf("Redis 存储数据损坏: %s 的栏目 %q: %v", db.kSweepCols(sweeps[i].ID), name, err)
			}
			sweeps[i].Columns = append(sweeps[i].Columns, d.outcome())
		}
	}
	return sweeps, nil
}
