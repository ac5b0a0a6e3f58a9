-- Rows per tier value. Template: {table}, {tier}. No params. Returns: tier, n.
SELECT t.{tier}::int AS tier, count(*) AS n FROM {table} t GROUP BY t.{tier} ORDER BY 1;
