-- Extensions the jobs use: version installed in this database, default version the server can
-- install (pg_available_extensions reads the control files), and whether its library is in
-- shared_preload_libraries: read through pg_settings, which leaves the row out for a role that may
-- not see it (superuser or pg_read_all_settings), so that is NULL instead of an error. No params.
-- Returns: name, installed_version (null = not installed), available_version (null = not on the
-- server), preloaded (null = this role cannot tell).
SELECT e.name,
       x.extversion AS installed_version,
       a.default_version AS available_version,
       e.name = ANY (string_to_array(replace((SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'), ' ', ''), ',')) AS preloaded
FROM unnest(ARRAY['vector', 'vectorscale', 'pg_stat_statements', 'pg_buffercache', 'pg_prewarm', 'pgstattuple']) AS e(name)
LEFT JOIN pg_extension x ON x.extname = e.name
LEFT JOIN pg_available_extensions a ON a.name = e.name
ORDER BY e.name;
