-- Builds a copy of an index beside it, without blocking writes (an IVFFlat index re-listed).
-- Template: {unique} is "UNIQUE " or empty, {index_name} the quoted new name, {definition} the
-- original's definition after "ON " (table, method, columns, WITH options, predicate) with the new
-- options. Outside a transaction block.
CREATE {unique}INDEX CONCURRENTLY {index_name} ON {definition};
