-- Schema version 2: why a column is not complete, and what it declared.
-- reason is Chinese text ('' when complete); failed_pages is a JSON array of
-- request keys of list pages that could not be read ('' = none); blank marks
-- a complete column that lists nothing and shows the site's empty-list
-- marker; declared_pages / declared_total are what the column declares
-- (0 = unknown), listed the distinct entries seen on the walked pages.
ALTER TABLE sweep_columns ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE sweep_columns ADD COLUMN failed_pages TEXT NOT NULL DEFAULT '';
ALTER TABLE sweep_columns ADD COLUMN blank INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sweep_columns ADD COLUMN declared_pages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sweep_columns ADD COLUMN declared_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sweep_columns ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;
