-- Vector indexes of one table with their predicate and validity, to check that every tier has a
-- partial index covering it. Params: table (quoted, qualified name). Returns: index_name, column_name,
-- opclass (schema-qualified and quoted, ready for a CREATE INDEX), method, predicate (pg_get_expr of
-- indpred, null for a full index), valid.
SELECT ic.relname AS index_name, a.attname AS column_name, format('%I.%I', opn.nspname, opc.opcname) AS opclass, am.amname AS method,
       pg_get_expr(i.indpred, i.indrelid) AS predicate, i.indisvalid AS valid
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam AND am.amname IN ('hnsw', 'ivfflat', 'diskann')
JOIN pg_opclass opc ON opc.oid = i.indclass[0]
JOIN pg_namespace opn ON opn.oid = opc.opcnamespace
LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
WHERE i.indrelid = ?::regclass;
