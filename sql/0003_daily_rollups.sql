-- Roll-ups recomputed by the roll-up job for exactly the (school, date) slices a submission touched.
-- Each slice is rewritten whole with a newer computed_at, so reading with FINAL gives the latest computation.
-- counted = the pupil is of compulsory school age (national curriculum years 1-11): only those are in DfE's measures.

-- One row per pupil per school per day: the grain of enrolments and persistent / severe absence, and of the
-- pupil-characteristic breakdowns (session counts per category and per register code).
CREATE TABLE IF NOT EXISTS pupil_daily
(
    date Date,
    urn UInt32,
    pupil_key String,
    la_code LowCardinality(String),
    region_code LowCardinality(String),
    phase LowCardinality(String),
    counted UInt8,
    year_group LowCardinality(String),
    sex LowCardinality(String),
    fsm LowCardinality(String),
    sen LowCardinality(String),
    eal LowCardinality(String),
    ethnicity LowCardinality(String),
    cin LowCardinality(String),
    cla LowCardinality(String),
    lsoa LowCardinality(String),
    possible UInt8,
    absent UInt8,
    present UInt8,
    aea UInt8,
    authorised UInt8,
    unauthorised UInt8,
    late UInt8,
    reasons Map(LowCardinality(String), UInt8),
    computed_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(date)
ORDER BY (urn, date, pupil_key);

-- One row per school per day: session counts of counted pupils, with one count per register code in reasons.
CREATE TABLE IF NOT EXISTS school_daily
(
    date Date,
    urn UInt32,
    la_code LowCardinality(String),
    region_code LowCardinality(String),
    phase LowCardinality(String),
    possible UInt32,
    present UInt32,
    aea UInt32,
    authorised UInt32,
    unauthorised UInt32,
    late UInt32,
    reasons Map(LowCardinality(String), UInt32),
    computed_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(date)
ORDER BY (urn, date);

-- The 153 local authorities (codes, names, regions), loaded at start from the committed reference file.
CREATE TABLE IF NOT EXISTS local_authorities
(
    la_code String,
    new_la_code String,
    la_name String,
    region_code String,
    region_name String
)
ENGINE = ReplacingMergeTree
ORDER BY la_code;
