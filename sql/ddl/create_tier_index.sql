-- Builds the partial vector index of one tier without blocking writes. Template: {table} quoted
-- schema.name, {method} hnsw or ivfflat, {column} the quoted vector column, {opclass} the
-- operator class of the table's other vector indexes, {tier_column} quoted, {tier} the tier's
-- integer value. Outside a transaction block.
CREATE INDEX CONCURRENTLY ON {table} USING {method} ({column} {opclass}) WHERE {tier_column} = {tier};
