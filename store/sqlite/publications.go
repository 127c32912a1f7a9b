package sqlite

import (
	"context"
	"database/sql"
	"gongkai"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/store"
)

// Columns read for a publication. pubIdentity comes from publications; the
// per-version part from publication_versions; the heavy part only when
// bodies are wanted. The state/version/seen columns are chosen by the caller:
// the publication's for the current view, the version's for history.
const (
	pubIdentity = `p.url, p.county, p.channel, p.source, p.column_name, p.candidates, p.withdrawn`
	pubContent  = `v.content_hash, v.capture_id, v.evidence, v.title, v.declared, v.declared_from,
		v.metadata, v.record_nos, v.attachments`
	pubHeavy = `v.body, v.attachment_content, v.disclosures`

	currentLife = `p.state, p.version, p.first_seen, p.last_seen`
	versionLife = `v.state, v.version, v.first_seen, CASE WHEN v.id = p.current_id THEN p.last_seen ELSE v.last_seen END`

	pubFrom = ` FROM publications p JOIN publication_versions v ON v.id = p.current_id`
)

func pubSelect(life string, bodies bool) string {
	cols := pubIdentity + ", " + life + ", " + pubContent
	if bodies {
		cols += ", " + pubHeavy
	}
	return "SELECT " + cols
}

// pubScanner scans publication rows, reusing its buffers between rows. The
// binary columns are scanned as sql.RawBytes (no copy) and decoded at once.
type pubScanner struct {
	bodies bool

	channel, state                               string
	withdrawn, declared, firstSeen, lastSeen     int64
	candidates, metadata, recordNos, attachments sql.RawBytes
	attachmentContent, disclosures               sql.RawBytes
	dest                                         []any
	p                                            gongkai.Publication
}

func newPubScanner(bodies bool) *pubScanner {
	s := &pubScanner{bodies: bodies}
	p := &s.p
	s.dest = []any{&p.URL, &p.County, &s.channel, &p.Source, &p.Column, &s.candidates, &s.withdrawn,
		&s.state, &p.Version, &s.firstSeen, &s.lastSeen,
		&p.ContentHash, &p.CaptureID, &p.Evidence, &p.Title, &s.declared, &p.DeclaredFrom,
		&s.metadata, &s.recordNos, &s.attachments}
	if bodies {
		s.dest = append(s.dest, &p.Body, &s.attachmentContent, &s.disclosures)
	}
	return s
}

func (s *pubScanner) scan(rows *sql.Rows) (gongkai.Publication, error) {
	s.p = gongkai.Publication{}
	if err := rows.Scan(s.dest...); err != nil {
		return gongkai.Publication{}, err
	}
	p := s.p
	p.Channel = catalogue.Channel(s.channel)
	p.State = gongkai.PubState(s.state)
	p.Declared = calendar.Date(s.declared)
	p.FirstSeen, p.LastSeen, p.Withdrawn = timeFromDB(s.firstSeen), timeFromDB(s.lastSeen), timeFromDB(s.withdrawn)
	var err error
	if p.Candidates, err = decodeStrings(s.candidates, "candidates"); err != nil {
		return p, err
	}
	if p.Metadata, err = decodeStrMap(s.metadata, "metadata"); err != nil {
		return p, err
	}
	if p.RecordNos, err = decodeStrings(s.recordNos, "record numbers"); err != nil {
		return p, err
	}
	if p.Attachments, err = decodeAttachments(s.attachments); err != nil {
		return p, err
	}
	if !s.bodies {
		return p, nil
	}
	if err := decodeAttachmentContent(s.attachmentContent, p.Attachments); err != nil {
		return p, err
	}
	if p.Disclosures, err = decodeDisclosures(s.disclosures); err != nil {
		return p, err
	}
	return p, nil
}

// Publication returns the current version of the publication at url, with
// body, attachment content and disclosures.
func (db *DB) Publication(ctx context.Context, url string) (gongkai.Publication, bool, error) {
	st, err := db.readStmt(ctx, pubSelect(currentLife, true)+pubFrom+` WHERE p.url = ?`)
	if err != nil {
		return gongkai.Publication{}, false, err
	}
	rows, err := st.QueryContext(ctx, url)
	if err != nil {
		return gongkai.Publication{}, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return gongkai.Publication{}, false, rows.Err()
	}
	p, err := newPubScanner(true).scan(rows)
	if err != nil {
		return gongkai.Publication{}, false, err
	}
	return p, true, rows.Close()
}

// Publications lists current publications (see EachPublication for the
// order). It is EachPublication collected into a slice.
func (db *DB) Publications(ctx context.Context, q store.PublicationQuery) ([]gongkai.Publication, error) {
	var out []gongkai.Publication
	err := db.EachPublication(ctx, q, func(p gongkai.Publication) error {
		out = append(out, p)
		return nil
	})
	return out, err
}

// EachPublication streams the publications q selects to fn with one query
// (one read transaction) whatever their number; an error from fn stops the
// walk and is returned. Use it instead of Publications to process a
// province without holding every body in memory. Order: the order they were
// first seen; with a County filter, by channel and then first seen.
func (db *DB) EachPublication(ctx context.Context, q store.PublicationQuery, fn func(gongkai.Publication) error) error {
	var w where
	w.eq("p.county", string(q.County))
	w.eq("p.channel", string(q.Channel))
	w.eq("p.source", q.Source)
	if !q.IncludeWithdrawn {
		w.add("p.state != 'withdrawn'")
	}
	// Orders an index delivers, so that SQLite never sorts full rows.
	order := ` ORDER BY p.id`
	if q.County != "" {
		order = ` ORDER BY p.county, p.channel, p.id`
	}
	st, err := db.readStmt(ctx, pubSelect(currentLife, q.WithBodies)+pubFrom+w.String()+order)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	sc := newPubScanner(q.WithBodies)
	for rows.Next() {
		p, err := sc.scan(rows)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Versions lists every stored version of the publication at url, oldest
// first, with bodies. Each version carries the state it was recorded with
// and FirstSeen/LastSeen of that version (when it was first and last
// observed with that content); identity fields (county, source, column,
// candidates) are the publication's current ones.
func (db *DB) Versions(ctx context.Context, url string) ([]gongkai.Publication, error) {
	st, err := db.readStmt(ctx, pubSelect(versionLife, true)+
		` FROM publications p JOIN publication_versions v ON v.pub_id = p.id WHERE p.url = ? ORDER BY v.version`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, url)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sc := newPubScanner(true)
	var out []gongkai.Publication
	for rows.Next() {
		p, err := sc.scan(rows)
		if err != nil {
			return nil, err
		}
		p.Withdrawn = timeFromDB(0) // a withdrawal belongs to the publication, not to a version
		out = append(out, p)
	}
	return out, rows.Err()
}
