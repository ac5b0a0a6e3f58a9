-- Moves one batch of rows to a tier: its own short transaction, locking only the rows it moves
-- and skipping rows the application holds. A template: {table}, {key}, {tier}, {rule},
-- {earlier_rules} and {set_reduced} are filled with quoted identifiers and the rule's
-- conditions; {after_key} is empty for the first batch, then "AND t.key > ?" so each batch
-- continues after the last key moved instead of re-reading the moved rows (a row skipped because
-- the application held it is moved by the next run). Values are parameters. Params: target tier,
-- rule params, earlier rules' params, [last key], batch size, target tier. Returns: key of each moved row.
WITH batch AS (
  SELECT t.{key} FROM {table} t
  WHERE t.{tier} IS DISTINCT FROM ? AND ({rule}) AND NOT ({earlier_rules}) {after_key}
  ORDER BY t.{key}
  LIMIT ?
  FOR UPDATE SKIP LOCKED)
UPDATE {table} t SET {tier} = ?{set_reduced}
FROM batch WHERE t.{key} = batch.{key}
RETURNING t.{key};
