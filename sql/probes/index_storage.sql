-- Where an index's files are, for a free-space check on the machine the daemon runs on. NULL
-- data_directory when the role may not read it (superuser or pg_read_all_settings needed).
-- Params: index oid (bigint), the same oid. Returns: data_directory, file_path (relative to it, the
-- first segment: base/<db>/<file> or pg_tblspc/<tablespace>/…), size_bytes.
SELECT CASE WHEN pg_has_role(current_user, 'pg_read_all_settings', 'USAGE')
            THEN current_setting('data_directory') END AS data_directory,
       pg_relation_filepath(?::oid) AS file_path,
       pg_relation_size(?::oid) AS size_bytes;
