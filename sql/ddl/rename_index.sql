-- Renames one index (ACCESS EXCLUSIVE on it for an instant, under the transaction's lock_timeout).
-- Template: {index} is the quoted schema.name, {new_name} the quoted new name (same schema).
ALTER INDEX {index} RENAME TO {new_name};
