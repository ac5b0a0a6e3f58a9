package io.pgvectorops.config;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Re-reading the configuration's targets and the job files while the daemon runs (SIGHUP, {@code
 * POST /api/reload}).
 */
public interface Reload {
  /**
   * What one reload found and did; {@code error} set means nothing was changed.
   *
   * @param targetProblems target files and servers that could not be read (the others applied)
   */
  record Report(
      Instant at,
      String by,
      boolean applied,
      String error,
      Changes targets,
      Changes jobs,
      List<String> needRestart,
      List<String> targetProblems) {}

  /** Names added, changed and removed by a reload. */
  record Changes(List<String> added, List<String> changed, List<String> removed) {
    public static final Changes NONE = new Changes(List.of(), List.of(), List.of());

    /** The names that are new or different: what needs fresh pools, checks and a first run. */
    public List<String> addedOrChanged() {
      return Stream.concat(added.stream(), changed.stream()).toList();
    }
  }

  /**
   * Validates the files first; a broken one keeps the running configuration. Never throws for an
   * operator's mistake: the report carries it.
   *
   * @param by who asked (a token's name, or SIGHUP), for the log
   */
  Report reload(String by);

  /** The last reload's report, if there was one since start. */
  Optional<Report> last();

  /**
   * Target files and servers that could not be read at the last resolution (start, reload or
   * re-list): what the operator needs to mend.
   */
  List<String> targetProblems();
}
