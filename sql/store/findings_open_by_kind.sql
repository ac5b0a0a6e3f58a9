-- Open findings counted by target, kind and severity (Prometheus: pgvector_ops_findings_open).
-- No params.
SELECT target, kind, severity, count(*) AS n
FROM finding
WHERE resolved_at IS NULL
GROUP BY target, kind, severity
ORDER BY target, kind, severity;
