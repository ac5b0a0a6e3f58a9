package io.pgvectorops.jobs;

import io.pgvectorops.config.TargetConfig;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One validated job file.
 *
 * @param targets target names this job runs on, resolved from {@code selection} against the targets
 *     in force (empty when it selects none now)
 * @param selection the file's {@code targets} as written
 * @param params the kind's own parameters, already bound and validated
 * @param alertFor how long a finding stays open before it fires; null = the default (critical at
 *     once, warning when a second run still sees it)
 */
public record JobDefinition(
    String name,
    JobKind kind,
    String schedule,
    List<String> targets,
    TargetSelection selection,
    MaintenanceWindow window,
    boolean dryRun,
    Object params,
    String file,
    Duration alertFor) {

  /**
   * Whether {@code o} defines the same job (a reload's "unchanged").
   *
   * @param form what params are compared by (their classes need not define equals), e.g. their JSON
   *     tree
   */
  public boolean sameAs(JobDefinition o, Function<Object, ?> form) {
    return withParams(form.apply(params)).equals(o.withParams(form.apply(o.params)));
  }

  private JobDefinition withParams(Object other) {
    return new JobDefinition(
        name, kind, schedule, targets, selection, window, dryRun, other, file, alertFor);
  }

  /** This job on the targets its selection picks from {@code fleet}. */
  public JobDefinition retargeted(List<TargetConfig> fleet) {
    return new JobDefinition(
        name,
        kind,
        schedule,
        selection.resolve(fleet),
        selection,
        window,
        dryRun,
        params,
        file,
        alertFor);
  }

  public <P> P params(Class<P> type) {
    return type.cast(params);
  }
}
