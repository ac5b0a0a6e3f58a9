package io.pgvectorops.bench;

import io.pgvectorops.testing.OwnCluster;
import io.pgvectorops.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A fleet on one machine: TARGETS (default 200) tenant databases spread over 2 PostgreSQL clusters,
 * found by two {@code databases: all} entries, watched by 2 daemon instances clustered on a state
 * database on a third server, with the shipped jobs (but the sandbox's tiering) on {@code H H/2 * *
 * * ?}: every job-target pair once every 2 minutes at its own second. After one warm-up cycle,
 * CYCLES (default 3) cycles are measured: runs and how late they started, cycle time, daemon CPU
 * per run by kind (the runs' own thread CPU, pgvector_ops_job_run_cpu_seconds_total),
 * state-database statements and rows per run (pg_stat_statements), table growth, misfires, and our
 * connections per server sampled every second. Usage: bench/fleet [targets] [cycles] [idleTimeout]
 */
public final class FleetBench {
  private static final int CYCLE_SECONDS = 120;
  private static final String SCHEDULE = "H H/2 * * * ?";
  private static final Missing MISSING = new Missing();
  private static final List<String> SKIPPED_JOBS = List.of("tiering.yml", "search-recall.yml");

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String idle = args.length > 2 ? args[2] : null;
    Path dir = Files.createTempDirectory("bench-fleet");
    List<OwnCluster> clusters = List.of(OwnCluster.start(), OwnCluster.start());
    try {
      long t = System.nanoTime();
      for (int c = 0; c < clusters.size(); c++) {
        clusters.get(c).restartWith("-c max_connections=800");
        tenants(clusters.get(c), n / clusters.size() + (c < n % clusters.size() ? 1 : 0));
      }
      System.err.printf("%d tenant databases made in %.0f s%n", n, (System.nanoTime() - t) / 1e9);
      TestPostgres.Database state = TestPostgres.newDatabase("fleet_bench_state");
      int[] ports = {Fleet.freePort(), Fleet.freePort()};
      int[] admin = {Fleet.freePort(), Fleet.freePort()};
      writeJobs(dir);
      for (int i = 0; i < 2; i++) {
        Files.writeString(
            dir.resolve("config-" + i + ".yml"),
            config(clusters, state, ports[i], admin[i], dir, idle));
      }
      List<Process> daemons = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          daemons.add(Fleet.startDaemon(dir, "config-" + i + ".yml", ports[i]));
        }
        measure(n, cycles, clusters, state, daemons, admin, idle);
      } finally {
        for (Process p : daemons) {
          p.destroy();
          p.waitFor();
        }
      }
    } finally {
      for (OwnCluster c : clusters) {
        c.close();
      }
    }
    MISSING.exit();
  }

  /** Tenant databases cloned from one with a small HNSW-indexed table (2,000 × 64). */
  private static void tenants(OwnCluster cluster, int count) throws Exception {
    TestPostgres.Database template = cluster.newDatabase("tenant_template");
    template.execute(
        "SELECT setseed(0.42)",
        "CREATE TABLE documents (id bigserial PRIMARY KEY, body text, embedding vector(64))",
        "INSERT INTO documents (body, embedding) SELECT 'doc ' || g, rv(64) FROM generate_series(1, 2000) g",
        "CREATE INDEX documents_embedding_hnsw ON documents USING hnsw (embedding vector_cosine_ops)",
        "ANALYZE documents");
    try (Connection c =
            java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + cluster.port() + "/postgres", "postgres", null);
        Statement s = c.createStatement()) {
      for (int i = 1; i <= count; i++) {
        s.execute(String.format("CREATE DATABASE tenant_%03d TEMPLATE tenant_template", i));
      }
    }
  }

  private static void writeJobs(Path dir) throws Exception {
    Path jobs = Files.createDirectories(dir.resolve("jobs"));
    try (Stream<Path> files = Files.list(Path.of("jobs"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        if (SKIPPED_JOBS.contains(f.getFileName().toString())) {
          continue;
        }
        Files.writeString(
            jobs.resolve(f.getFileName()),
            Files.readString(f)
                .replaceFirst("(?m)^schedule: .*$", "schedule: \"" + SCHEDULE + "\"")
                .replaceFirst("(?m)^window:.*$", ""));
      }
    }
  }

  private static String config(
      List<OwnCluster> clusters,
      TestPostgres.Database state,
      int port,
      int adminPort,
      Path dir,
      String idle) {
    StringBuilder y = new StringBuilder("targets:\n");
    for (int c = 0; c < clusters.size(); c++) {
      y.append(
          String.format(
              "  - name: srv%d%n    url: jdbc:postgresql://127.0.0.1:%d/postgres%n    user: postgres%n"
                  + "    databases: all%n    include: 'tenant_\\d+'%n    maxConnections: 2%n"
                  + "    labels: {cluster: c%d}%n%s",
              c + 1,
              clusters.get(c).port(),
              c + 1,
              idle == null ? "" : "    idleTimeout: " + idle + "\n"));
    }
    y.append("state:\n  url: ").append(state.url()).append("\n  user: ").append(state.user());
    y.append('\n');
    if (state.password() != null) {
      y.append("  password: ").append(state.password()).append('\n');
    }
    y.append("  schema: fleet_state\n");
    y.append("scheduler:\n  name: fleet\n  threads: 8\n  maxConcurrentRunsPerServer: 2\n");
    y.append("api:\n  token: ").append(Fleet.TOKEN).append('\n');
    y.append("jobsDirectory: ").append(dir.resolve("jobs")).append('\n');
    y.append("server:\n  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: ")
        .append(port)
        .append("}]\n  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: ")
        .append(adminPort)
        .append("}]\n  requestLog: {appenders: []}\n");
    y.append(
            "logging:\n  level: INFO\n  loggers: {org.quartz: WARN, org.flywaydb: WARN, com.zaxxer.hikari: WARN}\n"
                + "  appenders: [{type: file, currentLogFilename: ")
        .append(dir.resolve("daemon-" + port + ".log"))
        .append(", archive: false}]\n");
    return y.toString();
  }

  /** Our sessions on one server: the most and the mean seen, all states and active only. */
  private static final class ConnectionSampler implements AutoCloseable {
    final long[] most = new long[2];
    final long[] total = new long[2];
    long samples;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    ConnectionSampler(TestPostgres.Database db) {
      thread =
          new Thread(
              () -> {
                try (Connection c = db.connect();
                    Statement s = c.createStatement()) {
                  while (running.get()) {
                    try (ResultSet rs =
                        s.executeQuery(
                            "SELECT count(*), count(*) FILTER (WHERE state <> 'idle') FROM"
                                + " pg_stat_activity WHERE application_name = 'pgvector-ops'")) {
                      rs.next();
                      synchronized (this) {
                        for (int i = 0; i < 2; i++) {
                          most[i] = Math.max(most[i], rs.getLong(i + 1));
                          total[i] += rs.getLong(i + 1);
                        }
                        samples++;
                      }
                    }
                    Thread.sleep(1000);
                  }
                } catch (Exception e) {
                  System.err.println("sampler: " + e);
                }
              });
      thread.start();
    }

    synchronized String describe() {
      return String.format(
          "most %d (active %d), mean %.1f (active %.1f)",
          most[0], most[1], (double) total[0] / samples, (double) total[1] / samples);
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join();
    }
  }

  private static void measure(
      int n,
      int cycles,
      List<OwnCluster> clusters,
      TestPostgres.Database state,
      List<Process> daemons,
      int[] admin,
      String idle)
      throws Exception {
    long now = System.currentTimeMillis();
    long cycleMs = CYCLE_SECONDS * 1000L;
    // one full cycle of warm-up (first regression runs pick probes and compute ground truth)
    Instant from = Instant.ofEpochMilli(now - now % cycleMs + 2 * cycleMs);
    Instant to = from.plusSeconds((long) CYCLE_SECONDS * cycles);
    int jobs =
        (int) Files.list(Path.of("jobs")).filter(p -> p.toString().endsWith(".yml")).count()
            - SKIPPED_JOBS.size();
    System.out.printf(
        "%d targets on 2 clusters, %d jobs each on '%s', 2 instances, 8 threads each,"
            + " maxConcurrentRunsPerServer 2, idleTimeout %s; measured %s to %s%n",
        n, jobs, SCHEDULE, idle == null ? "default" : idle, from, to);
    Thread.sleep(Math.max(0, from.toEpochMilli() - System.currentTimeMillis()));
    Map<String, Double> cpu0 = cpuByKind(admin);
    double proc0 = procCpu(daemons);
    try (Connection c = state.connect();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_statements_reset()");
    }
    Map<String, Long> size0 = stateSizes(state);
    List<ConnectionSampler> samplers = new ArrayList<>();
    for (OwnCluster cl : clusters) {
      samplers.add(
          new ConnectionSampler(
              new TestPostgres.Database("postgres", "127.0.0.1", cl.port(), "postgres", null)));
    }
    Thread.sleep(Math.max(0, to.toEpochMilli() - System.currentTimeMillis()));
    for (ConnectionSampler sampler : samplers) {
      sampler.close();
    }
    Map<String, Double> cpu1 = cpuByKind(admin);
    double proc1 = procCpu(daemons);
    String statements = statementFigures(state);
    Map<String, Long> size1 = stateSizes(state);
    // runs of the window's fires end up to a minute later
    Thread.sleep(60_000);
    report(
        n,
        jobs,
        cycles,
        state,
        from,
        to,
        cpu0,
        cpu1,
        proc1 - proc0,
        samplers,
        statements,
        size0,
        size1,
        admin);
  }

  private static double procCpu(List<Process> daemons) throws Exception {
    double sum = 0;
    for (Process p : daemons) {
      sum += Fleet.cpuSeconds(p.pid());
    }
    return sum;
  }

  private static final Pattern CPU_LINE =
      Pattern.compile("pgvector_ops_job_run_cpu_seconds_total\\{kind=\"([^\"]+)\"} ([0-9.eE+-]+)");
  private static final Pattern MISFIRE_LINE =
      Pattern.compile("pgvector_ops_schedule_misfires_total\\{[^}]*} ([0-9.eE+-]+)");
  private static final Pattern WAIT_LINE =
      Pattern.compile("pgvector_ops_server_slot_wait_seconds_total\\{[^}]*} ([0-9.eE+-]+)");

  /** Sums over both instances of the runs' CPU by kind, and misfires and slot waits as keys. */
  private static Map<String, Double> cpuByKind(int[] admin) throws Exception {
    Map<String, Double> out = new TreeMap<>();
    HttpClient http = HttpClient.newHttpClient();
    for (int port : admin) {
      String text =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/metrics/prometheus"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = CPU_LINE.matcher(text);
      while (m.find()) {
        out.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
      }
      for (var e : Map.of(" misfires", MISFIRE_LINE, " slot wait s", WAIT_LINE).entrySet()) {
        Matcher x = e.getValue().matcher(text);
        while (x.find()) {
          out.merge(e.getKey(), Double.parseDouble(x.group(1)), Double::sum);
        }
      }
    }
    return out;
  }

  private static Map<String, Long> stateSizes(TestPostgres.Database state) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    try (Connection c = state.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = 'fleet_state' AND c.relkind = 'r'")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  /** Totals and the statements called most, on the state database since the reset. */
  private static String statementFigures(TestPostgres.Database state) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection c = state.connect();
        Statement s = c.createStatement()) {
      String ours =
          " FROM pg_stat_statements p WHERE p.dbid = (SELECT oid FROM pg_database WHERE datname ="
              + " current_database()) AND p.query NOT LIKE '%pg_stat_statements%'";
      try (ResultSet rs =
          s.executeQuery(
              "SELECT sum(calls), sum(rows), round(sum(total_exec_time)::numeric / 1000, 1)"
                  + ours)) {
        rs.next();
        out.append(rs.getLong(1))
            .append(' ')
            .append(rs.getLong(2))
            .append(' ')
            .append(rs.getString(3))
            .append('\n');
      }
      for (String part : List.of("Quartz's", "ours")) {
        String which =
            part.equals("ours") ? " AND p.query NOT ILIKE '%qrtz%'" : " AND p.query ILIKE '%qrtz%'";
        try (ResultSet rs =
            s.executeQuery(
                "SELECT sum(calls), sum(rows), round(sum(total_exec_time)::numeric / 1000, 1)"
                    + ours
                    + which)) {
          rs.next();
          out.append(
              String.format(
                  "%s: %d statements, %d rows, %s s%n",
                  part, rs.getLong(1), rs.getLong(2), rs.getString(3)));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT calls, rows, round(total_exec_time::numeric, 0), regexp_replace(left(query, 110), '\\s+', ' ', 'g')"
                    + ours
                    + which
                    + " ORDER BY calls DESC LIMIT 10")) {
          while (rs.next()) {
            out.append(
                String.format(
                    "  %8d calls %8d rows %7s ms  %s%n",
                    rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
          }
        }
      }
    }
    return out.toString();
  }

  private static void report(
      int n,
      int jobs,
      int cycles,
      TestPostgres.Database state,
      Instant from,
      Instant to,
      Map<String, Double> cpu0,
      Map<String, Double> cpu1,
      double procCpu,
      List<ConnectionSampler> samplers,
      String statements,
      Map<String, Long> size0,
      Map<String, Long> size1,
      int[] admin)
      throws Exception {
    try (Connection c = state.connect();
        Statement s = c.createStatement()) {
      s.execute("SET search_path = fleet_state");
      String window =
          " FROM job_run WHERE scheduled_for >= '" + from + "' AND scheduled_for < '" + to + "'";
      long expected = (long) n * jobs * cycles;
      long runs = ClusterSoakBench.one(s, "SELECT count(*)" + window);
      System.out.printf("%n## Runs%nfires expected %d, runs recorded %d%n", expected, runs);
      MISSING.unless(runs == expected, "runs: " + runs + " of " + expected + " fires recorded");
      try (ResultSet rs =
          s.executeQuery("SELECT status, count(*)" + window + " GROUP BY 1 ORDER BY 1")) {
        while (rs.next()) {
          System.out.printf("  %-11s %6d%n", rs.getString(1), rs.getLong(2));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d), percentile_cont(0.95) WITHIN GROUP"
                  + " (ORDER BY d), max(d) FROM (SELECT extract(epoch FROM started_at - scheduled_for) d"
                  + window
                  + ") x")) {
        rs.next();
        System.out.printf(
            "start delay after the fire (trigger acquisition, a free thread, the server's slot):"
                + " p50 %.2f s, p95 %.2f s, max %.2f s%n",
            rs.getDouble(1), rs.getDouble(2), rs.getDouble(3));
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT extract(epoch FROM max(ended_at) - min(scheduled_for)) FROM job_run WHERE"
                  + " scheduled_for >= '"
                  + from
                  + "' AND scheduled_for < '"
                  + from.plusSeconds(CYCLE_SECONDS)
                  + "'")) {
        rs.next();
        System.out.printf(
            "cycle time (first fire to last run's end, one %d-s cycle): %.1f s%n",
            CYCLE_SECONDS, rs.getDouble(1));
      }
      System.out.printf("%n## Daemon CPU (2 instances)%n");
      double runCpu = 0;
      Map<String, Long> byKind = new TreeMap<>();
      try (ResultSet rs = s.executeQuery("SELECT kind, count(*)" + window + " GROUP BY 1")) {
        while (rs.next()) {
          byKind.put(rs.getString(1), rs.getLong(2));
        }
      }
      System.out.printf(
          "| kind | runs | CPU per run (run's thread) | mean run time |%n|---|---|---|---|%n");
      for (var e : byKind.entrySet()) {
        double cpu = cpu1.getOrDefault(e.getKey(), 0.0) - cpu0.getOrDefault(e.getKey(), 0.0);
        runCpu += cpu;
        double mean =
            ClusterSoakBench.one(
                s,
                "SELECT round(avg(extract(epoch FROM ended_at - started_at)) * 1000)"
                    + window
                    + " AND kind = '"
                    + e.getKey()
                    + "'");
        System.out.printf(
            "| %s | %d | %.1f ms | %.0f ms |%n",
            e.getKey(), e.getValue(), 1000 * cpu / e.getValue(), mean);
      }
      System.out.printf(
          "process CPU %.1f s over %d s (%.0f%% of one core), %.1f ms per run; in runs' threads %.1f s%n",
          procCpu,
          CYCLE_SECONDS * cycles,
          100 * procCpu / (CYCLE_SECONDS * cycles),
          1000 * procCpu / runs,
          runCpu);
      System.out.printf(
          "misfires %.0f, time waited for a server's slot %.0f s%n",
          cpu1.getOrDefault(" misfires", 0.0) - cpu0.getOrDefault(" misfires", 0.0),
          cpu1.getOrDefault(" slot wait s", 0.0) - cpu0.getOrDefault(" slot wait s", 0.0));
      String[] totals = statements.substring(0, statements.indexOf('\n')).split(" ");
      System.out.printf(
          "%n## State database%nstatements %s (%.1f per run), rows %s (%.1f per run), execution %s s%n",
          totals[0],
          Double.parseDouble(totals[0]) / runs,
          totals[1],
          Double.parseDouble(totals[1]) / runs,
          totals[2]);
      System.out.print(statements.substring(statements.indexOf('\n') + 1));
      System.out.printf("table growth over the window (bytes, total relation size):%n");
      for (var e : size1.entrySet()) {
        long d = e.getValue() - size0.getOrDefault(e.getKey(), 0L);
        if (d != 0) {
          System.out.printf("  %-28s %+10d (%.0f per run)%n", e.getKey(), d, (double) d / runs);
        }
      }
      System.out.printf("%n## Our connections per server (sampled every second)%n");
      for (int i = 0; i < samplers.size(); i++) {
        System.out.printf("  cluster %d: %s%n", i + 1, samplers.get(i).describe());
      }
    }
  }
}
