-- Drops the quantization-trial's scratch schema and what is in it: the sample copied by the daemon
-- and the indexes it built there, never an application's data (the caller checked the schema's
-- mark first). A template: {schema} (quoted). Returns nothing.
DROP SCHEMA {schema} CASCADE;
