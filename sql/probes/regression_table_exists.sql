-- Whether a table still exists (its index may have been dropped). Params: quoted schema.table.
-- Returns: exists.
SELECT to_regclass(?) IS NOT NULL AS exists;
