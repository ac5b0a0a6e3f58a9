-- Moves one batch of rows to a tier: its own short transaction, locking only the rows it moves
-- and skipping rows the application holds. A template: {table}, {key}, {tier}, {rule},
-- {earlier_rules} and {set_reduced} are filled with quoted identifiers and the rule's
-- conditions; values are parameters. Params: target tier, rule params, earlier rules' params,
-- batch size, target tier. Returns: one row per moved row.
WITH batch AS (
  SELECT t.{key} FROM {table} t
  WHERE t.{tier} IS DISTINCT FROM ? AND ({rule}) AND NOT ({earlier_rules})
  ORDER BY t.{key}
  LIMIT ?
  FOR UPDATE SKIP LOCKED)
UPDATE {table} t SET {tier} = ?{set_reduced}
FROM batch WHERE t.{key} = batch.{key}
RETURNING 1;
