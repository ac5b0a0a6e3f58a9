package io.pgvectorops.jobs;

/** A kind of job (health, bloat, ...): its parameters and how to make a run of it. */
public interface JobKind {
  String name();

  /** Write kinds change the target: they skip standbys and honour maintenance windows. */
  boolean writes();

  /** Jackson-bound parameters; unknown keys are errors. */
  Class<?> paramsType();

  Job create(JobDefinition definition, JobServices services);
}
