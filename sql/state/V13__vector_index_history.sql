-- A daily sample of every vector index's size, rows and residency and of its table's size (the
-- latest health run of the day wins), for the capacity job's growth fit and the API. Days older
-- than state.historyRetention are pruned.
CREATE TABLE vector_index_history (
  target      text    NOT NULL,
  schema_name text    NOT NULL,
  index_name  text    NOT NULL,
  day         date    NOT NULL,
  rows        bigint,
  size_bytes  bigint  NOT NULL,
  table_bytes bigint  NOT NULL,
  residency   double precision,
  PRIMARY KEY (target, schema_name, index_name, day)
);
