package io.pgvectorops.api.access;

import io.pgvectorops.config.ApiConfig.Role;

/** Who made a request: the name and role of the token presented. */
public record Caller(String name, Role role) {}
