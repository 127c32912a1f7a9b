-- Schema version 5: the internal links inside each published page (links
-- to the same site found in its body) and the result of their last check,
-- for the column health's dead links. A page's rows are replaced whenever
-- the page is parsed again or its dead links are checked again.
CREATE TABLE page_links (
    page       TEXT NOT NULL,
    link       TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    status     INTEGER NOT NULL DEFAULT 0,
    error      TEXT NOT NULL DEFAULT '', -- '' = the link answered
    checked_at INTEGER NOT NULL DEFAULT 0,
    capture_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (page, link)
);
CREATE INDEX page_links_dead ON page_links (page) WHERE error <> '';
