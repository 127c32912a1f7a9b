package redis

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	goredis "github.com/redis/go-redis/v9"

	"gongkai/records"
	"gongkai/store"
)

// ImportRecords stores recs in one MULTI/EXEC (WATCHing the records hash,
// so that the counts are those of the state the import replaced). A record
// whose key exists is replaced, and counted Unchanged when its content is
// equal; the same rows from another file stay Unchanged and take the new
// file name as their source.
func (db *DB) ImportRecords(ctx context.Context, recs []records.Record) (store.ImportSummary, error) {
	for _, r := range recs {
		if r.County == "" || r.Item == "" || r.RecordNo == "" {
			return store.ImportSummary{}, fmt.Errorf("record %q: county, item and record_no are required", r.Key())
		}
	}
	if len(recs) == 0 {
		return store.ImportSummary{}, ctx.Err()
	}
	var sum store.ImportSummary
	k := db.kRecords()
	err := db.retryTx(ctx, func(tx *goredis.Tx) error {
		sum = store.ImportSummary{}
		keys := make([]string, len(recs))
		for i, r := range recs {
			keys[i] = r.Key()
		}
		olds, err := tx.HMGet(ctx, k, keys...).Result()
		if err != nil {
			return err
		}
		// A file may name one record twice: the later row wins, counted
		// against the earlier one as SQLite counts it.
		stored := map[string]*records.Record{}
		for i, o := range olds {
			if _, ok := stored[keys[i]]; ok {
				continue
			}
			s, ok := o.(string)
			if !ok {
				stored[keys[i]] = nil
				continue
			}
			var r records.Record
			if err := json.Unmarshal([]byte(s), &r); err != nil {
				return fmt.Errorf("Redis 存储数据损坏: 记录 %q: %v", keys[i], err)
			}
			stored[keys[i]] = &r
		}
		put := map[string]any{}
		for i, r := range recs {
			old := stored[keys[i]]
			switch {
			case old == nil:
				sum.Added++
			case sameContent(*old, r):
				sum.Unchanged++
				if old.Source == r.Source {
					continue
				}
			default:
				sum.Replaced++
			}
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			put[keys[i]] = b
			r := r
			stored[keys[i]] = &r
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(put) == 0 {
			return nil
		}
		_, err = tx.TxPipelined(ctx, func(p goredis.Pipeliner) error {
			p.HSet(ctx, k, put)
			return nil
		})
		return err
	}, k)
	if err != nil {
		return store.ImportSummary{}, err
	}
	return sum, nil
}

// sameContent compares every field of two records but their source file.
func sameContent(a, b records.Record) bool {
	return a.County == b.County && a.Item == b.Item && a.RecordNo == b.RecordNo &&
		a.Title == b.Title && a.Party == b.Party && a.USCC == b.USCC && a.FormedOn == b.FormedOn &&
		a.Procedure == b.Procedure && a.Penalty == b.Penalty && slices.Equal(a.Channels, b.Channels)
}

// Records lists expected records ordered by county, item and record number.
func (db *DB) Records(ctx context.Context, q store.RecordQuery) ([]records.Record, error) {
	all, err := db.c.HGetAll(ctx, db.kRecords()).Result()
	if err != nil {
		return nil, err
	}
	var out []records.Record
	for key, s := range all {
		var r records.Record
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			return nil, fmt.Errorf("Redis 存储数据损坏: 记录 %q: %v", key, err)
		}
		if (q.County != "" && r.County != q.County) || (q.Item != "" && r.Item != q.Item) {
			continue
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.County != b.County {
			return a.County < b.County
		}
		if a.Item != b.Item {
			return a.Item < b.Item
		}
		return a.RecordNo < b.RecordNo
	})
	return out, nil
}
