-- Vector indexes the regression job can measure (hnsw, ivfflat) and what its queries need.
-- No params. Returns: schema_name, index_name, table_oid, table_ref (quoted schema.table),
--   column_expr (the quoted column, or the indexed expression in parentheses), column_type (usable
--   as a cast: format_type with the column's dimensions), method, opclass, operator (the opclass's
--   ordering operator as OPERATOR(schema.op), so it resolves whatever the search_path),
--   operator_name (as an application writes it), lists (ivfflat; its default 100), predicate (a
--   partial index's WHERE, else null), valid, definition, send_function (the column type's binary
--   output function, schema-qualified: vector_send(col) is the cheapest way to ship a vector).
SELECT n.nspname AS schema_name,
       ic.relname AS index_name,
       tc.oid::bigint AS table_oid,
       format('%I.%I', n.nspname, tc.relname) AS table_ref,
       CASE WHEN i.indkey[0] <> 0 THEN quote_ident(a.attname)
            ELSE '(' || pg_get_indexdef(ic.oid, 1, true) || ')' END AS column_expr,
       CASE WHEN i.indkey[0] <> 0 THEN format_type(a.atttypid, a.atttypmod)
            ELSE format_type(opc.opcintype, NULL) END AS column_type,
       am.amname AS method,
       opc.opcname AS opclass,
       op.qualified AS operator,
       op.oprname AS operator_name,
       coalesce((SELECT split_part(o, '=', 2)::int FROM unnest(ic.reloptions) o WHERE o LIKE 'lists=%'), 100) AS lists,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       i.indisvalid AS valid,
       pg_get_indexdef(ic.oid) AS definition,
       (SELECT format('%I.%I', sn.nspname, sp.proname)
        FROM pg_type st JOIN pg_proc sp ON sp.oid = st.typsend JOIN pg_namespace sn ON sn.oid = sp.pronamespace
        WHERE st.oid = coalesce(a.atttypid, opc.opcintype)) AS send_function
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_am am ON am.oid = ic.relam
JOIN pg_opclass opc ON opc.oid = i.indclass[0]
LEFT JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = i.indkey[0] AND i.indkey[0] <> 0
CROSS JOIN LATERAL (
  SELECT format('OPERATOR(%I.%s)', opn.nspname, o.oprname) AS qualified, o.oprname
  FROM pg_amop ao
  JOIN pg_operator o ON o.oid = ao.amopopr
  JOIN pg_namespace opn ON opn.oid = o.oprnamespace
  WHERE ao.amopfamily = opc.opcfamily AND ao.amoppurpose = 'o'
  ORDER BY ao.amopstrategy
  LIMIT 1) op
WHERE am.amname IN ('hnsw', 'ivfflat')
ORDER BY n.nspname, tc.relname, ic.relname;
