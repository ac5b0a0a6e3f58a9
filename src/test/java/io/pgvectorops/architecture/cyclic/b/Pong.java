package io.pgvectorops.architecture.cyclic.b;

import io.pgvectorops.architecture.cyclic.a.Ping;

/** The other half of the deliberate package cycle. */
public class Pong {
  Ping ping;
}
