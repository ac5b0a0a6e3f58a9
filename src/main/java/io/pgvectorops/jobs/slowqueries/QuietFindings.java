package io.pgvectorops.jobs.slowqueries;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.state.FindingRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An interval in which a slow statement did not run, or a sequentially scanned table was not read
 * at all, says nothing about either: without this, a run right after another (a "Run now" after the
 * scheduled run) would resolve what the previous run found, and the next busy interval would open
 * it again. Such a finding stays open, as it was, with the time of its last evidence, for up to
 * {@code quietKeep}; a run that sees the statement or the table again judges it afresh.
 */
final class QuietFindings {
  static final String QUIET_SINCE = "quietSince";
  private static final ObjectMapper JSON = new ObjectMapper();

  private QuietFindings() {}

  /**
   * The open findings of {@code kind} (this job's) on objects in {@code quiet}, carried over
   * unchanged but for {@value #QUIET_SINCE}, unless their evidence is older than {@code keep}.
   */
  static List<Finding> carried(
      List<FindingRecord> open,
      String job,
      FindingKind kind,
      Set<String> quiet,
      Instant now,
      Duration keep) {
    List<Finding> out = new ArrayList<>();
    for (FindingRecord r : open) {
      if (!r.job().equals(job) || !r.kind().equals(kind.name()) || !quiet.contains(r.object())) {
        continue;
      }
      Map<String, Object> metrics =
          r.metrics() == null || r.metrics().isNull()
              ? new LinkedHashMap<>()
              : JSON.convertValue(
                  r.metrics(), new TypeReference<LinkedHashMap<String, Object>>() {});
      Instant since =
          metrics.get(QUIET_SINCE) instanceof String s ? Instant.parse(s) : r.lastSeen();
      if (since.plus(keep).isBefore(now)) {
        continue;
      }
      metrics.put(QUIET_SINCE, since.toString());
      out.add(
          Finding.of(
              r.object(), kind, Finding.Severity.valueOf(r.severity()), r.message(), metrics));
    }
    return out;
  }
}
