-- The most client sessions the capacity job saw on a target each day, for the connections' trend.
CREATE TABLE connection_history (
  target   text    NOT NULL,
  day      date    NOT NULL,
  sessions integer NOT NULL,
  allowed  integer NOT NULL,
  PRIMARY KEY (target, day)
);
