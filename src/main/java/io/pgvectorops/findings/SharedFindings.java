package io.pgvectorops.findings;

import static io.pgvectorops.findings.Finding.Severity.critical;
import static io.pgvectorops.findings.Finding.Severity.info;
import static io.pgvectorops.findings.Finding.Severity.warning;

/**
 * Finding kinds that more than one job kind raises (each job kind lists the ones it raises). Kinds
 * only one job kind raises are declared in that kind's package.
 */
public final class SharedFindings {
  private static final String FOLLOW_THE_FIX =
      "Follow the fix in the message, then run `bin/pgvector-ops run {job} --target {target}"
          + " <config.yml>` to confirm.";

  public static final FindingKind TARGET_UNREACHABLE =
      new FindingKind(
          "target-unreachable",
          critical,
          critical,
          "Check that PostgreSQL on target {target} is running and reachable from the daemon's host"
              + " (network, pg_hba.conf, credentials), then run `bin/pgvector-ops check"
              + " <config.yml>`.");
  public static final FindingKind INVALID_INDEX =
      new FindingKind(
          "invalid-index",
          warning,
          critical,
          "Rebuild it with REINDEX INDEX CONCURRENTLY {object}; or, if it is a leftover of a failed"
              + " build (_ccnew/_ccold), drop it with DROP INDEX CONCURRENTLY {object};");
  public static final FindingKind EXTENSION_MISSING =
      new FindingKind("extension-missing", warning, warning, FOLLOW_THE_FIX);
  public static final FindingKind PRIVILEGE_MISSING =
      new FindingKind("privilege-missing", warning, warning, FOLLOW_THE_FIX);
  public static final FindingKind INDEX_NOT_FOUND =
      FindingKind.of("index-not-found", info, warning);

  private SharedFindings() {}

  /** For kinds whose fix is spelled out in the finding's message. */
  public static FindingKind followTheFix(
      String name, Finding.Severity lowest, Finding.Severity highest) {
    return new FindingKind(name, lowest, highest, FOLLOW_THE_FIX);
  }
}
