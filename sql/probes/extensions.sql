-- Extensions the jobs use: version installed in this database, default version the server can
-- install (pg_available_extensions reads the control files), and whether its library is in
-- shared_preload_libraries. No params.
-- Returns: name, installed_version (null = not installed), available_version (null = not on the server), preloaded.
SELECT e.name,
       x.extversion AS installed_version,
       a.default_version AS available_version,
       e.name = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS preloaded
FROM unnest(ARRAY['vector', 'vectorscale', 'pg_stat_statements', 'pg_buffercache', 'pg_prewarm', 'pgstattuple']) AS e(name)
LEFT JOIN pg_extension x ON x.extname = e.name
LEFT JOIN pg_available_extensions a ON a.name = e.name
ORDER BY e.name;
