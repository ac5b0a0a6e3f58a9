-- Each table with a valid HNSW index, for capacity's autovacuum advice: its rows, the row versions
-- its updates and deletes left for vacuum since its statistics were reset (a HOT update adds no
-- index entry, so it is left out), its dead rows now, its autovacuums, its HNSW indexes' size, the
-- autovacuum settings that apply to it (the table's own reloptions, else the server's), and
-- pgvector's versions (the SQL objects' extversion, the library's default_version). Params: none.
SELECT format('%I.%I', n.nspname, t.relname) AS quoted_table,
       n.nspname || '.' || t.relname AS table_name,
       greatest(t.reltuples, 0)::bigint AS rows,
       s.n_dead_tup AS dead_rows,
       s.n_tup_upd - s.n_tup_hot_upd + s.n_tup_del AS dead_making_writes,
       s.autovacuum_count,
       count(*) AS hnsw_indexes,
       sum(pg_relation_size(i.indexrelid))::bigint AS hnsw_bytes,
       (SELECT o.option_value::float8 FROM pg_options_to_table(t.reloptions) o
        WHERE o.option_name = 'autovacuum_vacuum_scale_factor') AS table_scale_factor,
       current_setting('autovacuum_vacuum_scale_factor')::float8 AS server_scale_factor,
       coalesce((SELECT o.option_value::bigint FROM pg_options_to_table(t.reloptions) o
                 WHERE o.option_name = 'autovacuum_vacuum_threshold'),
                current_setting('autovacuum_vacuum_threshold')::bigint) AS threshold,
       current_setting('autovacuum')::bool AS server_autovacuum,
       coalesce((SELECT o.option_value::bool FROM pg_options_to_table(t.reloptions) o
                 WHERE o.option_name = 'autovacuum_enabled'), true) AS table_autovacuum,
       (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS pgvector,
       (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS pgvector_library
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'hnsw'
JOIN pg_class t ON t.oid = i.indrelid AND t.relkind = 'r'
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_stat_all_tables s ON s.relid = t.oid
WHERE i.indisvalid
GROUP BY n.nspname, t.relname, t.reltuples, t.reloptions,
         s.n_dead_tup, s.n_tup_upd, s.n_tup_hot_upd, s.n_tup_del, s.autovacuum_count
ORDER BY table_name;
