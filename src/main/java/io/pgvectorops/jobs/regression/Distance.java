package io.pgvectorops.jobs.regression;

/**
 * pgvector's distances for vector and halfvec, computed the way its C code does (single-precision
 * sums, the final step in double), so the ground truth the daemon computes ranks rows as the server
 * would. The server may use FMA instructions, so results can differ in the last bits: recall
 * compares distances with a tolerance ({@link Recall#EPSILON}).
 */
public enum Distance {
  l2 {
    @Override
    public double between(float[] a, float[] b) {
      float sum = 0f;
      for (int i = 0; i < a.length; i++) {
        float d = a[i] - b[i];
        sum += d * d;
      }
      return Math.sqrt(sum);
    }
  },
  /** The negative inner product, as the {@code <#>} operator returns it. */
  innerProduct {
    @Override
    public double between(float[] a, float[] b) {
      float sum = 0f;
      for (int i = 0; i < a.length; i++) {
        sum += a[i] * b[i];
      }
      return -(double) sum;
    }
  },
  /** NaN for a zero vector: such rows are not in a cosine index and never ground truth. */
  cosine {
    @Override
    public double between(float[] a, float[] b) {
      float dot = 0f;
      float na = 0f;
      float nb = 0f;
      for (int i = 0; i < a.length; i++) {
        dot += a[i] * b[i];
        na += a[i] * a[i];
        nb += b[i] * b[i];
      }
      return cosineOf(dot, na, nb);
    }
  },
  l1 {
    @Override
    public double between(float[] a, float[] b) {
      float sum = 0f;
      for (int i = 0; i < a.length; i++) {
        sum += Math.abs(a[i] - b[i]);
      }
      return sum;
    }
  };

  public abstract double between(float[] a, float[] b);

  /** The cosine distance from a dot product and the two squared norms, as single-precision sums. */
  static double cosineOf(float dot, float na, float nb) {
    double similarity = (double) dot / Math.sqrt((double) na * (double) nb);
    if (Double.isNaN(similarity)) {
      return Double.NaN;
    }
    return 1.0 - Math.max(-1.0, Math.min(1.0, similarity));
  }

  /** The distance of a vector or halfvec operator as an application writes it, e.g. {@code <=>}. */
  public static Distance ofOperator(String operatorName) {
    return switch (operatorName) {
      case "<->" -> l2;
      case "<#>" -> innerProduct;
      case "<=>" -> cosine;
      case "<+>" -> l1;
      default -> null;
    };
  }

  /**
   * The distance of an operator class the daemon can compute itself; null for bit and sparsevec
   * ones.
   */
  public static Distance of(String opclass) {
    return switch (opclass) {
      case "vector_l2_ops", "halfvec_l2_ops" -> l2;
      case "vector_ip_ops", "halfvec_ip_ops" -> innerProduct;
      case "vector_cosine_ops", "halfvec_cosine_ops" -> cosine;
      case "vector_l1_ops", "halfvec_l1_ops" -> l1;
      default -> null;
    };
  }
}
