package io.pgvectorops.testing.embeddings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real text from Debian's packages (bin/setup-textdata installs them): WordNet 3.0's synset glosses
 * ({@code wordnet-base}, about 117,000: "laser printer: electrostatic printer that…") and quotes
 * ({@code fortunes-min}). Read in file order, so the same texts get the same ids every time.
 */
public final class RealTexts {
  static final Path WORDNET = Path.of("/usr/share/wordnet");
  static final Path FORTUNES = Path.of("/usr/share/games/fortunes/fortunes");

  private static final String[][] PARTS = {
    {"noun", "n"}, {"verb", "v"}, {"adj", "a"}, {"adv", "r"},
  };

  private static List<Text> glosses;

  private RealTexts() {}

  /**
   * Every synset of WordNet as "its words: its gloss", nouns, verbs, adjectives, adverbs. Read once
   * per JVM: documents and queries are both cut from it.
   */
  public static synchronized List<Text> glosses() {
    if (glosses == null) {
      glosses = List.copyOf(read()); // a missing file says so, and the next call tries again
    }
    return glosses;
  }

  private static List<Text> read() {
    List<Text> texts = new ArrayList<>();
    for (String[] part : PARTS) {
      for (String line : lines(WORDNET.resolve("data." + part[0]))) {
        // data lines: offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] ... | gloss
        int bar = line.indexOf(" | ");
        if (line.startsWith("  ") || bar < 0) {
          continue; // the licence at the top of each file
        }
        String[] f = line.substring(0, bar).split(" ");
        int words = Integer.parseInt(f[3], 16);
        List<String> names = new ArrayList<>();
        for (int w = 0; w < words; w++) {
          names.add(f[4 + 2 * w].replace('_', ' ').replaceAll("\\(.*\\)$", ""));
        }
        String gloss = line.substring(bar + 3).trim();
        texts.add(
            new Text(
                texts.size() + 1,
                "wordnet:" + part[1] + ":" + f[0],
                kind(f[2]),
                String.join(", ", names) + ": " + gloss));
      }
    }
    return texts;
  }

  /** The quotes of fortunes-min, each on one line. */
  public static List<Text> fortunes() {
    List<Text> texts = new ArrayList<>();
    StringBuilder quote = new StringBuilder();
    for (String line : lines(FORTUNES)) {
      if (!line.equals("%")) {
        quote.append(' ').append(line.trim());
        continue;
      }
      String text = quote.toString().replaceAll("\\s+", " ").trim();
      quote.setLength(0);
      if (!text.isEmpty()) {
        texts.add(new Text(texts.size() + 1, "fortunes:" + (texts.size() + 1), "fortune", text));
      }
    }
    return texts;
  }

  private static String kind(String ssType) {
    return switch (ssType) {
      case "n" -> "noun";
      case "v" -> "verb";
      case "a", "s" -> "adjective";
      case "r" -> "adverb";
      default -> throw new IllegalStateException("unknown WordNet synset type " + ssType);
    };
  }

  private static List<String> lines(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file + " is missing: run bin/setup-textdata");
    }
    try {
      return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
