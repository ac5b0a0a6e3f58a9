package io.pgvectorops.jobs;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.targets.Target;
import java.util.List;

/**
 * A kind that can look at a target without recording anything: the {@code check} command asks it
 * what the target is and what the configured jobs will miss.
 */
@FunctionalInterface
public interface TargetInspector<P> {
  Inspection inspect(
      Target target, List<JobDefinition> jobsOnTarget, P params, Advisories advisories);

  /**
   * @param reachable false when the target could not be reached, or reached but not read (the
   *     headline says which)
   * @param findings what the configured jobs will miss: problems to fix
   * @param advisories known defects of the installed software that apply here: to know, not a
   *     configuration problem
   */
  record Inspection(
      boolean reachable, String headline, List<Finding> findings, List<Finding> advisories) {}
}
