package io.pgvectorops.testing.embeddings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

/**
 * Loads the demo sandbox's real data (bin/sandbox.sh, before sql/sandbox/real_data.sql shapes it
 * into the demo's tables): 20,000 WordNet glosses with their embeddings, half of them embedded
 * again from a new text template (what an application does when it changes how it embeds), and a
 * search log of 200 held-back glosses as the questions an application's users asked. A test-scope
 * tool: the model never enters the daemon's jar or package. Usage: {@code SandboxRealData port
 * database} (user postgres on 127.0.0.1); the first run on a machine embeds about 32,000 texts (one
 * to two minutes on two cores), later runs read the cache.
 */
public final class SandboxRealData {
  static final int DOCUMENTS = 20_000;
  static final int REEMBEDDED_EVERY = 2;
  static final int QUESTIONS = 200;

  private SandboxRealData() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: SandboxRealData PORT DATABASE");
      System.exit(2);
    }
    RealEmbeddings.Set documents = RealEmbeddings.documents(DOCUMENTS);
    RealEmbeddings.Set reembedded = reembedded(documents);
    RealEmbeddings.Set questions = RealEmbeddings.queriesAmong(DOCUMENTS, QUESTIONS);
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/" + args[1];
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS vector");
        s.execute(
            "CREATE TABLE sandbox_glosses (id int PRIMARY KEY, kind text NOT NULL,"
                + " body text NOT NULL, embedding vector(384) NOT NULL)");
        s.execute(
            "CREATE TABLE sandbox_reembedded (id int PRIMARY KEY, kind text NOT NULL,"
                + " body text NOT NULL, embedding vector(384) NOT NULL)");
        s.execute(
            "CREATE TABLE sandbox_questions (id int PRIMARY KEY, kind text NOT NULL,"
                + " body text NOT NULL, embedding vector(384) NOT NULL)");
      }
      RealTable.copy(c, "sandbox_glosses", documents, true);
      RealTable.copy(c, "sandbox_reembedded", reembedded, true);
      RealTable.copy(c, "sandbox_questions", questions, true);
    }
    System.err.printf(
        "sandbox: %d real documents, %d re-embedded, %d questions loaded%n",
        documents.texts().size(), reembedded.texts().size(), questions.texts().size());
  }

  /** Every other document embedded again as "kind: text", the template the application moved to. */
  static RealEmbeddings.Set reembedded(RealEmbeddings.Set documents) {
    List<Text> texts =
        documents.texts().stream()
            .filter(t -> t.id() % REEMBEDDED_EVERY == 0)
            .map(t -> new Text(t.id(), t.source(), t.kind(), t.kind() + ": " + t.text()))
            .toList();
    return RealEmbeddings.named("reembedded", texts);
  }
}
