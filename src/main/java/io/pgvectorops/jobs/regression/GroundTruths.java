package io.pgvectorops.jobs.regression;

import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.regression.RegressionParams.GroundTruthMethod;
import io.pgvectorops.jobs.regression.RegressionStore.GroundTruth;
import io.pgvectorops.jobs.regression.RegressionStore.Probe;
import io.pgvectorops.jobs.regression.RegressionStore.ProbeSet;
import io.pgvectorops.jobs.regression.RegressionSummary.GroundTruthInfo;
import io.pgvectorops.jobs.regression.RegressionSummary.Progress;
import io.pgvectorops.sql.SqlFile;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The exact neighbours of a probe set: cached while the table changed less than
 * groundTruthMaxChange of its rows since they were computed, else computed now (one scan of the
 * table, or one exact query per probe) and cached.
 */
final class GroundTruths {
  /** The exact distances per probe, and where they came from. */
  record Exact(double[][] distances, GroundTruthInfo info) {}

  private record Changes(long changes, long live) {}

  private final RegressionParams p;
  private final RegressionStore store;

  GroundTruths(RegressionParams p, RegressionStore store) {
    this.p = p;
    this.store = store;
  }

  Exact of(
      JobContext ctx,
      Planned pl,
      ProbeSet set,
      List<Probe> probes,
      AnnQuery ann,
      BooleanSupplier stop) {
    MeasuredIndex idx = pl.index();
    Changes now =
        ctx
            .target()
            .jdbc()
            .query(
                ctx.connection(),
                SqlFile.load("probes/regression_table_changes"),
                rs -> new Changes(rs.getLong("changes"), rs.getLong("live_rows")),
                idx.tableOid())
            .stream()
            .findFirst()
            .orElse(new Changes(0, 0));
    Optional<GroundTruth> cached = store.groundTruth(set.id());
    if (cached.isPresent() && stillValid(cached.get(), idx, probes.size(), now)) {
      GroundTruth g = cached.get();
      return new Exact(
          g.distances(),
          new GroundTruthInfo(
              false,
              g.method(),
              g.computedAt().toString(),
              now.changes() - g.tableChanges(),
              null,
              null));
    }
    ctx.progress().accept(Progress.of("ground truth", pl, 0, probes.size()));
    return compute(ctx, pl, set, probes, ann, stop, now);
  }

  private boolean stillValid(GroundTruth g, MeasuredIndex idx, int probes, Changes now) {
    return g.tableOid() == idx.tableOid()
        && g.distances().length == probes
        && now.changes() >= g.tableChanges()
        && now.changes() - g.tableChanges() <= p.groundTruthMaxChange * Math.max(1, g.liveRows());
  }

  private Exact compute(
      JobContext ctx,
      Planned pl,
      ProbeSet set,
      List<Probe> probes,
      AnnQuery ann,
      BooleanSupplier stop,
      Changes now) {
    MeasuredIndex idx = pl.index();
    Distance distance = Distance.of(idx.opclass());
    GroundTruthMethod method =
        p.groundTruthMethod != null
            ? p.groundTruthMethod
            : distance != null ? GroundTruthMethod.scan : GroundTruthMethod.queries;
    if (method == GroundTruthMethod.scan && distance == null) {
      method = GroundTruthMethod.queries; // bit and sparsevec: the server computes their distances
    }
    long start = System.nanoTime();
    ExactNeighbours.Result r =
        method == GroundTruthMethod.scan
            ? ExactNeighbours.scan(
                ctx.target().jdbc(),
                ctx.connection(),
                pl.template(),
                probes,
                p.k,
                distance,
                idx.opclass().startsWith("halfvec"),
                stop)
            : ExactNeighbours.queries(
                ctx.target().jdbc(), ctx.connection(), ann, probes, now.live(), stop);
    long ms = (System.nanoTime() - start) / 1_000_000;
    store.saveGroundTruth(
        set.id(),
        new GroundTruth(
            ctx.clock().instant(),
            method.name(),
            idx.tableOid(),
            now.changes(),
            now.live(),
            r.rowsScanned(),
            ms,
            r.distances()));
    return new Exact(
        r.distances(), new GroundTruthInfo(true, method.name(), null, null, r.rowsScanned(), ms));
  }
}
