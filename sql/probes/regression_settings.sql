-- pgvector's query settings as this session sees them (after SET LOCAL, role and database
-- settings). Read after the extension's library is loaded, or unset ones are null.
-- No params. Returns one row of text values (null when the setting does not exist on this version).
SELECT current_setting('hnsw.ef_search', true) AS hnsw_ef_search,
       current_setting('hnsw.iterative_scan', true) AS hnsw_iterative_scan,
       current_setting('hnsw.max_scan_tuples', true) AS hnsw_max_scan_tuples,
       current_setting('ivfflat.probes', true) AS ivfflat_probes,
       current_setting('ivfflat.iterative_scan', true) AS ivfflat_iterative_scan,
       current_setting('ivfflat.max_probes', true) AS ivfflat_max_probes;
