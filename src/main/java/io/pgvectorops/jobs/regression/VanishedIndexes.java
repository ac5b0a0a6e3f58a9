package io.pgvectorops.jobs.regression;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.regression.RegressionStore.Probe;
import io.pgvectorops.jobs.regression.RegressionStore.ProbeSet;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probe sets whose index is gone. Its table still there and no other vector index serving the
 * query: its queries now scan the table, a critical plan regression. Otherwise the set is retired.
 */
final class VanishedIndexes {
  private static final Logger LOG = LoggerFactory.getLogger(VanishedIndexes.class);

  private final RegressionParams p;
  private final RegressionStore store;
  private final Measurement measurement;

  VanishedIndexes(RegressionParams p, RegressionStore store, Measurement measurement) {
    this.p = p;
    this.store = store;
    this.measurement = measurement;
  }

  List<Finding> find(JobContext ctx, List<MeasuredIndex> indexes, List<Planned> planned) {
    List<Finding> out = new ArrayList<>();
    for (ProbeSet s : store.liveProbeSets(ctx.target().name())) {
      boolean measured =
          planned.stream()
              .anyMatch(
                  pl ->
                      pl.index().qualifiedName().equals(s.index()) && pl.label().equals(s.label()));
      boolean exists = indexes.stream().anyMatch(i -> i.qualifiedName().equals(s.index()));
      boolean configured =
          p.indexes.isEmpty()
              || p.indexes.stream().anyMatch(e -> e.qualifiedIndex().equals(s.index()));
      if (measured || (exists && configured)) {
        continue;
      }
      try {
        Finding f = judge(ctx, s, indexes, exists, configured);
        if (f != null) {
          out.add(f);
        }
      } catch (DbException e) {
        // the next run looks again; the finding of the last run stays open meanwhile
        LOG.info(
            "target {}: probe set {} [{}] not checked this run: {}",
            ctx.target().name(),
            s.index(),
            s.label(),
            e.getMessage());
      }
    }
    return out;
  }

  /** A plan-regression finding, or null when the set is retired instead. */
  private Finding judge(
      JobContext ctx, ProbeSet s, List<MeasuredIndex> indexes, boolean exists, boolean configured) {
    boolean tableExists =
        ctx.target()
            .jdbc()
            .query(
                ctx.connection(),
                SqlFile.load("probes/regression_table_exists"),
                rs -> rs.getBoolean(1),
                s.table())
            .get(0);
    if (exists || !configured || !tableExists || store.baseline(s.id()).isEmpty()) {
      store.retire(s, ctx.clock().instant());
      return null;
    }
    PlanCheck.Plan plan = planNow(ctx, s);
    boolean served =
        indexes.stream()
            .anyMatch(
                i ->
                    plan.scans().stream()
                        .anyMatch(sc -> sc.startsWith("Index Scan using " + i.name() + " ")));
    if (served) {
      store.retire(s, ctx.clock().instant());
      return null;
    }
    return planRegression(ctx, s, plan);
  }

  private static Finding planRegression(JobContext ctx, ProbeSet s, PlanCheck.Plan plan) {
    return Finding.critical(
        Planned.objectOf(s.index(), s.label()),
        RegressionJob.PLAN_REGRESSION,
        "vector index "
            + s.index()
            + " no longer exists; its"
            + " nearest-neighbour queries on "
            + s.table()
            + " now run as "
            + plan.describe()
            + ". If it was dropped"
            + " on purpose, retire its series: DELETE /api/regression/"
            + ctx.target().name()
            + "/"
            + s.index(),
        Map.of("plan", plan.describe(), "table", s.table()));
  }

  /** The plan the probe set's query gets now, with its first probe. */
  private PlanCheck.Plan planNow(JobContext ctx, ProbeSet s) {
    List<Probe> probes = store.probes(s.id());
    String filter = s.spec().path("filter").isNull() ? null : s.spec().path("filter").asText();
    AnnQuery.Template t =
        new AnnQuery.Template(
            s.table(),
            s.column(),
            s.operator(),
            s.columnType(),
            filter == null ? "true" : filter,
            "");
    // an expression index's probes are its column's values: through the expression kept in the spec
    String through =
        s.spec().path("through").isTextual() ? s.spec().path("through").asText() : null;
    PlanCheck.Plan plan =
        measurement.inReadOnly(
            ctx,
            c -> {
              Jdbc jdbc = ctx.target().jdbc();
              Probe probe = Measurement.asIndexed(jdbc, c, through, probes.subList(0, 1)).get(0);
              return PlanCheck.explain(jdbc, c, t, p.k, probe, Set.of());
            });
    return plan;
  }
}
