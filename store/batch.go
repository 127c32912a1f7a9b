package store

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
