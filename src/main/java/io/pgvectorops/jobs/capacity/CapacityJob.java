package io.pgvectorops.jobs.capacity;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.catalog.VectorIndex;
import io.pgvectorops.catalog.VectorIndexes;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.jobs.Shown;
import io.pgvectorops.jobs.SummaryLayout.Unit;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.FindingRecord;
import io.pgvectorops.state.OpenFindings;
import io.pgvectorops.state.TargetInventory;
import io.pgvectorops.state.TargetInventory.Sample;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Capacity, read-only: per vector index the memory an in-memory build needs against
 * maintenance_work_mem, the hot vector indexes against shared_buffers and effective_cache_size,
 * growth per day from the inventory's daily history (Theil–Sen, from at least minHistoryDays days),
 * the date each limit is crossed at that growth, and the settings that follow from those figures.
 */
public class CapacityJob implements Job {
  static final FindingKind FORECAST =
      FindingKind.of("capacity-forecast", Severity.warning, Severity.critical);
  static final FindingKind EXCEEDED =
      FindingKind.of("capacity-exceeded", Severity.warning, Severity.warning);

  /** The capacity kind: registered in kinds/JobKinds. */
  public static final JobKind KIND =
      JobKind.named(
              "capacity",
              CapacityParams.class,
              (d, p, s) ->
                  new CapacityJob(
                      p, s.inventory(), s.own(SessionPeaks.class), s.findings(), s.advisories()))
          .keeps(SessionPeaks.class, SessionPeaks::new)
          .needs(Needs.NOTHING.extension("vector"))
          .raises(FORECAST, EXCEEDED, ServerChecks.HEADROOM, ServerChecks.READINESS)
          .reports(CapacitySummary.class)
          .build();

  static final String SHARED_BUFFERS = "shared_buffers";
  static final String EFFECTIVE_CACHE_SIZE = "effective_cache_size";
  static final String MAINTENANCE_WORK_MEM = "maintenance_work_mem";
  static final String HOT_SET = "hot vector indexes";
  static final String CROSSED = "crossed already";

  /** The server's memory settings, bytes. */
  public record Settings(
      @Shown(unit = Unit.bytes) long maintenanceWorkMem,
      @Shown(unit = Unit.bytes) long sharedBuffers,
      @Shown(unit = Unit.bytes) long effectiveCacheSize) {}

  /**
   * One vector index: its size, build memory, whether it is hot, and its growth (null with too
   * little history; {@code note} says why).
   */
  public record IndexCapacity(
      String index,
      String method,
      long sizeBytes,
      long buildMemoryBytes,
      boolean hot,
      @Shown(label = "growth per day", unit = Unit.bytes) Double growthBytesPerDay,
      int historyDays,
      String note) {}

  /**
   * When a limit is crossed at the measured growth: {@code crossing} null when not within the
   * horizon or not forecast ({@code note} says which).
   */
  public record Forecast(
      String object,
      String limit,
      @Shown(label = "size now") long bytesNow,
      @Shown(label = "limit size") long limitBytes,
      @Shown(label = "growth per day", unit = Unit.bytes) Double growthBytesPerDay,
      LocalDate crossing,
      Long daysLeft,
      String note) {}

  /** A setting with the measurement behind it. */
  public record Recommendation(
      String setting, String current, String recommended, String reason, String measurement) {}

  /** What a capacity run found. */
  public record CapacitySummary(
      Settings settings,
      int minHistoryDays,
      List<IndexCapacity> indexes,
      List<Forecast> forecasts,
      List<Recommendation> recommendations,
      ServerChecks.Connections connections,
      List<ServerChecks.IdleSession> idleInTransaction,
      List<ServerChecks.Readiness> readiness)
      implements JobSummary {}

  private final CapacityParams p;
  private final TargetInventory inventory;
  private final SessionPeaks sessions;
  private final OpenFindings findingStore;
  private final Advisories advisories;

  CapacityJob(
      CapacityParams params,
      TargetInventory inventory,
      SessionPeaks sessions,
      OpenFindings findingStore,
      Advisories advisories) {
    this.p = params;
    this.inventory = inventory;
    this.sessions = sessions;
    this.findingStore = findingStore;
    this.advisories = advisories;
  }

  private static Settings settings(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c,
            SqlFile.load("probes/capacity_settings"),
            rs ->
                new Settings(
                    rs.getLong(MAINTENANCE_WORK_MEM),
                    rs.getLong(SHARED_BUFFERS),
                    rs.getLong(EFFECTIVE_CACHE_SIZE)))
        .get(0);
  }

  /** Each index with its daily history and the share of it prewarm last saw in memory. */
  private List<IndexCapacity> indexes(String target, LocalDate today, List<IndexFacts> facts) {
    Map<String, List<Sample>> history =
        inventory.history(target, today.minusDays(inventory.historyDays())).stream()
            .collect(Collectors.groupingBy(Sample::index));
    Map<String, Double> residency =
        inventory.indexes(target).stream()
            .filter(v -> v.residency() != null)
            .collect(Collectors.toMap(VectorIndex::qualifiedName, VectorIndex::residency));
    List<IndexCapacity> indexes = new ArrayList<>();
    for (IndexFacts f : facts) {
      indexes.add(index(f, history.getOrDefault(f.object(), List.of()), residency));
    }
    return indexes;
  }

  @Override
  public JobResult run(JobContext ctx) {
    var jdbc = ctx.target().jdbc();
    var c = ctx.connection();
    String target = ctx.target().name();
    LocalDate today = LocalDate.ofInstant(ctx.clock().instant(), ZoneOffset.UTC);
    Settings s = settings(jdbc, c);
    List<IndexFacts> facts =
        VectorIndexes.read(jdbc, c, VectorIndexes.PGVECTOR, IndexFacts::from).stream()
            .filter(f -> f.valid() && !f.partitioned())
            .toList();
    List<IndexCapacity> indexes = indexes(target, today, facts);
    List<Forecast> forecasts = buildForecasts(indexes, s, today);
    hotSet(indexes, s, today, forecasts);
    List<Finding> findings = findings(forecasts);
    List<Recommendation> advice = recommendations(ctx, indexes, s, facts);
    var connections =
        ServerChecks.withTrend(
            ServerChecks.connections(jdbc, c), sessions, target, today, p.minHistoryDays);
    var readiness = ServerChecks.readiness(jdbc, c);
    findings.addAll(ServerChecks.findings(target, connections, readiness));
    return JobResult.succeeded(
        new CapacitySummary(
            s,
            p.minHistoryDays,
            indexes,
            forecasts,
            advice,
            connections,
            ServerChecks.idleInTransaction(jdbc, c),
            readiness),
        findings);
  }

  /** Every recommendation, each with its measurement, bounded by the host's memory when known. */
  private List<Recommendation> recommendations(
      JobContext ctx, List<IndexCapacity> indexes, Settings s, List<IndexFacts> facts) {
    var jdbc = ctx.target().jdbc();
    var c = ctx.connection();
    String role = ctx.target().config().applicationRole;
    Function<String, List<FindingRecord>> open =
        kind -> findingStore.openOfKind(kind, ctx.target().name());
    List<Recommendation> out = new ArrayList<>(Advice.of(indexes, s, p));
    Map<String, String> current = Tuning.applicationSettings(jdbc, c, role);
    out.addAll(Tuning.of(current, role, open.apply(Tuning.ADVICE_KIND), facts));
    out.addAll(Tuning.iterativeScan(current, role, open.apply(Tuning.STARVED_KIND)));
    out.addAll(Tuning.statementTimeouts(open.apply(Tuning.LONG_RUNNING_KIND)));
    Parallelism.of(jdbc, c, indexes, advisories).ifPresent(out::add);
    out.addAll(Autovacuum.of(jdbc, c, p, advisories));
    var memory = ctx.target().config().memory;
    return memory == null ? out : Advice.bounded(out, memory.toBytes());
  }

  /** Each HNSW index's build memory against maintenance_work_mem. */
  private List<Forecast> buildForecasts(List<IndexCapacity> indexes, Settings s, LocalDate today) {
    List<Forecast> forecasts = new ArrayList<>();
    for (IndexCapacity i : indexes) {
      if (i.method().equals("hnsw")) {
        // the graph grows with the index; the build's fixed overhead does not
        Double buildGrowth =
            i.growthBytesPerDay() == null || i.sizeBytes() <= 0
                ? null
                : i.growthBytesPerDay()
                    * Math.max(0, i.buildMemoryBytes() - IndexFacts.BUILD_OVERHEAD_BYTES)
                    / i.sizeBytes();
        forecasts.add(
            forecast(
                i.index(),
                MAINTENANCE_WORK_MEM,
                i.buildMemoryBytes(),
                s.maintenanceWorkMem(),
                buildGrowth,
                i.note(),
                today));
      }
    }
    return forecasts;
  }

  private IndexCapacity index(IndexFacts f, List<Sample> samples, Map<String, Double> residency) {
    Growth g = Growth.of(samples);
    Double r = residency.get(f.object());
    boolean hot = r == null || r >= p.hotResidency;
    String note =
        g.days() < p.minHistoryDays
            ? g.days()
                + " day(s) of history, fewer than minHistoryDays ("
                + p.minHistoryDays
                + "): no growth fitted, nothing forecast"
            : null;
    return new IndexCapacity(
        f.object(),
        f.method(),
        f.actualBytes(),
        (long) f.buildMemoryBytes(),
        hot,
        note == null ? g.perDay() : null,
        g.days(),
        note);
  }

  /** The hot vector indexes together against shared_buffers and effective_cache_size. */
  private void hotSet(
      List<IndexCapacity> indexes, Settings s, LocalDate today, List<Forecast> forecasts) {
    List<IndexCapacity> hot = indexes.stream().filter(IndexCapacity::hot).toList();
    if (hot.isEmpty()) {
      return;
    }
    long bytes = hot.stream().mapToLong(IndexCapacity::sizeBytes).sum();
    boolean anyGrowth = hot.stream().anyMatch(i -> i.growthBytesPerDay() != null);
    Double growth =
        anyGrowth
            ? hot.stream()
                .filter(i -> i.growthBytesPerDay() != null)
                .mapToDouble(IndexCapacity::growthBytesPerDay)
                .sum()
            : null;
    String note = anyGrowth ? null : "no hot index has minHistoryDays of history: nothing forecast";
    forecasts.add(forecast(HOT_SET, SHARED_BUFFERS, bytes, s.sharedBuffers(), growth, note, today));
    forecasts.add(
        forecast(
            HOT_SET, EFFECTIVE_CACHE_SIZE, bytes, s.effectiveCacheSize(), growth, note, today));
  }

  Forecast forecast(
      String object,
      String limit,
      long now,
      long limitBytes,
      Double perDay,
      String noGrowth,
      LocalDate today) {
    if (now >= limitBytes) {
      return new Forecast(object, limit, now, limitBytes, perDay, today, 0L, CROSSED);
    }
    if (perDay == null) {
      return new Forecast(object, limit, now, limitBytes, null, null, null, noGrowth);
    }
    if (perDay <= 0) {
      return new Forecast(object, limit, now, limitBytes, perDay, null, null, "not growing");
    }
    long days = (long) Math.ceil((limitBytes - now) / perDay);
    if (days > p.horizonDays) {
      String far = "not within horizon (" + p.horizonDays + " days)";
      return new Forecast(object, limit, now, limitBytes, perDay, null, null, far);
    }
    return new Forecast(
        object,
        limit,
        now,
        limitBytes,
        perDay,
        today.plusDays(days),
        days,
        "in " + days + " day(s)");
  }

  private List<Finding> findings(List<Forecast> forecasts) {
    List<Finding> out = new ArrayList<>();
    for (Forecast f : forecasts) {
      Metrics m =
          Metrics.of()
              .put("bytesNow", f.bytesNow())
              .put("limitBytes", f.limitBytes())
              .put("growthBytesPerDay", f.growthBytesPerDay());
      String object = f.object() + " / " + f.limit();
      if (CROSSED.equals(f.note())) {
        String message = what(f) + " (" + f.bytesNow() + " bytes) exceeds " + f.limit() + " now";
        out.add(Finding.warning(object, EXCEEDED, message, m.asMap()));
      } else if (f.daysLeft() != null && f.daysLeft() <= p.warningDays) {
        m.put("crossing", f.crossing().toString());
        String message =
            what(f)
                + " will exceed "
                + f.limit()
                + " around "
                + f.crossing()
                + " at the growth measured ("
                + Math.round(f.growthBytesPerDay())
                + " bytes a day)";
        Severity severity = f.daysLeft() <= p.criticalDays ? Severity.critical : Severity.warning;
        out.add(Finding.of(object, FORECAST, severity, message, m.asMap()));
      }
    }
    return out;
  }

  private static String what(Forecast f) {
    return f.limit().equals(MAINTENANCE_WORK_MEM)
        ? "the in-memory build of " + f.object()
        : "the hot vector indexes";
  }
}
