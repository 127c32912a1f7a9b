-- Schema version 3: fetch_state holds only fetchable requests. A POST list
-- page (Hanweb's dataproxy pages share one URL) is keyed by its URL and its
-- encoded form in a column of its own instead of "URL#form" in url; what a
-- list last showed for an entry (its signature: title, date, document
-- number), kept until now as "URL#list" rows, gets its own table.
CREATE TABLE list_entries (
    url       TEXT PRIMARY KEY, -- the entry's detail URL
    signature TEXT NOT NULL,
    seen      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO list_entries (url, signature, seen)
    SELECT substr(url, 1, length(url) - 5), content_hash, last_fetched FROM fetch_state
    WHERE substr(url, -5) = '#list' AND content_hash <> '';

CREATE TABLE fetch_state_v3 (
    url           TEXT NOT NULL,
    form          TEXT NOT NULL DEFAULT '', -- encoded form of a POST; '' for a GET
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    content_hash  TEXT NOT NULL DEFAULT '',
    last_status   INTEGER NOT NULL DEFAULT 0,
    last_fetched  INTEGER NOT NULL DEFAULT 0,
    error_count   INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    capture_id    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (url, form)
);
-- Fetched URLs carry no fragment, so the first '#' starts the form.
INSERT INTO fetch_state_v3 (url, form, etag, last_modified, content_hash, last_status, last_fetched,
        error_count, last_error, capture_id)
    SELECT CASE WHEN instr(url, '#') > 0 THEN substr(url, 1, instr(url, '#') - 1) ELSE url END,
           CASE WHEN instr(url, '#') > 0 THEN substr(url, instr(url, '#') + 1) ELSE '' END,
           etag, last_modified, content_hash, last_status, last_fetched, error_count, last_error, capture_id
    FROM fetch_state WHERE substr(url, -5) <> '#list';
DROP TABLE fetch_state;
ALTER TABLE fetch_state_v3 RENAME TO fetch_state;
