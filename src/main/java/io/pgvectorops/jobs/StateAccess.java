package io.pgvectorops.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.config.StateConfig;
import io.pgvectorops.sql.Jdbc;

/**
 * What a kind's store is built from: the state database's JDBC boundary (its statements already run
 * in the state schema), the mapper of stored JSON, and the operator's {@code state:} section.
 */
public record StateAccess(Jdbc jdbc, ObjectMapper mapper, StateConfig config) {}
