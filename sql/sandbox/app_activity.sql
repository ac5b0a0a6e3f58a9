-- A minute of the sandbox application's use of its tiered table, as the demo replays it every
-- minute: some rows are read often again (the tiering rules make them hot), some hot rows stop
-- being read (they age into cold). So the tiering job always has rows to move, and a dry run
-- started by a reader shows them. Rows chosen at random; nothing is deleted. No params.
UPDATE tiered_chunks SET last_accessed_at = now(), access_count = access_count + 10
WHERE id IN (SELECT id FROM tiered_chunks WHERE tier <> 0 ORDER BY random() LIMIT 40);
UPDATE tiered_chunks SET last_accessed_at = now() - interval '61 days'
WHERE id IN (SELECT id FROM tiered_chunks WHERE tier = 0 ORDER BY random() LIMIT 40);
