package io.pgvectorops.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Needs no token even when {@code api.readAccess} is {@code token}: the dashboard's own files and
 * what a client's token may do, nothing about the databases.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Anonymous {}
