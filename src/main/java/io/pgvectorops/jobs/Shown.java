package io.pgvectorops.jobs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a field of a run summary is shown, where its name and type alone do not say it: its label and
 * its unit. {@link SummaryLayout} reads it from the summary record's components.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Shown {
  /** The label a person reads; empty: taken from the name ("walBytes" reads "wal"). */
  String label() default "";

  /** The unit; {@link SummaryLayout.Unit#auto}: taken from the name and type. */
  SummaryLayout.Unit unit() default SummaryLayout.Unit.auto;
}
