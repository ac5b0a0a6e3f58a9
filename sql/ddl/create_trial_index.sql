-- One shape the quantization-trial tries, built on its scratch sample (not CONCURRENTLY: nobody
-- else uses the scratch table, and a plain build is what the shape costs).
-- A template: {index} (unqualified, quoted), {sample} (the quoted scratch table), {index_key} (the
-- column or expression indexed), {opclass}, {options} (e.g. m = 16, ef_construction = 64).
-- Returns nothing.
CREATE INDEX {index} ON {sample} USING hnsw ({index_key} {opclass}) WITH ({options});
