package io.pgvectorops.jobs.quantization;

import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.common.Text;
import io.pgvectorops.jobs.quantization.TrialSummary.ShapeResult;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * From the sample to the whole table, and the recommendation. Pure, so it is tested on its own.
 *
 * <p>Size: pgvector's layout (the size model) at the table's rows, scaled by what the model missed
 * on the sample, so a model error seen on the sample is not repeated. Build time: HNSW inserts cost
 * about log n each, so n log n from the sample's seconds (a rough figure: memory and disk change it
 * when the graph stops fitting). Build memory: what a build in memory of the whole table needs.
 */
final class Estimates {
  private Estimates() {}

  static long bytes(TrialIndex index, Shape shape, long sampleBytes, int sampleRows) {
    double rows = Math.max(index.tableRows(), sampleRows);
    long atSample = shape.modelled(index, sampleRows).expectedBytes();
    long atTable = shape.modelled(index, rows).expectedBytes();
    if (atSample <= 0 || atTable <= 0) {
      return Math.round(sampleBytes * rows / sampleRows);
    }
    return Math.round((double) sampleBytes * atTable / atSample);
  }

  static double buildSeconds(TrialIndex index, double sampleSeconds, int sampleRows) {
    double rows = Math.max(index.tableRows(), sampleRows);
    double scale =
        sampleRows < 2
            ? rows / Math.max(1, sampleRows)
            : rows * Math.log(rows) / (sampleRows * Math.log(sampleRows));
    return Math.round(sampleSeconds * scale * 10) / 10.0;
  }

  static long buildMemory(TrialIndex index, Shape shape) {
    IndexFacts whole = shape.modelled(index, index.tableRows());
    return Math.round(whole.buildMemoryBytes());
  }

  /**
   * The alternative holding the target recall at the smallest estimated size, if smaller than the
   * current shape; else why none is recommended.
   */
  static String recommendation(List<ShapeResult> shapes, double targetRecall) {
    ShapeResult current = shapes.get(0);
    Optional<ShapeResult> best =
        shapes.stream()
            .skip(1)
            .filter(s -> Boolean.TRUE.equals(s.reachesTarget()) && s.estimatedBytes() != null)
            .min(Comparator.comparingLong(ShapeResult::estimatedBytes));
    if (best.isEmpty()) {
      return "none: no alternative reached recall@k "
          + targetRecall
          + " on these queries within the ef_search ladder; keep "
          + current.shape()
          + " shape";
    }
    ShapeResult b = best.get();
    if (current.estimatedBytes() == null || b.estimatedBytes() >= current.estimatedBytes()) {
      return "none: " + b.shape() + " reaches the target but is not smaller than the current index";
    }
    return String.format(
        Locale.ROOT,
        "%s: recall %.3f at ef_search %d (the current index: %s), p95 %.2f ms (current %.2f ms),"
            + " about %s instead of %s (%.0f%%) on the whole table. Build it with %s, query it"
            + " with %s, measure it with the regression job, then drop the old index",
        b.shape(),
        b.recall(),
        b.efSearch(),
        current.recall() == null
            ? "not measured"
            : String.format(
                Locale.ROOT, "%.3f at ef_search %d", current.recall(), current.efSearch()),
        b.p95Ms(),
        current.p95Ms() == null ? Double.NaN : current.p95Ms(),
        Text.size(b.estimatedBytes()),
        Text.size(current.estimatedBytes()),
        100.0 * b.estimatedBytes() / current.estimatedBytes(),
        b.definition(),
        b.query());
  }
}
