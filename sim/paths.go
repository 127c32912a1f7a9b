package sim

import (
	"fmt"
	"slices"
	"strconv"
)

// assignPaths gives every entry of a site its id, URL and 索引号 in
// publication order (so ids grow with time, as in a real CMS), and registers
// entries and attachments for routing.
func assignPaths(w *World, s *Site) {
	slices.SortStableFunc(s.entries, func(a, b *Entry) int {
		if a.Published != b.Published {
			return int(a.Published - b.Published)
		}
		if a.Clock != b.Clock {
			return a.Clock - b.Clock
		}
		return a.seq - b.seq
	})
	seed := w.opts.Seed
	base, step := 1300000, 7
	switch s.Family {
	case FamHanweb:
		base, step = 30150000, 13
	case FamGeneric:
		base, step = 1000, 3
	case FamTRSList:
		base, step = 560000, 5
	case FamIntertid:
		base, step = 8800000, 11
	case FamTRSCount:
		base, step = 2100000, 9
	}
	indexSeq := map[int]int{}
	for i, e := range s.entries {
		e.ID = base + i*step + int(hash01(seed, s.Host, strconv.Itoa(i))*float64(step))
		if e.kind == kindOffsite {
			e.Path = e.offsiteURL
			continue
		}
		y := e.Published.Year()
		indexSeq[y]++
		e.indexNo = fmt.Sprintf("%s/%d-%05d", s.OrgCode, y, indexSeq[y])
		d := e.Published
		switch s.Family {
		case FamHanweb:
			e.Path = fmt.Sprintf("/art/%d/%d/%d/art_%d_%d.html", d.Year(), int(d.Month()), d.Day(), e.col.HanwebID, e.ID)
		case FamGeneric:
			e.Path = fmt.Sprintf("/index.php?m=content&c=index&a=show&catid=%d&id=%d", e.col.CatID, e.ID)
			s.byID[e.ID] = e
		default:
			ext := ".shtml"
			if s.Family == FamTRSList {
				ext = ".html"
			}
			e.Path = fmt.Sprintf("%s%04d%02d/t%04d%02d%02d_%d%s", e.col.Dir, d.Year(), int(d.Month()), d.Year(), int(d.Month()), d.Day(), e.ID, ext)
		}
		s.byPath[e.Path] = e
		for k, a := range e.attachments {
			tag := strconv.Itoa(e.ID) + "/" + strconv.Itoa(k)
			h := uint64(hash01(seed, "attach", tag) * (1 << 52))
			switch s.Family {
			case FamHanweb:
				name := fmt.Sprintf("%016x%016x.%s", h, hashString(tag+s.Host), a.Ext)
				a.LinkPath = "/module/download/downfile.jsp?classid=0&filename=" + name
				a.Path = "/attach/0/" + name
			case FamGeneric:
				a.Path = fmt.Sprintf("/uploadfile/%d/%02d%02d/%d%02d%02d%02d%02d%02d%04d.%s", d.Year(), int(d.Month()), d.Day(),
					d.Year(), int(d.Month()), d.Day(), e.Clock/60, e.Clock%60, k*7%60, h%10000, a.Ext)
				a.LinkPath = a.Path
			default:
				a.Path = fmt.Sprintf("%s%04d%02d/P0%04d%02d%02d%012d.%s", e.col.Dir, d.Year(), int(d.Month()),
					d.Year(), int(d.Month()), d.Day(), h%1000000000000, a.Ext)
				a.LinkPath = a.Path
			}
			s.attach[a.Path] = a
		}
	}
}
