-- Every vector index of the given access methods in this database, with the facts each job reads:
-- the one description of a vector index (health, bloat, rebuild, regression and prewarm take the
-- columns they need). Sizes from pg_relation_size (main fork; AccessShare on the catalogs only);
-- row counts are the planner's estimates (reltuples, -1 before the first ANALYZE -> null).
-- Params: access methods (text[], e.g. {hnsw,ivfflat,diskann}).
-- Returns:
--   identity: schema_name, index_name, table_name, index_oid, table_oid, method, opclass,
--     definition (pg_get_indexdef), valid, options (json array of 'key=value'), predicate (a
--     partial index's WHERE, else null), partial, partitioned (a partitioned table's index: no
--     storage of its own), parent_oid (for an index of a partition, its parent index, else null),
--     leaf_indexes (a partitioned index's indexes on its leaf partitions, as text[] of names
--     schema.name unquoted, as the daemon names indexes; null for any other index);
--   the column: column_name (or the expression), column_type (format_type with dimensions, or
--     'expression'); type_name and dimensions of what the index stores (the index's own first
--     attribute: for an expression index the expression's type, e.g. halfvec(3072) or bit(256);
--     dimensions null when unconstrained);
--   sizes: size_bytes, table_bytes, rows (table, bigint), table_rows and index_rows (float, the
--     index's own count for a partial index), null_frac and avg_width (pg_stats of the column);
--   state: build_in_progress (a build of this index is running), table_build_in_progress (any
--     index build on its table), can_maintain (owner or member of the owner role: needed for
--     REINDEX), can_select (SELECT on the table);
--   for queries like the application's: table_ref (quoted schema.table), column_expr (the quoted
--     column, or the indexed expression in parentheses), cast_type (the stored type with its
--     dimensions, usable as a cast of a query value), operator
--     (the opclass's ordering operator as OPERATOR(schema.op), whatever the search_path),
--     operator_name (as an application writes it), lists (ivfflat; default 100), send_function
--     (the stored type's binary output function, schema-qualified);
--   for an expression index over exactly one vector or halfvec column of its table (a cast,
--     binary_quantize, subvector, l2_normalize): base_column (quoted), base_type (format_type)
--     and base_send_function, the column the application's query vectors come from; else null.
--     The columns an index expression uses are its pg_depend entries on the table's columns.
SELECT n.nspname AS schema_name,
       ic.relname AS index_name,
       tc.relname AS table_name,
       ic.oid::bigint AS index_oid,
       tc.oid::bigint AS table_oid,
       am.amname AS method,
       opc.opcname AS opclass,
       pg_get_indexdef(ic.oid) AS definition,
       i.indisvalid AS valid,
       coalesce(array_to_json(ic.reloptions)::text, '[]') AS options,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       i.indpred IS NOT NULL AS partial,
       ic.relkind = 'I' AS partitioned,
       pi.inhparent::bigint AS parent_oid,
       CASE WHEN ic.relkind = 'I' THEN
         ARRAY(SELECT ln.nspname || '.' || lc.relname
               FROM pg_partition_tree(ic.oid) pt
               JOIN pg_class lc ON lc.oid = pt.relid
               JOIN pg_namespace ln ON ln.oid = lc.relnamespace
               WHERE pt.isleaf
               ORDER BY 1) END AS leaf_indexes,
       coalesce(a.attname, pg_get_indexdef(ic.oid, 1, true)) AS column_name,
       coalesce(format_type(a.atttypid, a.atttypmod), 'expression') AS column_type,
       it.typname AS type_name,
       CASE WHEN ia.atttypmod > 0 THEN ia.atttypmod END AS dimensions,
       pg_relation_size(ic.oid) AS size_bytes,
       pg_relation_size(tc.oid) AS table_bytes,
       CASE WHEN tc.reltuples >= 0 THEN tc.reltuples::bigint END AS rows,
       CASE WHEN tc.reltuples >= 0 THEN tc.reltuples END AS table_rows,
       CASE WHEN ic.reltuples >= 0 THEN ic.reltuples END AS index_rows,
       s.null_frac,
       s.avg_width,
       EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = ic.oid) AS build_in_progress,
       EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.relid = tc.oid) AS table_build_in_progress,
       pg_has_role(current_user, tc.relowner, 'USAGE') AS can_maintain,
       has_table_privilege(tc.oid, 'SELECT') AS can_select,
       format('%I.%I', n.nspname, tc.relname) AS table_ref,
       CASE WHEN i.indkey[0] <> 0 THEN quote_ident(a.attname)
            ELSE '(' || pg_get_indexdef(ic.oid, 1, true) || ')' END AS column_expr,
       format_type(ia.atttypid, ia.atttypmod) AS cast_type,
       op.qualified AS operator,
       op.oprname AS operator_name,
       coalesce((SELECT split_part(o, '=', 2)::int FROM unnest(ic.reloptions) o WHERE o LIKE 'lists=%'), 100) AS lists,
       (SELECT format('%I.%I', sn.nspname, sp.proname)
        FROM pg_type st JOIN pg_proc sp ON sp.oid = st.typsend JOIN pg_namespace sn ON sn.oid = sp.pronamespace
        WHERE st.oid = ia.atttypid) AS send_function,
       base.column_name AS base_column,
       base.type AS base_type,
       base.send_function AS base_send_function
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_am am ON am.oid = ic.relam
JOIN pg_opclass opc ON opc.oid = i.indclass[0]
LEFT JOIN pg_attribute a ON a.attrelid = tc.oid AND a.attnum = i.indkey[0] AND i.indkey[0] <> 0
LEFT JOIN pg_inherits pi ON pi.inhrelid = ic.oid
LEFT JOIN pg_attribute ia ON ia.attrelid = ic.oid AND ia.attnum = 1
LEFT JOIN pg_type it ON it.oid = ia.atttypid
LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = tc.relname AND s.attname = a.attname
                    AND NOT s.inherited
LEFT JOIN LATERAL (
  SELECT format('OPERATOR(%I.%s)', opn.nspname, o.oprname) AS qualified, o.oprname
  FROM pg_amop ao
  JOIN pg_operator o ON o.oid = ao.amopopr
  JOIN pg_namespace opn ON opn.oid = o.oprnamespace
  WHERE ao.amopfamily = opc.opcfamily AND ao.amoppurpose = 'o'
  ORDER BY ao.amopstrategy
  LIMIT 1) op ON true
LEFT JOIN LATERAL (
  SELECT min(quote_ident(ba.attname)) AS column_name,
         min(format_type(ba.atttypid, ba.atttypmod)) AS type,
         min(format('%I.%I', bn.nspname, bp.proname)) AS send_function
  FROM pg_depend d
  JOIN pg_attribute ba ON ba.attrelid = d.refobjid AND ba.attnum = d.refobjsubid
  JOIN pg_type bt ON bt.oid = ba.atttypid AND bt.typname IN ('vector', 'halfvec')
  JOIN pg_proc bp ON bp.oid = bt.typsend
  JOIN pg_namespace bn ON bn.oid = bp.pronamespace
  WHERE i.indkey[0] = 0
    AND d.classid = 'pg_class'::regclass AND d.objid = ic.oid
    AND d.refclassid = 'pg_class'::regclass AND d.refobjid = tc.oid AND d.refobjsubid > 0
  HAVING count(DISTINCT ba.attnum) = 1) base ON true
WHERE am.amname = ANY (?::text[])
ORDER BY n.nspname, tc.relname, ic.relname;
