-- Size of one relation by its quoted, qualified name. Params: name. Returns: bytes.
SELECT pg_relation_size(?::regclass) AS bytes;
