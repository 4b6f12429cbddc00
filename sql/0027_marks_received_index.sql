-- Which marks arrived lately (the reconciliation asks every minute) without reading every mark's arrival time: each
-- granule's earliest and latest received_at. Registers arrive in date order, so all but the latest granules are skipped.
ALTER TABLE marks ADD INDEX IF NOT EXISTS received_at_range received_at TYPE minmax GRANULARITY 1;
ALTER TABLE marks MATERIALIZE INDEX received_at_range;
