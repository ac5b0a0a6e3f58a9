package io.pgvectorops.http;

import io.pgvectorops.config.ApiConfig.Role;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A call that changes something: it needs a token of at least {@code role}, and every attempt is
 * recorded in the audit trail under {@code action}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Mutating {
  Role role();

  /** The audit trail's name for the call, e.g. {@code run-now}. */
  String action();
}
