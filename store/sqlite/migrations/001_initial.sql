-- gongkai embedded store, schema version 1.
--
-- Conventions: times are INTEGER Unix nanoseconds (0 = unknown/zero time);
-- civil dates (calendar.Date) are INTEGER days since 1970-01-01 plus one
-- (0 = unknown). Lists and maps in the small tables (records, sweeps) are
-- JSON text ('' = empty); the structured columns of publications and
-- publication_versions, read in bulk for every report, are BLOBs in the
-- compact binary form described in codec.go (x'' = empty).

-- Expected records, as imported from the office's files. key is
-- county|item|record_no; a re-import replaces the row with the same key.
CREATE TABLE records (
    key        TEXT PRIMARY KEY,
    county     TEXT NOT NULL,
    item       TEXT NOT NULL,
    record_no  TEXT NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    party      TEXT NOT NULL DEFAULT '',
    uscc       TEXT NOT NULL DEFAULT '',
    formed_on  INTEGER NOT NULL DEFAULT 0,
    procedure  TEXT NOT NULL DEFAULT '',
    penalty    TEXT NOT NULL DEFAULT '',
    channels   TEXT NOT NULL DEFAULT '',   -- JSON array of channel names, '' = item default
    source     TEXT NOT NULL DEFAULT ''    -- file the record came from
);
CREATE INDEX records_county_item ON records (county, item);

-- One sync of one source. finished = 0 while running or if the process died.
CREATE TABLE sweeps (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT NOT NULL,
    county      TEXT NOT NULL DEFAULT '',
    channel     TEXT NOT NULL DEFAULT '',
    full        INTEGER NOT NULL DEFAULT 0,
    started     INTEGER NOT NULL,
    finished    INTEGER NOT NULL DEFAULT 0,
    interrupted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sweeps_source_started ON sweeps (source, started);
CREATE INDEX sweeps_county_started ON sweeps (county, started);

-- How completely each column was observed in a sweep; one row per
-- (sweep, column), upserted by Batch.Column. Rows keep their first insertion
-- order (rowid), which is the order Sweeps returns them in.
CREATE TABLE sweep_columns (
    sweep_id       INTEGER NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    column_name    TEXT NOT NULL,
    items          TEXT NOT NULL DEFAULT '',   -- JSON array of catalogue item codes
    complete       INTEGER NOT NULL,
    list_pages     INTEGER NOT NULL DEFAULT 0,
    list_failed    INTEGER NOT NULL DEFAULT 0,
    details        INTEGER NOT NULL DEFAULT 0,
    details_failed INTEGER NOT NULL DEFAULT 0,
    errors         TEXT NOT NULL DEFAULT '',   -- JSON array of "URL: reason" lines
    observed_at    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (sweep_id, column_name)
);

-- Per-URL state for incremental sync (conditional GET, change detection).
CREATE TABLE fetch_state (
    url           TEXT PRIMARY KEY,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    content_hash  TEXT NOT NULL DEFAULT '',
    last_status   INTEGER NOT NULL DEFAULT 0,
    last_fetched  INTEGER NOT NULL DEFAULT 0,
    error_count   INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    capture_id    TEXT NOT NULL DEFAULT ''
);

-- A published page or credit-system entry: identity, where it was found and
-- its life cycle. Its content lives in publication_versions; current_id is
-- the row of the current version (a rowid join, the cheapest SQLite has),
-- and content_hash/version_since are copied from it so that Apply decides
-- new/changed/unchanged and list sightings touch only this small row.
CREATE TABLE publications (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    county        TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT '',
    column_name   TEXT NOT NULL DEFAULT '',
    candidates    BLOB NOT NULL DEFAULT x'',  -- catalogue item codes
    state         TEXT NOT NULL CHECK (state IN ('current', 'changed', 'withdrawn')),
    version       INTEGER NOT NULL,           -- number of the current version, 1 at first sight
    current_id    INTEGER NOT NULL DEFAULT 0, -- publication_versions.id of the current version
    content_hash  TEXT NOT NULL DEFAULT '',   -- of the current version
    version_since INTEGER NOT NULL,           -- when the current version was first observed
    first_seen    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL,
    withdrawn     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX publications_county_channel ON publications (county, channel);
CREATE INDEX publications_source ON publications (source);

-- Every distinct content version of a publication, version 1 at first sight
-- (and a new one when a withdrawn page comes back). first_seen is when the
-- version was first observed; last_seen is written when a newer version
-- replaces it (for the current version it is publications.last_seen). Small
-- columns come first and the heavy ones (body, extracted attachment
-- content, disclosures) last, so listings that skip them do not read their
-- overflow pages.
CREATE TABLE publication_versions (
    id                 INTEGER PRIMARY KEY,
    pub_id             INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
    version            INTEGER NOT NULL,
    state              TEXT NOT NULL,              -- state the publication took with this version
    content_hash       TEXT NOT NULL DEFAULT '',
    capture_id         TEXT NOT NULL DEFAULT '',   -- WARC record of the detail page
    evidence           TEXT NOT NULL DEFAULT '',   -- sha256:… payload digest
    sweep_id           INTEGER NOT NULL DEFAULT 0, -- sweep that first observed this version (0 = none)
    first_seen         INTEGER NOT NULL,
    last_seen          INTEGER NOT NULL DEFAULT 0,
    title              TEXT NOT NULL DEFAULT '',
    declared           INTEGER NOT NULL DEFAULT 0,
    declared_from      TEXT NOT NULL DEFAULT '',
    metadata           BLOB NOT NULL DEFAULT x'',  -- label → value
    record_nos         BLOB NOT NULL DEFAULT x'',  -- identifiers as written
    attachments        BLOB NOT NULL DEFAULT x'',  -- attachments without text/sheets
    body               TEXT NOT NULL DEFAULT '',
    attachment_content BLOB NOT NULL DEFAULT x'',  -- text and sheets, parallel to attachments
    disclosures        BLOB NOT NULL DEFAULT x'',
    UNIQUE (pub_id, version)
);

-- Captured HTTP exchanges (evidence), each one WARC record as a gzip member.
-- seq is the commit order used for WARC export.
CREATE TABLE captures (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,       -- WARC-Record-ID
    url            TEXT NOT NULL DEFAULT '',
    at             INTEGER NOT NULL DEFAULT 0,
    type           TEXT NOT NULL DEFAULT '',
    status         INTEGER NOT NULL DEFAULT 0,
    payload_digest TEXT NOT NULL DEFAULT '',
    warc           BLOB NOT NULL
);

-- Targeted credit-system lookups. (county, key, at) identifies a lookup, so
-- re-applying a batch does not duplicate it.
CREATE TABLE credit_lookups (
    id          INTEGER PRIMARY KEY,
    county      TEXT NOT NULL DEFAULT '',
    key         TEXT NOT NULL,
    party       TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    observed    INTEGER NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    company_url TEXT NOT NULL DEFAULT '',
    capture_id  TEXT NOT NULL DEFAULT '',
    UNIQUE (county, key, at)
);
CREATE INDEX credit_lookups_key ON credit_lookups (key);
