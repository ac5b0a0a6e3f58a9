package io.pgvectorops.jobs.regression;

import io.pgvectorops.jobs.Recall;
import io.pgvectorops.jobs.regression.RegressionStore.Probe;
import io.pgvectorops.jobs.regression.RegressionSummary.Reranked;
import io.pgvectorops.sql.Jdbc;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * recall@k after re-ranking, for an index of a reduced form (binary quantization, a subvector): the
 * index's candidates re-ordered by the full vectors, against the exact neighbours by the full
 * vectors. Those exact neighbours are computed each run (one pass over the column, in the caller's
 * snapshot); they are not cached like the index's own.
 */
final class Reranking {
  private Reranking() {}

  /**
   * @param full the probes as the column holds them
   * @param indexForm the same probes passed through the index expression
   */
  /** The true neighbours of each probe by the full vectors and the re-ranking distance. */
  private static double[][] exactByFull(
      Jdbc jdbc,
      Connection c,
      AnnQuery.Template fullColumn,
      Planned.Rerank rerank,
      List<Probe> full,
      int k,
      BooleanSupplier stop) {
    AnnQuery.Template exactByFull = fullColumn.withOperator(rerank.operator());
    Distance distance = Distance.ofOperator(rerank.operatorName());
    try (AnnQuery byFull = new AnnQuery(jdbc, c, exactByFull, k)) {
      return distance == null
          ? ExactNeighbours.queries(jdbc, c, byFull, full, 0, stop).distances()
          : ExactNeighbours.scan(
                  jdbc,
                  c,
                  exactByFull,
                  full,
                  k,
                  distance,
                  fullColumn.type().startsWith("halfvec"),
                  stop)
              .distances();
    }
  }

  static Reranked measure(
      Jdbc jdbc,
      Connection c,
      Planned pl,
      Planned.Rerank rerank,
      List<Probe> full,
      List<Probe> indexForm,
      int k,
      BooleanSupplier stop) {
    AnnQuery.Template fullColumn = pl.sampleTemplate();
    double[][] exact = exactByFull(jdbc, c, fullColumn, rerank, full, k, stop);
    AnnQuery.Template t = pl.template();
    double[] recalls = new double[full.size()];
    try (AnnQuery reranked =
        new AnnQuery(
            jdbc,
            c,
            k,
            extra ->
                t.sql(
                    "rerank_query",
                    k + extra,
                    Map.of(
                        "base", fullColumn.column(),
                        "base_type", fullColumn.type(),
                        "rerank_operator", rerank.operator(),
                        "candidates", Integer.toString(rerank.candidates() + extra))))) {
      for (int i = 0; i < full.size(); i++) {
        if (stop.getAsBoolean()) {
          throw new Stopped();
        }
        AnnQuery.Answer a =
            reranked.run(indexForm.get(i), full.get(i).vector(), indexForm.get(i).vector());
        recalls[i] = Recall.of(exact[i], a.distances(), k);
      }
    }
    return new Reranked(rerank.operatorName(), rerank.candidates(), Recall.mean(recalls));
  }
}
