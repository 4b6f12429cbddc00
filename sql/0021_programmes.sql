-- Named groups of schools in an attendance programme (for example an attendance hub) from a start date, evaluated
-- against matched comparator schools (GET /api/v1/programmes/:id/evaluation). Append only: a changed programme is a new one.
CREATE TABLE IF NOT EXISTS programmes
(
    id String,
    name String,
    start_date Date,
    urns Array(UInt32),
    created_by String,
    created_role LowCardinality(String),
    created_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY id;
