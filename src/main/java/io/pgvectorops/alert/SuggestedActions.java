package io.pgvectorops.alert;

import io.pgvectorops.jobs.JobDefinition;

/** What a person can do about an alert, by finding kind. */
final class SuggestedActions {
  private SuggestedActions() {}

  static String of(String kind, String object, String target, JobDefinition job) {
    return switch (kind) {
      case "target-unreachable" ->
          "Check that PostgreSQL on target "
              + target
              + " is running and reachable from the"
              + " daemon's host (network, pg_hba.conf, credentials), then run `bin/pgvector-ops check <config.yml>`.";
      case "invalid-index" ->
          "Rebuild it with REINDEX INDEX CONCURRENTLY "
              + object
              + "; or, if it is a leftover of a"
              + " failed build (_ccnew/_ccold), drop it with DROP INDEX CONCURRENTLY "
              + object
              + ";";
      case "pgvector-missing", "pgvector-old", "extension-missing", "privilege-missing" ->
          "Follow the fix in the message, then run `bin/pgvector-ops run "
              + (job == null ? "health" : job.name())
              + " --target "
              + target
              + " <config.yml>` to confirm.";
      default ->
          "See GET /api/findings?target="
              + target
              + " for the figures; run `bin/pgvector-ops run "
              + (job == null ? "<job>" : job.name())
              + " --target "
              + target
              + " <config.yml>` to re-check.";
    };
  }
}
