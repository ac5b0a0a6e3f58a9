package io.pgvectorops.testing.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real data set: the texts, the model's vectors, the cache, and that neighbours make sense. */
class RealEmbeddingsTest {
  @Test
  void theTextsAreWordNetGlossesInFileOrder() {
    List<Text> glosses = RealTexts.glosses();
    assertThat(glosses).hasSizeGreaterThan(110_000);
    assertThat(glosses.get(0))
        .isEqualTo(
            new Text(
                1,
                "wordnet:n:00001740",
                "noun",
                "entity: that which is perceived or known or inferred to have its own distinct"
                    + " existence (living or nonliving)"));
    assertThat(glosses).extracting(Text::kind).contains("noun", "verb", "adjective", "adverb");
    assertThat(RealTexts.fortunes()).hasSizeGreaterThan(400).allMatch(t -> !t.text().isBlank());
  }

  @Test
  void vectorsAreNormalizedCachedAndTheSameEveryTime() throws Exception {
    RealEmbeddings.Set docs = RealEmbeddings.documents(600);
    assertThat(docs.vectors()).hasNumberOfRows(600);
    for (float[] v : docs.vectors()) {
      assertThat(v).hasSize(RealEmbeddings.DIMENSIONS);
      assertThat(dot(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    }
    Path cache = RealEmbeddings.cacheDir();
    assertThat(cache.toString()).contains("all-minilm-l6-v2-q");
    // a smaller set is served from the cache of a larger one: the same vectors, bit for bit
    RealEmbeddings.Set fewer = RealEmbeddings.documents(200);
    for (int i = 0; i < 200; i++) {
      assertThat(fewer.vectors()[i]).isEqualTo(docs.vectors()[i]);
    }
    // and the model gives the same vectors again, so a cache built elsewhere is the same set
    float[][] again =
        RealEmbeddings.embed(docs.texts().subList(0, 20).stream().map(Text::text).toList());
    for (int i = 0; i < 20; i++) {
      assertThat(again[i]).as(docs.texts().get(i).text()).isEqualTo(docs.vectors()[i]);
    }
    // no query is a document
    RealEmbeddings.Set queries = RealEmbeddings.queries(60);
    List<String> texts = docs.texts().stream().map(Text::text).toList();
    assertThat(queries.texts()).extracting(Text::text).doesNotContainAnyElementsOf(texts);
    try (var files = Files.list(cache)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList())
          .anyMatch(f -> f.matches("documents-\\d+\\.f32"));
    }
  }

  /**
   * What makes the set real: a synset's words alone find its gloss among 2,000 documents. With
   * vectors unrelated to the texts, the gloss would be in the top 10 about 0.5% of the time.
   */
  @Test
  void aSynsetsWordsFindItsGloss() {
    RealEmbeddings.Set docs = RealEmbeddings.documents(2000);
    List<String> words = new ArrayList<>();
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 2000 && words.size() < 100; i += 20) {
      String text = docs.texts().get(i).text();
      words.add(text.substring(0, text.indexOf(": ")));
      expected.add(i);
    }
    float[][] probes = RealEmbeddings.embed(words);
    int found = 0;
    for (int q = 0; q < probes.length; q++) {
      if (top10(docs.vectors(), probes[q]).contains(expected.get(q))) {
        found++;
      }
    }
    System.out.printf("RealEmbeddingsTest: %d of %d synsets' words find their gloss%n", found, 100);
    assertThat(found).isGreaterThanOrEqualTo(50);
  }

  private static List<Integer> top10(float[][] docs, float[] q) {
    Integer[] order = new Integer[docs.length];
    double[] sim = new double[docs.length];
    for (int i = 0; i < docs.length; i++) {
      order[i] = i;
      sim[i] = dot(docs[i], q);
    }
    Arrays.sort(order, (a, b) -> Double.compare(sim[b], sim[a]));
    return Arrays.asList(order).subList(0, 10);
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
