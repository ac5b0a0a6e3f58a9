-- Drops one index without blocking reads or writes of its table; nothing when it is gone already.
-- Template: {index} is the quoted schema.name. Used only for our own leftovers and retired copies.
DROP INDEX CONCURRENTLY IF EXISTS {index};
