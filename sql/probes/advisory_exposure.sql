-- What in this database pgvector's advisories can put at risk (see advisories.yml, exposedWhen):
-- counts of HNSW and IVFFlat indexes, of tables with an HNSW index that have had deletes or
-- updates since their statistics were reset (what HNSW vacuuming then repairs), of sparsevec
-- columns, of vector columns still on the extended storage pgvector used before 0.6.0, and of
-- IVFFlat indexes on a 32-bit server (version() says so).
-- No params. Returns one row: hnsw_indexes, ivfflat_indexes, hnsw_tables_with_deletes,
-- sparsevec_columns, vector_columns_extended_storage, ivfflat_indexes_on_32_bit.
SELECT (SELECT count(*) FROM pg_class ic JOIN pg_am am ON am.oid = ic.relam
        WHERE am.amname = 'hnsw' AND ic.relkind = 'i') AS hnsw_indexes,
       (SELECT count(*) FROM pg_class ic JOIN pg_am am ON am.oid = ic.relam
        WHERE am.amname = 'ivfflat' AND ic.relkind = 'i') AS ivfflat_indexes,
       (SELECT count(DISTINCT i.indrelid) FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'hnsw'
        JOIN pg_stat_user_tables s ON s.relid = i.indrelid
        WHERE s.n_tup_del + s.n_tup_upd > 0) AS hnsw_tables_with_deletes,
       (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_type t ON t.oid = a.atttypid
        WHERE t.typname = 'sparsevec' AND c.relkind IN ('r', 'p') AND a.attnum > 0
          AND NOT a.attisdropped) AS sparsevec_columns,
       (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_type t ON t.oid = a.atttypid
        WHERE t.typname = 'vector' AND a.attstorage = 'x' AND c.relkind IN ('r', 'p')
          AND a.attnum > 0 AND NOT a.attisdropped) AS vector_columns_extended_storage,
       (SELECT count(*) FROM pg_class ic JOIN pg_am am ON am.oid = ic.relam
        WHERE am.amname = 'ivfflat' AND ic.relkind = 'i'
          AND version() LIKE '%32-bit') AS ivfflat_indexes_on_32_bit;
