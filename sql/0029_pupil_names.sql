-- A pupil's name as a school's register sent it (the optional `name` column), encrypted like the UPN (AES-256-GCM,
-- UPN_KEY): one row per school and pupil, so a school's pack shows the name that school holds and no other school's.
-- Replaced by a later register that carries a name; a register without one leaves it. Only pupil-level answers to the
-- school, its trust and its LA decrypt it: no aggregate, push or log reads this table.
CREATE TABLE IF NOT EXISTS pupil_names
(
    urn UInt32,
    pupil_key String,
    name_encrypted String,
    updated_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (urn, pupil_key);
