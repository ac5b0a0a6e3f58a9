package io.pgvectorops.catalog;

import java.util.Map;

/**
 * The size an hnsw or ivfflat index would have if it were built now from its live rows, from
 * pgvector's on-disk layout (pgvector 0.8.0: src/hnsw.h, src/hnswbuild.c, src/ivfflat.h; the
 * figures are in PGVECTOR-NOTES.md §1). pgstattuple does not support these access methods, so bloat
 * is actual size against this model.
 *
 * <p>Page: 8192 bytes, 24-byte header and 8-byte special space leave 8160; each tuple also costs a
 * 4-byte line pointer. Tuples are MAXALIGNed to 8 bytes.
 *
 * <p>HNSW: one element tuple, {@code MAXALIGN(72 + VARSIZE(value))}, and one neighbour tuple per
 * element, {@code MAXALIGN(4 + 6·m·(L+2))} for an element on level L (level 0: 2m neighbours, m per
 * level above). P(L ≥ l) = m^-l, so upper levels add 6m/(m−1) bytes per element on average. An
 * element and its neighbours share a page when they fit, so a page holds {@code floor(8160 /
 * (element + neighbours0 + 2 line pointers + upper-level average))} elements, plus one meta page.
 * When element + neighbours do not fit one page they take about two pages each.
 *
 * <p>IVFFlat: a meta page; the list (centroid) pages, {@code MAXALIGN(8 + VARSIZE)} per list;
 * entries of {@code MAXALIGN(8 + VARSIZE)}; each list starts its own chain of pages, so on average
 * half a page per list is left empty.
 *
 * <p>VARSIZE: vector(d) 8+4d, halfvec(d) 8+2d, bit(d) 8+⌈d/8⌉, sparsevec 16+8·nnz (taken from the
 * column's average width in pg_stats, since nnz varies by row).
 */
public final class VectorIndexSizeModel {
  static final int PAGE = 8192;
  static final int USABLE = 8160;
  static final int LINE_POINTER = 4;

  private VectorIndexSizeModel() {}

  static int maxalign(double bytes) {
    int b = (int) Math.ceil(bytes);
    return (b + 7) & ~7;
  }

  /** Stored size of one value, or -1 when it cannot be known (no dimension and no statistics). */
  public static double varsizeOf(String type, Integer dims, Double avgWidth) {
    return varsize(type, dims, avgWidth);
  }

  static double varsize(String type, Integer dims, Double avgWidth) {
    if (dims != null && dims > 0) {
      switch (type) {
        case "vector":
          return 8 + 4.0 * dims;
        case "halfvec":
          return 8 + 2.0 * dims;
        case "bit":
        case "varbit":
          return 8 + Math.ceil(dims / 8.0);
        default:
          break;
      }
    }
    return avgWidth != null && avgWidth > 0 ? avgWidth : -1;
  }

  /**
   * @param elements live, non-NULL values the index would hold
   * @return expected pages, or -1 when the model does not apply (unknown method or size)
   */
  public static long expectedPages(
      String method,
      String type,
      Integer dims,
      Double avgWidth,
      Map<String, String> options,
      double elements) {
    double value = varsize(type, dims, avgWidth);
    if (value < 0 || elements < 0) {
      return -1;
    }
    return switch (method) {
      case "hnsw" -> hnsw(value, intOption(options, "m", 16), elements);
      case "ivfflat" -> ivfflat(value, intOption(options, "lists", 100), elements);
      default -> -1;
    };
  }

  static long hnsw(double value, int m, double elements) {
    int element = maxalign(72 + value);
    int neighbours0 = maxalign(4 + 6.0 * m * 2);
    double upperLevels = 6.0 * m / (m - 1);
    if (element + neighbours0 + LINE_POINTER > USABLE - LINE_POINTER) {
      return 1 + (long) Math.ceil(2 * elements);
    }
    long perPage =
        (long) Math.floor(USABLE / (element + neighbours0 + 2.0 * LINE_POINTER + upperLevels));
    return 1 + (long) Math.ceil(elements / Math.max(1, perPage));
  }

  static long ivfflat(double value, int lists, double elements) {
    int listTuple = maxalign(8 + value);
    long listsPerPage = Math.max(1, USABLE / (listTuple + LINE_POINTER));
    int entry = maxalign(8 + value);
    long entriesPerPage = Math.max(1, USABLE / (entry + LINE_POINTER));
    long listPages = (long) Math.ceil((double) lists / listsPerPage);
    long entryPages = (long) Math.max(lists, Math.ceil(elements / entriesPerPage + lists / 2.0));
    return 1 + listPages + entryPages;
  }

  private static int intOption(Map<String, String> options, String key, int defaultValue) {
    try {
      return options.containsKey(key) ? Integer.parseInt(options.get(key)) : defaultValue;
    } catch (NumberFormatException e) {
      return defaultValue;
    }
  }
}
