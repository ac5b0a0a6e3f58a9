-- Partitioned tables in the inventory: a partition's index names the partitioned index it belongs
-- to, and a partitioned index (no storage of its own) lists its partitions' indexes; its size_bytes
-- is their sum.
ALTER TABLE vector_index ADD COLUMN partition_of text;
ALTER TABLE vector_index ADD COLUMN partitions jsonb;
