package io.pgvectorops.jobs;

import java.util.List;

/**
 * One validated job file.
 *
 * @param targets target names this job runs on, resolved (never empty)
 * @param params the kind's own parameters, already bound and validated
 * @param alertFor how long a finding stays open before it fires; null = the default (critical at
 *     once, warning when a second run still sees it)
 */
public record JobDefinition(
    String name,
    JobKind kind,
    String schedule,
    List<String> targets,
    MaintenanceWindow window,
    boolean dryRun,
    Object params,
    String file,
    java.time.Duration alertFor) {

  /**
   * Whether {@code o} defines the same job (a reload's "unchanged").
   *
   * @param form what params are compared by (their classes need not define equals), e.g. their JSON
   *     tree
   */
  public boolean sameAs(JobDefinition o, java.util.function.Function<Object, ?> form) {
    return withParams(form.apply(params)).equals(o.withParams(form.apply(o.params)));
  }

  private JobDefinition withParams(Object other) {
    return new JobDefinition(name, kind, schedule, targets, window, dryRun, other, file, alertFor);
  }

  public <P> P params(Class<P> type) {
    return type.cast(params);
  }
}
