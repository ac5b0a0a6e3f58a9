package io.pgvectorops.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class GlobTest {
  @Test
  void matchesAsTheGlobItDocuments() {
    assertThat(Glob.matches("*", "")).isTrue();
    assertThat(Glob.matches("", "")).isTrue();
    assertThat(Glob.matches("", "a")).isFalse();
    assertThat(Glob.matches("public.*_hnsw", "public.documents_embedding_hnsw")).isTrue();
    assertThat(Glob.matches("public.*_hnsw", "public.documents_embedding_ivfflat")).isFalse();
    assertThat(Glob.matches("?", "é")).isTrue();
    assertThat(Glob.matches("?", "😀")).as("one character, two chars in Java").isTrue();
    assertThat(Glob.matches("a.b", "axb")).as("a dot is itself").isFalse();
    assertThat(Glob.matches("[ab]", "a")).as("brackets are themselves").isFalse();
    assertThat(Glob.matches("[ab]", "[ab]")).isTrue();
    assertThat(Glob.matches("*x*y*", "axbxcy")).isTrue();
    assertThat(Glob.matches("*x*y", "axbxcyz")).isFalse();
  }

  /** Against the regular expression the silences used before, on many small random cases. */
  @Test
  void agreesWithTheRegularExpressionItReplaces() {
    Random r = new Random(30);
    String alphabet = "ab*?.";
    for (int n = 0; n < 50_000; n++) {
      String pattern = random(r, "ab*?", r.nextInt(7));
      String text = random(r, alphabet.replace("*", "").replace("?", ""), r.nextInt(9));
      assertThat(Glob.matches(pattern, text))
          .as("'%s' against '%s'", pattern, text)
          .isEqualTo(regex(pattern).matcher(text).matches());
    }
  }

  /**
   * The pattern that stalled the API: the old regular expression would take years on these; the
   * timeout only catches a hang.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void hundredsOfStarsAgainstLongNamesEndAtOnce() {
    String stars = "*".repeat(499) + "#";
    String name = "public." + "documents_embedding_hnsw_".repeat(40);
    for (int i = 0; i < 100; i++) {
      assertThat(Glob.matches(stars, name + i)).isFalse();
    }
    assertThat(Glob.matches("*a".repeat(250), "a".repeat(2000))).isTrue();
    assertThat(Glob.matches("*a".repeat(250) + "b", "a".repeat(2000))).isFalse();
  }

  private static String random(Random r, String alphabet, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static Pattern regex(String glob) {
    StringBuilder re = new StringBuilder();
    for (char ch : glob.toCharArray()) {
      switch (ch) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
