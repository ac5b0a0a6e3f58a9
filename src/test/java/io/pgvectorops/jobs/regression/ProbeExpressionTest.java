package io.pgvectorops.jobs.regression;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeExpressionTest {
  private static final String P = "(?::vector(16))";

  @Test
  void theColumnIsReplacedInsideFunctionsAndCasts() {
    assertThat(ProbeExpression.substitute("(binary_quantize(e)::bit(16))", "e", P))
        .isEqualTo("(binary_quantize((?::vector(16)))::bit(16))");
    assertThat(ProbeExpression.substitute("(subvector(e, 1, 8)::vector(8))", "e", P))
        .isEqualTo("(subvector((?::vector(16)), 1, 8)::vector(8))");
    assertThat(ProbeExpression.substitute("(e::halfvec(16))", "e", P))
        .isEqualTo("((?::vector(16))::halfvec(16))");
  }

  @Test
  void typesFunctionsQualifiedNamesAndLiteralsAreLeftAlone() {
    // a column named like the type it is cast to, and like a function
    assertThat(ProbeExpression.substitute("(vector::halfvec(3))", "vector", P))
        .isEqualTo("((?::vector(16))::halfvec(3))");
    assertThat(ProbeExpression.substitute("(l2_normalize(l2_normalize))", "l2_normalize", P))
        .isEqualTo("(l2_normalize((?::vector(16))))");
    assertThat(ProbeExpression.substitute("(public.e(x) || 'e')", "e", P)).isNull();
    assertThat(ProbeExpression.substitute("(f(\"Emb\", 'it''s e'))", "\"Emb\"", P))
        .isEqualTo("(f((?::vector(16)), 'it''s e'))");
    assertThat(ProbeExpression.substitute("(embedding::vector(3))", "e", P)).isNull();
  }
}
