-- Every pupil-level read and every export: who (token subject, role, scope), what (action, path with query), when,
-- from where, and how many rows went out. Append only; admins read it through GET /api/v1/audit.
CREATE TABLE IF NOT EXISTS audit_log
(
    at DateTime64(3, 'UTC'),
    subject String,
    role LowCardinality(String),
    scope String,
    action LowCardinality(String),
    resource String,
    rows UInt32,
    ip String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (at, subject);
