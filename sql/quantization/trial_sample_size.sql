-- Rows and bytes of the quantization-trial's sample. A template: {sample} (the quoted scratch
-- table). Params: the same table's name (text). Returns: rows, bytes.
SELECT count(*) AS rows, pg_total_relation_size(?::regclass) AS bytes FROM {sample};
