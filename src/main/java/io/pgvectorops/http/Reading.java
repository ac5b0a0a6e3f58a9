package io.pgvectorops.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A read of what the daemon knows about the databases: open to anyone when {@code api.readAccess}
 * is {@code open}, a viewer's token (or better) when it is {@code token}. Every resource method
 * carries exactly one of this, {@link Mutating} or {@link Anonymous}; the access filter refuses a
 * method that carries none.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Reading {}
