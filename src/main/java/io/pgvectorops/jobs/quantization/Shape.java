package io.pgvectorops.jobs.quantization;

import static io.pgvectorops.sql.Identifiers.quote;

import io.pgvectorops.catalog.IndexFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * An index shape the trial builds: the current one, the same with half its m (fewer neighbours per
 * element: a smaller graph, where recall has room), the vectors stored as halfvec (half the bytes
 * per element), and binary_quantize with re-ranking by the full vectors (pgvector's README,
 * "Scaling"). Each says how it is indexed and queried, on the scratch sample and on the
 * application's table.
 */
enum Shape {
  CURRENT("current"),
  HALF_M("half m"),
  HALFVEC("halfvec"),
  BINARY_RERANK("binary_quantize + re-rank");

  /** The smallest m whose half is tried: pgvector's m starts at 2, and 4 is already sparse. */
  static final int HALF_M_FROM = 8;

  /** As the summary and the dashboard name it. */
  final String label;

  Shape(String label) {
    this.label = label;
  }

  /**
   * The current shape first; half m when asked; halfvec only when the column is not halfvec
   * already.
   */
  static List<Shape> of(TrialIndex index, boolean halfM) {
    List<Shape> out = new ArrayList<>(List.of(CURRENT));
    if (halfM) {
      out.add(HALF_M);
    }
    if (index.facts().type().equals("vector")) {
      out.add(HALFVEC);
    }
    out.add(BINARY_RERANK);
    return out;
  }

  /** The indexed column or expression, over {@code column}. */
  String key(TrialIndex index, String column) {
    int d = index.facts().dims();
    return switch (this) {
      case CURRENT, HALF_M -> column;
      case HALFVEC -> "(" + column + "::halfvec(" + d + "))";
      case BINARY_RERANK -> "(binary_quantize(" + column + ")::bit(" + d + "))";
    };
  }

  String opclass(TrialIndex index) {
    return switch (this) {
      case CURRENT, HALF_M -> index.opclass();
      // only a vector column has this shape: its opclass is vector_<distance>_ops
      case HALFVEC -> "halfvec_" + index.opclass().substring("vector_".length());
      case BINARY_RERANK -> "bit_hamming_ops";
    };
  }

  /** The operator the index orders by. */
  String operator(TrialIndex index) {
    return this == BINARY_RERANK ? "<~>" : index.operatorName();
  }

  /** A query vector (the parameter {@code param}) in the form the key compares with. */
  String probeKey(TrialIndex index, String param) {
    int d = index.facts().dims();
    String value = "(" + param + "::" + index.castType() + ")";
    return switch (this) {
      case CURRENT, HALF_M -> value;
      case HALFVEC -> value + "::halfvec(" + d + ")";
      case BINARY_RERANK -> "binary_quantize(" + value + ")::bit(" + d + ")";
    };
  }

  /** Its build options as a WITH list. */
  String options(TrialIndex index) {
    int m = index.facts().option("m", 16);
    return index.withOptions(this == HALF_M ? m / 2 : m);
  }

  boolean reranked() {
    return this == BINARY_RERANK;
  }

  /** The statement that builds this shape on the application's table. */
  String definition(TrialIndex index) {
    return "CREATE INDEX CONCURRENTLY ON "
        + quote(index.facts().schema())
        + "."
        + quote(index.facts().table())
        + " USING hnsw ("
        + key(index, index.column())
        + " "
        + opclass(index)
        + ") WITH ("
        + options(index)
        + ")";
  }

  /** How the application queries this shape (its query vector is $1), for k rows. */
  String query(TrialIndex index, int k, int candidates) {
    String order =
        "ORDER BY "
            + key(index, index.column())
            + " "
            + operator(index)
            + " "
            + probeKey(index, "$1");
    if (!reranked()) {
      return order + " LIMIT " + k;
    }
    return order
        + " LIMIT "
        + candidates
        + ", then those candidates ORDER BY "
        + index.column()
        + " "
        + index.operatorName()
        + " $1 LIMIT "
        + k;
  }

  /** The index as the size model sees it with this shape and this many elements. */
  IndexFacts modelled(TrialIndex index, double elements) {
    IndexFacts f =
        this == HALF_M
            ? index.facts().withOption("m", String.valueOf(index.facts().option("m", 16) / 2))
            : index.facts();
    String type =
        switch (this) {
          case CURRENT, HALF_M -> f.type();
          case HALFVEC -> "halfvec";
          case BINARY_RERANK -> "bit";
        };
    return new IndexFacts(
        f.oid(),
        f.tableOid(),
        f.schema(),
        f.name(),
        f.table(),
        f.method(),
        type,
        f.dims(),
        f.options(),
        f.actualBytes(),
        elements,
        true,
        false,
        f.definition(),
        null,
        false,
        null,
        List.of());
  }
}
