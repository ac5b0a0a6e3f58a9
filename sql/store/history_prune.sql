-- Samples older than the retention. Params: first day kept.
DELETE FROM vector_index_history WHERE day < ?::date;
