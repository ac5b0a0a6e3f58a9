package io.pgvectorops.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL with pgvector for tests, one per JVM, with a fresh database per test class.
 * Sources, in order: an existing server ({@code PGVECTOR_OPS_TEST_URL}, a superuser JDBC URL with
 * user and password parameters), Testcontainers' pgvector image when a Docker engine answers,
 * otherwise a throwaway cluster from the local PostgreSQL binaries under target/ (fsync off; run as
 * the postgres user when the tests run as root, since initdb refuses root). The server's time zone
 * is not UTC on purpose. Every test database has {@code rv(d)}, a random vector of d dimensions.
 */
public final class TestPostgres {
  public static final String TIME_ZONE = "Asia/Kolkata";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static Server server;
  private static PgBinaries localBin;
  private static Path localDir;
  private static int standbyPort;

  /** Where a test database lives. */
  public record Database(String name, String host, int port, String user, String password) {
    public String url() {
      return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public Connection connect() throws SQLException {
      return DriverManager.getConnection(url(), user, password);
    }

    /** The first column of the first row, as a number (a count, a size). */
    public long queryLong(String sql) throws SQLException {
      return firstRow(sql, rs -> rs.getLong(1));
    }

    /** The first column of the first row, as text (a setting, a version). */
    /** Whether a view of this name is visible in the database (e.g. one a major added). */
    public boolean hasView(String name) throws SQLException {
      return queryLong("SELECT count(*) FROM pg_views WHERE viewname = '" + name + "'") > 0;
    }

    public String queryString(String sql) throws SQLException {
      return firstRow(sql, rs -> rs.getString(1));
    }

    private interface Column<T> {
      T read(java.sql.ResultSet rs) throws SQLException;
    }

    private <T> T firstRow(String sql, Column<T> column) throws SQLException {
      try (Connection c = connect();
          Statement s = c.createStatement();
          java.sql.ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return column.read(rs);
      }
    }

    /**
     * Waits until the server runs {@code query} (its exact text) for longer than {@code running}.
     */
    public void awaitRunning(String query, java.time.Duration running) {
      org.awaitility.Awaitility.await("'" + query + "' running for over " + running)
          .atMost(java.time.Duration.ofSeconds(30))
          .pollInterval(java.time.Duration.ofMillis(50))
          .until(
              () ->
                  queryLong(
                          "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = '"
                              + query.replace("'", "''")
                              + "' AND now() - query_start > interval '"
                              + running.toMillis()
                              + " ms'")
                      > 0);
    }

    public void execute(String... statements) throws SQLException {
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        for (String sql : statements) {
          s.execute(sql);
        }
      }
    }
  }

  record Server(String host, int port, String user, String password, String source) {}

  private TestPostgres() {}

  /** A new empty database with pgvector and the contrib extensions the jobs use. */
  public static synchronized Database newDatabase(String prefix) throws SQLException {
    Server s = server();
    String name =
        (prefix.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_" + DATABASES.incrementAndGet());
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + s.host() + ":" + s.port() + "/postgres",
                s.user(),
                s.password());
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      st.execute("CREATE DATABASE " + name);
    }
    Database db = new Database(name, s.host(), s.port(), s.user(), s.password());
    db.execute(
        "CREATE EXTENSION IF NOT EXISTS vector",
        "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
        "CREATE EXTENSION IF NOT EXISTS pg_buffercache",
        "CREATE EXTENSION IF NOT EXISTS pg_prewarm",
        "CREATE EXTENSION IF NOT EXISTS pgstattuple",
        // test data: a random vector of d dimensions, drawn per row
        "CREATE FUNCTION rv(d int) RETURNS vector LANGUAGE sql VOLATILE AS"
            + " $$ SELECT array_agg(random()::real)::vector FROM generate_series(1, d) $$");
    return db;
  }

  /**
   * The same database on a physical standby of the test cluster (pg_basebackup -R, streaming),
   * started once per JVM. Only the local cluster can grow one: with another source this fails.
   */
  public static synchronized Database standby(Database primary) throws Exception {
    server();
    if (localDir == null) {
      throw new IllegalStateException(
          "a standby needs the local test cluster (not " + server.source() + ")");
    }
    if (standbyPort == 0) {
      Path data = localDir.resolve("standby");
      int port = closedPort();
      PgBinaries bins = localBin;
      // -c fast: a spread checkpoint would make the backup wait minutes
      bins.run(
          false,
          "pg_basebackup",
          "-h",
          "127.0.0.1",
          "-p",
          String.valueOf(server.port()),
          "-U",
          "postgres",
          "-D",
          bins.path(data),
          "-R",
          "-X",
          "stream",
          "-c",
          "fast");
      bins.pgCtl(
          data,
          localDir.resolve("standby.log"),
          LocalCluster.options(bins, localDir, port),
          "start");
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      bins.run(true, "pg_ctl", "-D", bins.path(data), "-m", "immediate", "stop");
                    } catch (IOException e) {
                      // exiting
                    }
                  }));
      standbyPort = port;
    }
    Database replica =
        new Database(primary.name(), "127.0.0.1", standbyPort, server.user(), server.password());
    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(200))
        .ignoreExceptionsInstanceOf(SQLException.class) // not accepting connections yet
        .until(
            () -> {
              try (Connection c = replica.connect();
                  Statement st = c.createStatement();
                  java.sql.ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
                return rs.next() && rs.getBoolean(1);
              }
            });
    return replica;
  }

  /**
   * Restarts the local test cluster (fast shutdown): shared_buffers start empty, as after a reboot.
   */
  public static synchronized void restart() throws IOException {
    server();
    if (localDir == null) {
      throw new IllegalStateException(
          "restarting needs the local test cluster (not " + server.source() + ")");
    }
    localBin.pgCtl(
        localDir.resolve("data"),
        localDir.resolve("server.log"),
        LocalCluster.options(localBin, localDir, server.port()),
        "-m",
        "fast",
        "restart");
  }

  /** A port on loopback where nothing listens: a target that is down. */
  public static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static synchronized Server server() {
    if (server == null) {
      server = start();
      System.err.println(
          "TestPostgres: using " + server.source() + " on " + server.host() + ":" + server.port());
    }
    return server;
  }

  private static Server start() {
    String url = System.getenv("PGVECTOR_OPS_TEST_URL");
    if (url != null && !url.isBlank()) {
      return fromUrl(url);
    }
    if (dockerAvailable()) {
      return Containers.start();
    }
    return LocalCluster.start(binaries());
  }

  /** The binaries of the test line (PGVECTOR_OPS_TEST_SERVER), for clusters of a test's own. */
  public static PgBinaries binaries() {
    try {
      return PgBinaries.selected();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot find the test line's PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static Server fromUrl(String url) {
    var m =
        java.util.regex.Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/[^?]*(?:\\?(.*))?")
            .matcher(url);
    if (!m.matches()) {
      throw new IllegalStateException(
          "PGVECTOR_OPS_TEST_URL must look like jdbc:postgresql://host:port/db?user=..&password=..");
    }
    String user = "postgres";
    String password = null;
    for (String kv : m.group(3) == null ? new String[0] : m.group(3).split("&")) {
      String[] p = kv.split("=", 2);
      if (p[0].equals("user")) {
        user = p[1];
      } else if (p[0].equals("password")) {
        password = p[1];
      }
    }
    return new Server(
        m.group(1),
        m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)),
        user,
        password,
        "PGVECTOR_OPS_TEST_URL");
  }

  private static boolean dockerAvailable() {
    try {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }

  /** Testcontainers, kept in its own class so its classes load only when Docker exists. */
  static final class Containers {
    static Server start() {
      var image =
          org.testcontainers.utility.DockerImageName.parse("pgvector/pgvector:pg17")
              .asCompatibleSubstituteFor("postgres");
      var pg =
          new org.testcontainers.postgresql.PostgreSQLContainer(image)
              .withCommand(
                  "postgres",
                  "-c",
                  "fsync=off",
                  "-c",
                  "timezone=" + TIME_ZONE,
                  "-c",
                  "shared_preload_libraries=pg_stat_statements,pg_prewarm");
      pg.start();
      return new Server(
          pg.getHost(),
          pg.getMappedPort(5432),
          pg.getUsername(),
          pg.getPassword(),
          "Testcontainers");
    }
  }

  /**
   * initdb + pg_ctl from the newest /usr/lib/postgresql/N/bin, in a fresh directory under the
   * system temp folder (as root the cluster runs as postgres, which may not reach a checkout under
   * a private home directory). Removed when the JVM exits.
   */
  static final class LocalCluster {
    /** Primary and standby alike: a hot standby refuses to start with fewer max_connections. */
    static final String SERVER_OPTIONS =
        " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
            + " -c full_page_writes=off -c timezone="
            + TIME_ZONE
            + " -c max_connections=200 -c shared_buffers=128MB"
            + " -c shared_preload_libraries=pg_stat_statements,pg_prewarm"
            // PostgreSQL's own autoprewarm would restore the buffers after a restart: tests measure
            // our job
            + " -c pg_prewarm.autoprewarm=false";

    /** The server options of a cluster in {@code dir} on {@code port}. */
    static String options(PgBinaries bins, Path dir, int port) {
      return "-p " + port + " -k " + bins.path(dir) + SERVER_OPTIONS;
    }

    static Server start(PgBinaries bins) {
      try {
        Path dir = bins.newClusterDir("pgvector-ops-test-postgres-");
        Path data = dir.resolve("data");
        bins.initdb(data);
        int port = closedPort();
        bins.pgCtl(data, dir.resolve("server.log"), options(bins, dir, port), "start");
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        bins.run(true, "pg_ctl", "-D", bins.path(data), "-m", "immediate", "stop");
                        deleteTree(dir);
                      } catch (IOException e) {
                        // the JVM is exiting; a leftover folder in the temp directory is harmless
                      }
                    }));
        localBin = bins;
        localDir = dir;
        return new Server(
            "127.0.0.1", port, "postgres", null, "a cluster of " + bins.name() + " in " + data);
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot start a local PostgreSQL for tests: "
                + e.getMessage()
                + " (run bin/setup-postgres, or set PGVECTOR_OPS_TEST_URL)",
            e);
      }
    }

    static void deleteTree(Path dir) throws IOException {
      if (!Files.exists(dir)) {
        return;
      }
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
