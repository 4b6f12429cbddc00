-- Raw register marks: one row per pupil per session. A later submission for the same pupil-session replaces the
-- earlier one (ReplacingMergeTree on received_at): read with FINAL, and only in the roll-up jobs.
-- pupil_key is HMAC-SHA256 of the UPN: the raw UPN is never stored in plain text.
-- category is the register code's group (DOMAIN.md), fixed at ingest from server/src/submission/register-codes.ts.
CREATE TABLE IF NOT EXISTS marks
(
    urn UInt32,
    date Date,
    pupil_key String,
    session Enum8('AM' = 1, 'PM' = 2),
    code LowCardinality(String),
    category Enum8('present' = 1, 'aea' = 2, 'authorised' = 3, 'unauthorised' = 4, 'not_possible' = 5),
    year_group LowCardinality(String),
    sex LowCardinality(String),
    fsm LowCardinality(String),
    sen LowCardinality(String),
    eal LowCardinality(String),
    ethnicity LowCardinality(String),
    cin LowCardinality(String),
    cla LowCardinality(String),
    lsoa LowCardinality(String),
    submission_id UUID,
    received_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(date)
ORDER BY (urn, date, pupil_key, session)
-- A 202 promises the marks are kept: each insert reaches the disk before it is acknowledged.
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;

-- One row per accepted submission; content_sha256 makes a repeated post of the same file a no-op.
CREATE TABLE IF NOT EXISTS submissions
(
    submission_id UUID,
    content_sha256 String,
    submitted_by String,
    rows UInt32,
    urns Array(UInt32),
    dates Array(Date),
    received_at DateTime64(6)
)
ENGINE = MergeTree
ORDER BY content_sha256
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;
