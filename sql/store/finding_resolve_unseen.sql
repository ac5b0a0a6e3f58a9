-- Resolves open findings of a job on a target that its latest complete run did not see.
-- Params: resolved_at, job, target, objects seen (text[]), kinds seen (text[], same order).
UPDATE finding f SET resolved_at = ?
WHERE f.job = ? AND f.target = ? AND f.resolved_at IS NULL
  AND (f.object, f.kind) NOT IN (SELECT o, k FROM unnest(?::text[], ?::text[]) AS seen(o, k));
