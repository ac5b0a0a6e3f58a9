package io.pgvectorops.jobs.prewarm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Keeps the vector indexes that matter in shared_buffers: measures residency with pg_buffercache
 * (one pass for all relations), loads with pg_prewarm only what is under the threshold, within a
 * budget that never exceeds what fits. After a server restart everything chosen is loaded. Cheap
 * when all is resident: two statements and no reads.
 */
public class PrewarmJob implements Job {
  static final FindingKind RELATION_NOT_FOUND =
      FindingKind.of("relation-not-found", Severity.warning, Severity.warning);

  /** The Prewarm kind: registered in kinds/JobKinds. */
  public static final JobKind KIND =
      JobKind.named(
              "prewarm",
              PrewarmParams.class,
              (d, p, s) -> new PrewarmJob(p, s.own(ResidencyStore.class)))
          .keeps(ResidencyStore.class, ResidencyStore::new)
          .writes() // by the design's rules: it skips standbys and honours windows
          .needs(
              Needs.NOTHING
                  .extension("pg_prewarm")
                  .extension("pg_buffercache")
                  .role("pg_monitor")
                  .selectOnVectorTables())
          .raises(SharedFindings.EXTENSION_MISSING, RELATION_NOT_FOUND)
          .reports(PrewarmSummary.class)
          .build();

  private final PrewarmParams p;
  private final ResidencyStore store;

  PrewarmJob(PrewarmParams params, ResidencyStore store) {
    this.p = params;
    this.store = store;
  }

  private record Relation(
      long oid, String schema, String name, String kind, long sizeBytes, long scans) {
    String object() {
      return ObjectNames.qualified(schema, name);
    }
  }

  /** What a prewarm run found resident, what it loaded, and what it could not find. */
  public record PrewarmSummary(
      boolean restartDetected,
      long sharedBuffersBytes,
      long budgetBytes,
      List<RelationReport> relations,
      List<String> notFound)
      implements JobSummary {}

  /** One relation: its residency before and after, and what the run did with it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RelationReport(
      String relation,
      String kind,
      long sizeBytes,
      double residencyBefore,
      String action,
      Long bytesLoaded,
      Long millis,
      Double residencyAfter) {
    RelationReport after(double residency) {
      return new RelationReport(
          relation, kind, sizeBytes, residencyBefore, action, bytesLoaded, millis, residency);
    }
  }

  private record Server(long sharedBuffers, Instant start) {}

  private static boolean installed(Jdbc jdbc, Connection c, String extension) {
    return jdbc.query(
            c, SqlFile.load("probes/extension_installed"), rs -> rs.getBoolean(1), extension)
        .get(0);
  }

  /** Each chosen relation's report with the share of it resident after the loading. */
  private static List<RelationReport> afterLoading(
      List<Relation> chosen, List<RelationReport> loading, Map<Long, Long> after) {
    List<RelationReport> report = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      Relation r = chosen.get(i);
      report.add(loading.get(i).after(ratio(after.getOrDefault(r.oid(), 0L), r.sizeBytes())));
    }
    return report;
  }

  @Override
  public JobResult run(JobContext ctx) {
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    List<String> missing =
        Stream.of("pg_prewarm", "pg_buffercache").filter(e -> !installed(jdbc, c, e)).toList();
    if (!missing.isEmpty()) {
      return JobResult.skipped(
          "missing " + missing, missing.stream().map(PrewarmJob::missing).toList());
    }
    Server server = server(jdbc, c);
    Instant previousStart = store.swapPostmasterStart(ctx.target().name(), server.start());
    boolean restarted = previousStart != null && !previousStart.equals(server.start());

    List<Relation> all = candidates(jdbc, c);
    List<Relation> chosen = choose(all);
    Map<Long, Long> resident = residency(jdbc, c, chosen);
    long budget = (long) (server.sharedBuffers() * p.budgetShare);
    List<RelationReport> loading = load(ctx, chosen, resident, budget, restarted);
    boolean loadedAny = loading.stream().anyMatch(r -> r.bytesLoaded() != null);
    Map<Long, Long> after = loadedAny ? residency(jdbc, c, chosen) : resident;
    List<RelationReport> report = afterLoading(chosen, loading, after);
    saveResidency(ctx, chosen, after);
    // a name in the job file that matches nothing is a typo or a dropped index: say so, do not skip
    // quietly
    List<String> notFound =
        p.relations.stream()
            .filter(name -> all.stream().noneMatch(r -> r.object().equals(name)))
            .toList();
    return JobResult.succeeded(
        new PrewarmSummary(restarted, server.sharedBuffers(), budget, report, notFound),
        notFound.stream().map(PrewarmJob::notFound).toList());
  }

  private static Server server(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c,
            SqlFile.load("probes/prewarm_server"),
            rs ->
                new Server(
                    rs.getLong("shared_buffers_bytes"),
                    rs.getObject("postmaster_start", OffsetDateTime.class).toInstant()))
        .get(0);
  }

  private List<Relation> candidates(Jdbc jdbc, Connection c) {
    return jdbc.query(
        c,
        SqlFile.load("probes/prewarm_candidates"),
        rs ->
            new Relation(
                rs.getLong("oid"),
                rs.getString("schema_name"),
                rs.getString("relation_name"),
                rs.getString("kind"),
                rs.getLong("size_bytes"),
                rs.getLong("scans")),
        p.includeTables || !p.relations.isEmpty());
  }

  /** Loads, in order, what is under the threshold (everything after a restart) within budget. */
  private List<RelationReport> load(
      JobContext ctx,
      List<Relation> chosen,
      Map<Long, Long> resident,
      long budget,
      boolean restarted) {
    long used = 0;
    List<RelationReport> out = new ArrayList<>();
    for (Relation r : chosen) {
      double before = ratio(resident.getOrDefault(r.oid(), 0L), r.sizeBytes());
      boolean fits = used + r.sizeBytes() <= budget;
      if (fits) {
        used += r.sizeBytes(); // resident or loaded, it occupies its share of the budget
      }
      String action;
      Long bytesLoaded = null;
      Long millis = null;
      if (!fits) {
        action = "not loaded: over the budget (" + budget / 1048576 + " MiB of shared_buffers)";
      } else if (!restarted && before >= p.residencyThreshold) {
        action = "already resident";
      } else if (ctx.dryRun()) {
        action = "would load";
      } else {
        long start = System.nanoTime();
        long blocks =
            ctx.target()
                .jdbc()
                .query(
                    ctx.connection(),
                    SqlFile.load("probes/prewarm_relation"),
                    rs -> rs.getLong(1),
                    r.oid())
                .get(0);
        action = "loaded";
        bytesLoaded = blocks * 8192;
        millis = (System.nanoTime() - start) / 1_000_000;
      }
      out.add(
          new RelationReport(
              r.object(), r.kind(), r.sizeBytes(), before, action, bytesLoaded, millis, null));
    }
    return out;
  }

  private void saveResidency(JobContext ctx, List<Relation> chosen, Map<Long, Long> after) {
    List<Relation> indexes = chosen.stream().filter(r -> r.kind().equals("index")).toList();
    store.saveResidency(
        ctx.target().name(),
        ctx.clock().instant(),
        indexes.stream().map(Relation::schema).toList(),
        indexes.stream().map(Relation::name).toList(),
        indexes.stream().map(r -> ratio(after.getOrDefault(r.oid(), 0L), r.sizeBytes())).toList());
  }

  private static Finding missing(String ext) {
    return Finding.warning(
        ext,
        SharedFindings.EXTENSION_MISSING,
        "prewarm cannot run without "
            + ext
            + ": CREATE EXTENSION "
            + ext
            + "; (it ships with PostgreSQL's contrib modules)",
        Map.of("job", "prewarm"));
  }

  private static Finding notFound(String name) {
    return Finding.warning(
        name,
        RELATION_NOT_FOUND,
        "the prewarm job names "
            + name
            + " in params.relations, but the target has no such vector index or table"
            + " (schema.name): nothing was loaded for it",
        Map.of("relation", name));
  }

  private List<Relation> choose(List<Relation> all) {
    if (p.relations.isEmpty()) {
      return all;
    }
    List<Relation> out = new ArrayList<>();
    for (String name : p.relations) {
      all.stream().filter(r -> r.object().equals(name)).findFirst().ifPresent(out::add);
    }
    return out;
  }

  private static Map<Long, Long> residency(Jdbc jdbc, Connection c, List<Relation> relations) {
    Map<Long, Long> out = new LinkedHashMap<>();
    jdbc.query(
        c,
        SqlFile.load("probes/buffer_residency"),
        rs -> out.put(rs.getLong("oid"), rs.getLong("resident_bytes")),
        (Object) relations.stream().map(Relation::oid).toArray(Long[]::new));
    return out;
  }

  private static double ratio(long resident, long size) {
    return size <= 0 ? 1.0 : Math.round(1000.0 * Math.min(1.0, (double) resident / size)) / 1000.0;
  }
}
