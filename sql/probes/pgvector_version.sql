-- The installed pgvector version in this database (null when the extension is not installed), for
-- the advisories that change how the daemon maintains its indexes. No params. Returns: version.
SELECT (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS version;
