package io.pgvectorops.testing.embeddings;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Sentence embeddings of real text, for the tests, the demo and the benchmarks where the shape of
 * the data matters (recall): all-MiniLM-L6-v2, quantized, 384 dimensions, normalized, run on the
 * CPU (ONNX Runtime, in test scope only: never in the daemon's jar or package). Documents are
 * WordNet glosses; every tenth gloss is held back as a query, so queries are real texts that are
 * not documents. Embeddings are cached per machine and model version as float32 files; a set needs
 * only a cache file of the same kind and model with at least as many vectors and the same texts.
 */
public final class RealEmbeddings {
  public static final int DIMENSIONS = 384;
  private static final int HELD_BACK_EVERY = 10;
  private static final int BATCH = 500;
  private static final long MAGIC = 0x50474f5645433031L; // "PGOVEC01"

  /** Texts and their embeddings, in the same order. */
  public record Set(String name, List<Text> texts, float[][] vectors) {
    /** pgvector's text form of vector i: {@code [0.1,0.2,…]}. */
    public String literal(int i) {
      StringBuilder sb = new StringBuilder("[");
      for (float x : vectors[i]) {
        sb.append(sb.length() > 1 ? "," : "").append(x);
      }
      return sb.append(']').toString();
    }

    /** Texts and vectors from..to (exclusive), ids as they are. */
    public Set slice(int from, int to) {
      return new Set(name, texts.subList(from, to), Arrays.copyOfRange(vectors, from, to));
    }
  }

  private RealEmbeddings() {}

  /** The first n documents: WordNet glosses but the held-back ones, with their embeddings. */
  public static Set documents(int n) {
    List<Text> glosses = RealTexts.glosses();
    List<Text> docs = new ArrayList<>();
    for (int i = 0; i < glosses.size() && docs.size() < n; i++) {
      if (i % HELD_BACK_EVERY != HELD_BACK_EVERY - 1) {
        docs.add(renumbered(glosses.get(i), docs.size() + 1));
      }
    }
    return embedded("documents", docs, n);
  }

  /** The first n queries: held-back WordNet glosses, none of them a document. */
  public static Set queries(int n) {
    List<Text> glosses = RealTexts.glosses();
    List<Text> queries = new ArrayList<>();
    for (int i = HELD_BACK_EVERY - 1;
        i < glosses.size() && queries.size() < n;
        i += HELD_BACK_EVERY) {
      queries.add(renumbered(glosses.get(i), queries.size() + 1));
    }
    return embedded("queries", queries, n);
  }

  /**
   * n queries spread evenly over the held-back glosses that sit among the first {@code documents}
   * documents, so every topic of those documents is asked about (WordNet's order groups glosses by
   * topic: the first n queries ask only about the first documents' topics).
   */
  public static Set queriesAmong(int documents, int n) {
    Set all = queries(Math.max(n, documents / (HELD_BACK_EVERY - 1)));
    int size = all.texts().size();
    List<Text> texts = new ArrayList<>(n);
    float[][] vectors = new float[n][];
    for (int i = 0; i < n; i++) {
      int from = (int) ((long) i * size / n);
      texts.add(renumbered(all.texts().get(from), i + 1));
      vectors[i] = all.vectors()[from];
    }
    return new Set("queries", texts, vectors);
  }

  /** These texts' embeddings, cached under {@code name} like the documents and queries. */
  public static Set named(String name, List<Text> texts) {
    return embedded(name, texts, texts.size());
  }

  /** Embeds texts now, without the cache. */
  public static float[][] embed(List<String> texts) {
    EmbeddingModel model = Model.INSTANCE;
    List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
    return model.embedAll(segments).content().stream().map(e -> e.vector()).toArray(float[][]::new);
  }

  /** The folder of this model's cached embeddings. */
  public static Path cacheDir() {
    String dir = System.getenv("PGVECTOR_OPS_EMBEDDINGS_CACHE");
    Path base =
        dir != null && !dir.isBlank()
            ? Path.of(dir)
            : Path.of(System.getProperty("user.home"), ".cache", "pgvector-ops", "embeddings");
    return base.resolve(ModelVersion.NAME);
  }

  private static Text renumbered(Text t, int id) {
    return new Text(id, t.source(), t.kind(), t.text());
  }

  private static Set embedded(String name, List<Text> texts, int n) {
    if (texts.size() < n) {
      throw new IllegalArgumentException(
          "only " + texts.size() + " " + name + " in the real set, " + n + " asked for");
    }
    float[][] cached = readCache(name, texts);
    if (cached != null) {
      return new Set(name, texts, cached);
    }
    float[][] vectors = new float[texts.size()][];
    long start = System.nanoTime();
    long said = start;
    for (int from = 0; from < texts.size(); from += BATCH) {
      List<String> batch =
          texts.subList(from, Math.min(texts.size(), from + BATCH)).stream()
              .map(Text::text)
              .toList();
      System.arraycopy(embed(batch), 0, vectors, from, batch.size());
      if (System.nanoTime() - said > 5e9) {
        said = System.nanoTime();
        System.err.printf(
            "real embeddings: %d of %d %s (%.0f a second)%n",
            from + batch.size(),
            texts.size(),
            name,
            (from + batch.size()) / ((said - start) / 1e9));
      }
    }
    writeCache(name, texts, vectors);
    return new Set(name, texts, vectors);
  }

  /** The vectors of these texts from the smallest cache file that holds them, or null. */
  private static float[][] readCache(String name, List<Text> texts) {
    Path dir = cacheDir();
    if (!Files.isDirectory(dir)) {
      return null;
    }
    // the hash a file must hold for these texts, computed once for every candidate
    byte[] expected = prefixHashes(texts).get(texts.size() - 1);
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> candidates =
          files
              .filter(f -> f.getFileName().toString().matches(name + "-\\d+\\.f32"))
              .filter(f -> count(f) >= texts.size())
              .sorted((a, b) -> Integer.compare(count(a), count(b)))
              .toList();
      for (Path f : candidates) {
        float[][] vectors = read(f, texts.size(), expected);
        if (vectors != null) {
          return vectors;
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int count(Path f) {
    String s = f.getFileName().toString();
    return Integer.parseInt(s.substring(s.lastIndexOf('-') + 1, s.length() - 4));
  }

  /**
   * A cache file: a header (magic, count, dimensions), count × dimensions float32, then the SHA-256
   * of each prefix of its texts (the first 1, 2, … count), so it serves every shorter set of the
   * same texts; all little-endian. The first n vectors, or null where the hash of the first n texts
   * is not {@code expected}.
   */
  private static float[][] read(Path f, int n, byte[] expected) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(head, 0);
      head.flip();
      if (head.getLong() != MAGIC || head.getInt() < n || head.getInt() != DIMENSIONS) {
        return null;
      }
      long hashesAt = 16L + (long) count(f) * DIMENSIONS * 4;
      ByteBuffer hash = ByteBuffer.allocate(32);
      ch.read(hash, hashesAt + (long) (n - 1) * 32);
      if (!MessageDigest.isEqual(hash.array(), expected)) {
        return null;
      }
      ByteBuffer body = ByteBuffer.allocate(n * DIMENSIONS * 4);
      ch.read(body, 16);
      body.flip();
      var floats = body.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      float[][] vectors = new float[n][DIMENSIONS];
      for (float[] v : vectors) {
        floats.get(v);
      }
      return vectors;
    }
  }

  private static void writeCache(String name, List<Text> texts, float[][] vectors) {
    try {
      Path dir = Files.createDirectories(cacheDir());
      Path file = dir.resolve(name + "-" + texts.size() + ".f32");
      Path tmp = Files.createTempFile(dir, name, ".tmp");
      ByteBuffer buf =
          ByteBuffer.allocate(16 + texts.size() * (DIMENSIONS * 4 + 32))
              .order(ByteOrder.LITTLE_ENDIAN);
      buf.putLong(MAGIC).putInt(texts.size()).putInt(DIMENSIONS);
      for (float[] v : vectors) {
        for (float x : v) {
          buf.putFloat(x);
        }
      }
      for (byte[] h : prefixHashes(texts)) {
        buf.put(h);
      }
      Files.write(tmp, buf.array());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The SHA-256 of the first 1, 2, … texts (each text's bytes and a separator, chained). */
  private static List<byte[]> prefixHashes(List<Text> texts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      List<byte[]> hashes = new ArrayList<>(texts.size());
      for (Text t : texts) {
        sha.update(t.text().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        hashes.add(((MessageDigest) sha.clone()).digest());
      }
      return hashes;
    } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The model, loaded on first use (about a second). */
  private static final class Model {
    static final EmbeddingModel INSTANCE = new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  /** The model's version, the name of its jar, which names the cache folder. */
  private static final class ModelVersion {
    static final String NAME = version();

    private static String version() {
      String jar =
          AllMiniLmL6V2QuantizedEmbeddingModel.class
              .getProtectionDomain()
              .getCodeSource()
              .getLocation()
              .getPath();
      String file = jar.substring(jar.lastIndexOf('/') + 1);
      return file.endsWith(".jar") ? file.substring(0, file.length() - 4) : file;
    }
  }
}
