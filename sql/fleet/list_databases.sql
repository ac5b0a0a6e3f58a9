-- The databases a `databases: all` entry stands for: those that accept connections and are not
-- templates, by name. Params: none.
SELECT datname
FROM pg_catalog.pg_database
WHERE NOT datistemplate
  AND datallowconn
ORDER BY datname;
