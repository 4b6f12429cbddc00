-- A pupil's UPN, encrypted (AES-256-GCM, UPN_KEY), for the users who must recognise their own pupils: one row per
-- pupil_key, replaced when the pupil is sent again. Only pupil-level responses to in-scope users decrypt it.
CREATE TABLE IF NOT EXISTS pupil_identities
(
    pupil_key String,
    upn_encrypted String,
    updated_at DateTime64(6)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY pupil_key;
