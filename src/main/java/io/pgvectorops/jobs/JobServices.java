package io.pgvectorops.jobs;

import io.pgvectorops.state.InventoryStore;

/** The daemon's stores a job kind may use, beyond its target connection. */
public record JobServices(
    InventoryStore inventory,
    io.pgvectorops.state.StatementSnapshots snapshots,
    io.pgvectorops.state.RegressionStore regression,
    io.pgvectorops.catalog.Advisories advisories,
    io.pgvectorops.state.FindingStore findings) {}
