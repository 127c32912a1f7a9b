-- Schema version 4: captures keep the request record of their exchange
-- (a POST's form is part of the evidence) and the county they were
-- committed for, so that an evidence export can be cut by county.
ALTER TABLE captures ADD COLUMN county TEXT NOT NULL DEFAULT '';
ALTER TABLE captures ADD COLUMN request BLOB NOT NULL DEFAULT x'';

-- Captures stored before version 4: the county of the publication version
-- or credit lookup the capture is evidence of. List pages of those stores
-- had no such link and stay '' (unknown), which a county export leaves out
-- and says so.
-- (Indexes for the look-ups only; a store of a province holds millions of rows.)
CREATE INDEX tmp_versions_capture ON publication_versions (capture_id);
CREATE INDEX tmp_credit_capture ON credit_lookups (capture_id);
UPDATE captures SET county = coalesce(
    (SELECT p.county FROM publication_versions v JOIN publications p ON p.id = v.pub_id
        WHERE v.capture_id = captures.id AND p.county <> '' LIMIT 1),
    (SELECT c.county FROM credit_lookups c WHERE c.capture_id = captures.id AND c.county <> '' LIMIT 1),
    '');
DROP INDEX tmp_versions_capture;
DROP INDEX tmp_credit_capture;
