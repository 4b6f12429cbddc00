-- Schools from GIAS "all establishment data", upserted by URN (the latest upload wins).
-- phase is derived at upload (see server/src/reference/phase.ts): Primary | Secondary | Special | Other.
CREATE TABLE IF NOT EXISTS schools
(
    urn UInt32,
    la_code LowCardinality(String),
    name String,
    type_of_establishment LowCardinality(String),
    status LowCardinality(String),
    phase_of_education LowCardinality(String),
    phase LowCardinality(String),
    number_of_pupils Nullable(UInt32),
    percentage_fsm Nullable(Float64),
    trust_code String,
    trust_name String,
    lsoa String,
    msoa String,
    ofsted_last_inspection Nullable(Date),
    updated_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY urn;
