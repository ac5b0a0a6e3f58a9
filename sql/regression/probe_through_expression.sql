-- A query vector passed through an expression index's expression, as the application's query
-- passes it (e.g. binary_quantize(?::vector(1536))::bit(1536)). A template: {expression} (the
-- index expression with its column replaced by the parameter). Params: the query vector (text, the
-- column's type). Returns: vector (the value in the type the index stores, as text).
SELECT ({expression})::text AS vector;
