package io.pgvectorops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL cluster of one test's own, beside the shared test cluster, for faults that must hit
 * one side only: a target restarted while the state database stays up, or the state database
 * stopped while the targets stay up. Needs the local binaries (bin/setup-postgres).
 */
public final class OwnCluster implements AutoCloseable {
  private final PgBinaries bins;
  private final Path dir;
  private final Path data;
  private final int port;

  /** Server options added after the shared ones (later -c settings win). */
  private String extraOptions = "";

  private OwnCluster(PgBinaries bins, Path dir, int port) {
    this.bins = bins;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
  }

  /** A cluster of the test line's PostgreSQL (PGVECTOR_OPS_TEST_SERVER). */
  public static OwnCluster start() throws IOException {
    return start(TestPostgres.binaries());
  }

  /** A cluster of these binaries (another major's). */
  public static OwnCluster start(PgBinaries bins) throws IOException {
    Path dir = bins.newClusterDir("pgvector-ops-own-cluster-");
    bins.initdb(dir.resolve("data"));
    OwnCluster c = new OwnCluster(bins, dir, TestPostgres.closedPort());
    c.pgCtl("start");
    return c;
  }

  public int port() {
    return port;
  }

  /**
   * Copies files into the data directory (owned by the server's user, readable by it alone), adds
   * settings to postgresql.conf and rules before pg_hba.conf's, then restarts.
   */
  public void configure(Map<String, Path> files, List<String> settings, List<String> hbaFirst)
      throws IOException {
    for (Map.Entry<String, Path> f : files.entrySet()) {
      Path to = data.resolve(f.getKey());
      Files.copy(f.getValue(), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(
          to, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      bins.own(to);
    }
    Files.writeString(
        data.resolve("postgresql.conf"),
        "\n" + String.join("\n", settings) + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    Path hba = data.resolve("pg_hba.conf");
    Files.writeString(hba, String.join("\n", hbaFirst) + "\n" + Files.readString(hba));
    restart();
  }

  /**
   * A new database with pgvector, the contrib extensions the jobs use and rv(d), as on the shared
   * cluster.
   */
  public TestPostgres.Database newDatabase(String name) throws SQLException {
    TestPostgres.Database db = newDatabaseWithoutVector(name);
    db.execute(
        "CREATE EXTENSION vector",
        "CREATE FUNCTION rv(d int) RETURNS vector LANGUAGE sql VOLATILE AS"
            + " $$ SELECT array_agg(random()::real)::vector FROM generate_series(1, d) $$");
    return db;
  }

  /** A new database with the contrib extensions the jobs use, without pgvector. */
  public TestPostgres.Database newDatabaseWithoutVector(String name) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    TestPostgres.Database db = new TestPostgres.Database(name, "127.0.0.1", port, "postgres", null);
    db.execute(
        "CREATE EXTENSION pg_stat_statements",
        "CREATE EXTENSION pg_buffercache",
        "CREATE EXTENSION pg_prewarm",
        "CREATE EXTENSION pgstattuple");
    return db;
  }

  /**
   * Restarts with these server options after the shared ones, e.g. {@code -c max_connections=600}.
   */
  public void restartWith(String options) throws IOException {
    extraOptions = " " + options;
    restart();
  }

  /** Fast shutdown (every session ended, running statements cancelled) and start again. */
  public void restart() throws IOException {
    pgCtl("-m", "fast", "restart");
  }

  public void stop() throws IOException {
    pgCtl("-m", "fast", "stop");
  }

  public void startAgain() throws IOException {
    pgCtl("start");
  }

  private void pgCtl(String... action) throws IOException {
    // prepared transactions: a test can hold a lock across a restart
    bins.pgCtl(
        data,
        dir.resolve("server.log"),
        TestPostgres.LocalCluster.options(bins, dir, port)
            + " -c max_prepared_transactions=4"
            + extraOptions,
        action);
  }

  @Override
  public void close() throws IOException {
    bins.run(true, "pg_ctl", "-D", bins.path(data), "-m", "immediate", "stop");
    TestPostgres.LocalCluster.deleteTree(dir);
  }
}
