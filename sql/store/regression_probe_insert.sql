-- A probe set's query vectors in one statement. Params: probe_set_id, vectors (text[]),
-- source tids (text[], nulls allowed); ordinals follow the arrays' order from 0.
INSERT INTO regression_probe (probe_set_id, ordinal, vector, source_tid)
SELECT ?, u.ord::int - 1, u.vector, u.source_tid
FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS u(vector, source_tid, ord);
