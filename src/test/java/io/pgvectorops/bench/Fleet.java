package io.pgvectorops.bench;

import io.pgvectorops.testing.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the service benchmarks share: target databases cloned from one copy of the demo's sample
 * data (so every shipped job file has its tables), the shipped job files made to fire every minute,
 * and the daemon started from the built jar exactly as bin/pgvector-ops starts it.
 */
final class Fleet implements AutoCloseable {
  static final String TOKEN = "bench-token-0123456789abcdef";

  final List<TestPostgres.Database> targets = new ArrayList<>();
  final TestPostgres.Database state;
  final Path dir;
  final int port;

  /** Instances started, in order: instance 0 answers on {@link #port}. */
  private final List<Process> daemons = new ArrayList<>();

  private Process daemon;

  /** Makes a new database with the extensions the jobs use. */
  interface Databases {
    TestPostgres.Database create(String name) throws java.sql.SQLException;
  }

  /** n targets with the demo's sample data (loaded once, then cloned as a template). */
  Fleet(String name, int n) throws Exception {
    this(name, n, TestPostgres::newDatabase);
  }

  /** The same on a cluster of one's own (e.g. one that allows more connections). */
  Fleet(String name, int n, Databases databases) throws Exception {
    dir = Files.createTempDirectory("bench-" + name);
    TestPostgres.Database template = databases.create(name + "_template");
    long t = System.nanoTime();
    Process psql =
        new ProcessBuilder(
                List.of(
                    Path.of(binDir(), "psql").toString(),
                    "-q",
                    "-X",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-h",
                    template.host(),
                    "-p",
                    String.valueOf(template.port()),
                    "-U",
                    template.user(),
                    "-d",
                    template.name(),
                    "-f",
                    Path.of("sql/sandbox/random_data.sql").toAbsolutePath().toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("random_data.log").toFile())
            .start();
    if (psql.waitFor() != 0) {
      throw new IllegalStateException(
          "loading sample data failed: " + Files.readString(dir.resolve("random_data.log")));
    }
    System.err.printf("sample data loaded in %.0f s%n", (System.nanoTime() - t) / 1e9);
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + template.host() + ":" + template.port() + "/postgres",
                template.user(),
                template.password());
        Statement s = c.createStatement()) {
      for (int i = 1; i <= n; i++) {
        String db = String.format("%s_t%02d", name, i);
        s.execute("DROP DATABASE IF EXISTS " + db);
        s.execute("CREATE DATABASE " + db + " TEMPLATE " + template.name());
        targets.add(
            new TestPostgres.Database(
                db, template.host(), template.port(), template.user(), template.password()));
      }
    }
    state = databases.create(name + "_state");
    port = freePort();
    writeConfig("config.yml", port);
    writeJobsEveryMinute();
  }

  private static String binDir() throws IOException {
    try (Stream<Path> dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
      return dirs.map(d -> d.resolve("bin"))
          .filter(Files::isDirectory)
          .map(Path::toString)
          .sorted()
          .reduce((a, b) -> b)
          .orElseThrow();
    }
  }

  private void writeConfig(String file, int appPort) throws IOException {
    writeConfig(file, appPort, targets.size(), "bench_state");
  }

  /** A configuration with the first {@code count} targets, its state in {@code schema}. */
  void writeConfig(String file, int appPort, int count, String schema) throws IOException {
    StringBuilder y = new StringBuilder("targets:\n");
    for (int i = 0; i < count; i++) {
      TestPostgres.Database d = targets.get(i);
      y.append(
          String.format("  - name: t%02d%n    url: %s%n    user: %s%n", i + 1, d.url(), d.user()));
      if (d.password() != null) {
        y.append("    password: ").append(d.password()).append('\n');
      }
    }
    y.append("state:\n  url: ")
        .append(state.url())
        .append("\n  user: ")
        .append(state.user())
        .append('\n');
    if (state.password() != null) {
      y.append("  password: ").append(state.password()).append('\n');
    }
    y.append("  schema: ").append(schema).append('\n');
    y.append("api:\n  token: ").append(TOKEN).append('\n');
    y.append("jobsDirectory: ").append(dir.resolve("jobs")).append('\n');
    y.append("server:\n  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: ")
        .append(appPort)
        .append("}]\n  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: ")
        .append(freePort())
        .append("}]\n  requestLog: {appenders: []}\n");
    y.append(
            "logging:\n  level: INFO\n  loggers: {org.quartz: WARN, org.flywaydb: WARN, com.zaxxer.hikari: WARN}\n"
                + "  appenders: [{type: file, currentLogFilename: ")
        .append(dir.resolve(file.replace(".yml", ".log")))
        .append(", archive: false}]\n");
    Files.writeString(dir.resolve(file), y);
  }

  /** The shipped job files, every one firing at second 0 of every minute on every target. */
  private void writeJobsEveryMinute() throws IOException {
    Path jobs = Files.createDirectories(dir.resolve("jobs"));
    try (Stream<Path> files = Files.list(Path.of("jobs"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        String text =
            Files.readString(f).replaceFirst("(?m)^schedule: .*$", "schedule: \"0 * * * * ?\"");
        Files.writeString(jobs.resolve(f.getFileName()), text);
      }
    }
  }

  List<String> jobNames() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("jobs"))) {
      List<String> names = new ArrayList<>();
      for (Path f : files.sorted().toList()) {
        names.add(
            Files.readAllLines(f).stream()
                .filter(l -> l.startsWith("name: "))
                .findFirst()
                .orElseThrow()
                .substring(6)
                .strip());
      }
      return names;
    }
  }

  /**
   * The daemon from target/pgvector-ops.jar with the JVM settings bin/pgvector-ops uses
   * (jvm.options).
   */
  long start() throws Exception {
    daemon = launch("config.yml", port);
    return daemon.pid();
  }

  /** Another instance on the same state schema (a cluster), on ports of its own. */
  Process startAnother() throws Exception {
    int other = freePort();
    String file = "config-" + (daemons.size() + 1) + ".yml";
    writeConfig(file, other);
    return launch(file, other);
  }

  /** kill -9 of one instance: no shutdown hook, its sessions dropped by the kernel. */
  void kill9(Process p) throws InterruptedException {
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  private Process launch(String file, int appPort) throws Exception {
    Process p = startDaemon(dir, file, appPort);
    daemons.add(p);
    return p;
  }

  /**
   * The daemon from target/pgvector-ops.jar with the JVM settings bin/pgvector-ops uses
   * (jvm.options), once its API answers.
   */
  static Process startDaemon(Path dir, String file, int appPort) throws Exception {
    return startDaemon(dir, file, appPort, JvmSettings.shipped());
  }

  /** The daemon from target/pgvector-ops.jar with these JVM settings, once its API answers. */
  static Process startDaemon(Path dir, String file, int appPort, JvmSettings jvm) throws Exception {
    Path jar = Path.of("target/pgvector-ops.jar").toAbsolutePath();
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvm.options());
    command.addAll(List.of("-jar", jar.toString(), "server", dir.resolve(file).toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(file.replace(".yml", ".stdout")).toFile());
    builder.environment().putAll(jvm.environment());
    Process p = builder.start();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Instant deadline = Instant.now().plusSeconds(120);
    while (true) {
      try {
        if (client
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + appPort + "/api/status"))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return p;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "daemon did not start: "
                + Files.readString(dir.resolve(file.replace(".yml", ".stdout"))));
      }
      Thread.sleep(250);
    }
  }

  /** CPU seconds a process used so far (user + system), from /proc (clock ticks of 1/100 s). */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Resident set size of the daemon, from /proc. */
  long rssKb() throws IOException {
    return kb(procStatus(daemon.pid()).get("VmRSS"));
  }

  /** The fields of /proc/PID/status by name, e.g. VmRSS ("123456 kB") and Threads. */
  static Map<String, String> procStatus(long pid) throws IOException {
    Map<String, String> out = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        out.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return out;
  }

  static long kb(String value) {
    return Long.parseLong(value.replaceAll("[^0-9]", ""));
  }

  /**
   * The daemon's live heap: a full collection (jcmd GC.run), then the heap in use (jstat). RSS
   * alone cannot tell a leak from a heap still growing to its working size; this can.
   */
  double liveHeapKb() throws IOException, InterruptedException {
    return liveHeapKb(daemon.pid());
  }

  /** A process's heap in use after a full collection, in KB. */
  static double liveHeapKb(long pid) throws IOException, InterruptedException {
    tool("jcmd", String.valueOf(pid), "GC.run");
    return heapUsedKb(jstat(pid));
  }

  /**
   * Every space's use summed: GC.heap_info's first "used" is the young generation alone under the
   * Serial collector jvm.options chooses, so it is not read.
   */
  static double heapUsedKb(Map<String, Double> jstat) {
    return jstat.get("S0U") + jstat.get("S1U") + jstat.get("EU") + jstat.get("OU");
  }

  /** jstat -gc: capacities and use of each space in KB, whatever the collector. */
  static Map<String, Double> jstat(long pid) throws IOException, InterruptedException {
    String[] lines = tool("jstat", "-gc", String.valueOf(pid)).strip().split("\n");
    String[] names = lines[0].strip().split("\\s+");
    String[] values = lines[1].strip().split("\\s+");
    Map<String, Double> m = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], values[i].equals("-") ? 0 : Double.parseDouble(values[i]));
    }
    return m;
  }

  /** A tool of the running JDK (jcmd, jstat), its output; it failing is an error. */
  private static String tool(String name, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", name).toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(name + " " + String.join(" ", args) + ": " + out);
    }
    return out;
  }

  /** CPU seconds the daemon used so far (user + system). */
  double cpuSeconds() throws IOException {
    return cpuSeconds(daemon.pid());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Rewrites every job file's schedule. */
  void schedule(String cron) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("jobs"))) {
      for (Path f : files.toList()) {
        Files.writeString(
            f,
            Files.readString(f).replaceFirst("(?m)^schedule: .*$", "schedule: \"" + cron + "\""));
      }
    }
  }

  @Override
  public void close() throws Exception {
    for (Process p : daemons) {
      if (p.isAlive()) {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }
}
