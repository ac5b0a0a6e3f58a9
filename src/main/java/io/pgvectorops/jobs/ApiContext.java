package io.pgvectorops.jobs;

import io.pgvectorops.state.RunStore;
import io.pgvectorops.targets.Targets;
import java.time.Clock;

/**
 * What a kind's API resource may use besides its own store: the configured targets (to answer 404
 * for an unknown one), the runs (e.g. rebuilds to mark on a series), and the daemon's clock.
 */
public record ApiContext(Targets targets, RunStore runs, Clock clock) {}
