package io.pgvectorops.architecture.cyclic.a;

import io.pgvectorops.architecture.cyclic.b.Pong;

/** Half of a deliberate package cycle: proves the cycle rule reports one. */
public class Ping {
  Pong pong;
}
