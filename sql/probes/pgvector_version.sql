-- pgvector's two versions in this database, for the advisories that change how the daemon
-- maintains its indexes: the SQL objects' (extversion; null when the extension is not created) and
-- the installed library's (the control file's default_version: the C code that builds, vacuums and
-- scans). No params. Returns: version, library.
SELECT (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS version,
       (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS library;
