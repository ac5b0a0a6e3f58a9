-- Rows a rule would move (dry run). Template as move_batch. Params: target tier, rule params,
-- earlier rules' params. Returns: n.
SELECT count(*) AS n FROM {table} t WHERE t.{tier} IS DISTINCT FROM ? AND ({rule}) AND NOT ({earlier_rules});
