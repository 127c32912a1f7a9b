package store

import (
	"errors"
	"fmt"
)

// Validate reports what makes b unfit to apply: a batch without its time,
// a column outcome without its sweep or name, and captures, fetch states,
// list entries, page links, publications or credit lookups without the
// key they are stored by. Every backend checks a batch by this one rule
// before it writes anything.
func (b *Batch) Validate() error {
	if b.At.IsZero() {
		return errors.New("Apply: Batch.At is required")
	}
	if b.Column != nil && b.SweepID == 0 {
		return errors.New("Apply: Batch.Column needs Batch.SweepID")
	}
	if b.Column != nil && b.Column.Column == "" {
		return fmt.Errorf("Apply: column outcome of sweep %d: Column is required", b.SweepID)
	}
	for _, c := range b.Captures {
		if c.ID == "" {
			return fmt.Errorf("Apply: capture of %s has no ID", c.URL)
		}
	}
	for _, f := range b.FetchStates {
		if f.URL == "" {
			return errors.New("Apply: fetch state without URL")
		}
	}
	for _, e := range b.ListEntries {
		if e.URL == "" {
			return errors.New("Apply: list entry without URL")
		}
	}
	for _, pl := range b.PageLinks {
		if pl.Page == "" {
			return errors.New("Apply: page links without Page")
		}
		for _, l := range pl.Links {
			if l.URL == "" {
				return fmt.Errorf("Apply: a link of %s without URL", pl.Page)
			}
		}
	}
	for _, p := range b.Publications {
		if p.URL == "" {
			return fmt.Errorf("Apply: publication %q: URL is required", p.Title)
		}
	}
	for _, c := range b.Credit {
		if c.Key == "" {
			return errors.New("Apply: credit lookup without Key")
		}
	}
	return nil
}

// ValidateBatches validates each batch of a group (Batch.Validate).
func ValidateBatches(bs []Batch) error {
	for i := range bs {
		if err := bs[i].Validate(); err != nil {
			return err
		}
	}
	return nil
}

// CaptureCounty says which county each capture of b was committed for: that
// of the publication, attachment or credit lookup it is evidence of, else
// sweepCounty (the county of b's sweep: a list page of a county's site); a
// credit sweep spans counties and has none of its own, so then the one
// county all of the batch's publications and lookups belong to (a credit
// lookup's search pages: one batch per lookup). "" when none of these
// decides. Every backend records a capture's county by this one rule.
func CaptureCounty(b *Batch, sweepCounty string) func(id string) string {
	byID := map[string]string{}
	batch, mixed := "", false
	one := func(c string) {
		if c == "" || mixed {
			return
		}
		if batch != "" && batch != c {
			mixed, batch = true, ""
			return
		}
		batch = c
	}
	for _, p := range b.Publications {
		one(p.County)
		if p.County == "" {
			continue
		}
		if p.CaptureID != "" {
			byID[p.CaptureID] = p.County
		}
		for _, a := range p.Attachments {
			if a.CaptureID != "" {
				byID[a.CaptureID] = p.County
			}
		}
	}
	for _, c := range b.Credit {
		one(c.County)
		if c.CaptureID != "" && c.County != "" {
			byID[c.CaptureID] = c.County
		}
	}
	return func(id string) string {
		if c, ok := byID[id]; ok {
			return c
		}
		if sweepCounty != "" {
			return sweepCounty
		}
		return batch
	}
}
