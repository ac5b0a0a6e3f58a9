-- Puts back an IVFFlat index's lists option when its rebuild failed and it had none set (pgvector's
-- default applies again). Template: {index} is the quoted schema.name.
ALTER INDEX {index} RESET (lists);
