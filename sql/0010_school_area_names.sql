-- The names GIAS gives the school's LSOA and MSOA ("Camden 001A", "Camden 001"): they name pupils' home areas.
ALTER TABLE schools ADD COLUMN IF NOT EXISTS lsoa_name String DEFAULT '' AFTER lsoa;
ALTER TABLE schools ADD COLUMN IF NOT EXISTS msoa_name String DEFAULT '' AFTER msoa;
