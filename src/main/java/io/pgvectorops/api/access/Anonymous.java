package io.pgvectorops.api.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A read that needs no token even when {@code api.readAccess} is {@code token}: it tells a client
 * (the dashboard) what its token may do, and nothing about the databases.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Anonymous {}
