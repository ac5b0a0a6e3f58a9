-- Open findings by severity. No params.
SELECT severity, count(*) AS n FROM finding WHERE resolved_at IS NULL GROUP BY severity;
