package io.pgvectorops.bench;

import io.pgvectorops.testing.OwnCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The daemon's memory at 1, 20 and 200 targets, with the JVM settings it had before jvm.options and
 * with the shipped ones, side by side in one run. Each daemon runs every shipped job on every
 * target every 2 minutes (hashed seconds) for MINUTES minutes (default 4), then: RSS and threads
 * (/proc), heap committed and used and metaspace (jstat), the live heap (after a full collection),
 * API latency (200 GETs of /api/targets and /api/status) and the jobs' mean and p95 run time in the
 * window. Targets are databases of one cluster of the benchmark's own, copies of the demo's sample
 * data. Exits 1 if a figure is missing. Usage: bench/footprint [sizes, default 1,20,200] [minutes]
 * [--jvm="options to try as well", with MALLOC_ARENA_MAX=2]...
 */
public final class FootprintBench {
  private record Row(
      String settings,
      int targets,
      double rssMb,
      int threads,
      double heapCommittedMb,
      double heapUsedMb,
      double liveHeapMb,
      double metaspaceMb,
      double cpuSeconds,
      long runs,
      double runMeanMs,
      double runP95Ms,
      double apiP50Ms,
      double apiP95Ms) {}

  public static void main(String[] args) throws Exception {
    List<JvmSettings> settings =
        new ArrayList<>(List.of(JvmSettings.before(), JvmSettings.shipped()));
    List<String> positional = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("--jvm=")) {
        settings.add(
            new JvmSettings(
                "try-" + (settings.size() - 1),
                List.of(a.substring(6).strip().split("\\s+")),
                java.util.Map.of("MALLOC_ARENA_MAX", "2")));
      } else {
        positional.add(a);
      }
    }
    int[] sizes =
        Arrays.stream((positional.size() > 0 ? positional.get(0) : "1,20,200").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    double minutes = positional.size() > 1 ? Double.parseDouble(positional.get(1)) : 4;
    int most = Arrays.stream(sizes).max().orElseThrow();
    List<Row> rows = new ArrayList<>();
    // 200 targets, each pool idle for targets[].idleTimeout before it closes: more sessions than
    // the shared test cluster's 200
    try (OwnCluster cluster = OwnCluster.start();
        Fleet fleet = start(cluster, most)) {
      fleet.schedule("H H/2 * * * ?");
      for (int n : sizes) {
        for (JvmSettings jvm : settings) {
          rows.add(measure(fleet, n, jvm, minutes));
          System.err.println("measured " + rows.get(rows.size() - 1));
        }
      }
    }
    System.out.printf(
        "daemon footprint, every shipped job on every target every 2 minutes, %.0f minutes each;"
            + " %s%n",
        minutes, "JVM " + System.getProperty("java.version"));
    System.out.printf(
        "%-8s %7s %7s %7s %9s %9s %9s %9s %7s %6s %8s %8s %8s %8s%n",
        "settings",
        "targets",
        "RSS MB",
        "threads",
        "heap com",
        "heap used",
        "live heap",
        "metaspace",
        "CPU s",
        "runs",
        "run mean",
        "run p95",
        "API p50",
        "API p95");
    System.out.printf(
        "%-8s %7s %7s %7s %9s %9s %9s %9s %7s %6s %8s %8s %8s %8s%n",
        "", "", "", "", "MB", "MB", "MB", "MB", "", "", "ms", "ms", "ms", "ms");
    for (Row r : rows) {
      System.out.printf(
          "%-8s %7d %7.0f %7d %9.0f %9.0f %9.0f %9.0f %7.1f %6d %8.0f %8.0f %8.2f %8.2f%n",
          r.settings,
          r.targets,
          r.rssMb,
          r.threads,
          r.heapCommittedMb,
          r.heapUsedMb,
          r.liveHeapMb,
          r.metaspaceMb,
          r.cpuSeconds,
          r.runs,
          r.runMeanMs,
          r.runP95Ms,
          r.apiP50Ms,
          r.apiP95Ms);
    }
    for (JvmSettings jvm : settings) {
      System.out.printf(
          "%-8s %s %s%n", jvm.name(), String.join(" ", jvm.options()), jvm.environment());
    }
    Missing missing = new Missing();
    for (Row r : rows) {
      String which = r.settings + " at " + r.targets + " targets: ";
      missing
          .unless(r.rssMb > 0, which + "RSS")
          .unless(r.runs > 0, which + "runs")
          .unless(r.apiP95Ms > 0, which + "API latency");
    }
    missing.exit();
  }

  private static Fleet start(OwnCluster cluster, int targets) throws Exception {
    cluster.restartWith("-c max_connections=" + (2 * targets + 100));
    return new Fleet("footprint", targets, cluster::newDatabase);
  }

  private static Row measure(Fleet fleet, int n, JvmSettings jvm, double minutes) throws Exception {
    String schema = "footprint_" + jvm.name() + "_" + n;
    String file = schema + ".yml";
    int port = Fleet.freePort();
    fleet.writeConfig(file, port, n, schema);
    Instant from = Instant.now();
    Process daemon = Fleet.startDaemon(fleet.dir, file, port, jvm);
    try {
      Thread.sleep((long) (minutes * 60_000));
      long pid = daemon.pid();
      double cpu = Fleet.cpuSeconds(pid);
      Map<String, String> status = Fleet.procStatus(pid);
      double rss = Fleet.kb(status.get("VmRSS")) / 1024.0;
      int threads = Integer.parseInt(status.get("Threads"));
      Map<String, Double> gc = Fleet.jstat(pid);
      double committed = gc.get("S0C") + gc.get("S1C") + gc.get("EC") + gc.get("OC");
      double used = Fleet.heapUsedKb(gc);
      double[] api = api(port);
      Instant to = Instant.now();
      double live = Fleet.liveHeapKb(pid);
      double[] runs = runs(fleet, schema, from, to);
      return new Row(
          jvm.name(),
          n,
          rss,
          threads,
          committed / 1024,
          used / 1024,
          live / 1024,
          gc.get("MU") / 1024,
          cpu,
          (long) runs[0],
          runs[1],
          runs[2],
          api[0],
          api[1]);
    } finally {
      daemon.destroy();
      daemon.waitFor();
    }
  }

  /** p50 and p95 in ms of 200 GETs (alternately /api/targets and /api/status) after 40 warm-ups. */
  private static double[] api(int port) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    double[] ms = new double[200];
    for (int i = -40; i < ms.length; i++) {
      String path = i % 2 == 0 ? "/api/targets" : "/api/status";
      long t = System.nanoTime();
      var r =
          client.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + port + path))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + r.statusCode());
      }
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
    }
    Arrays.sort(ms);
    return new double[] {ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.95) - 1]};
  }

  /** Runs that ended in the window: how many, mean and p95 of their run time in ms. */
  private static double[] runs(Fleet fleet, String schema, Instant from, Instant to)
      throws Exception {
    try (Connection c = fleet.state.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), avg(ms), percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) FROM"
                    + " (SELECT extract(epoch FROM ended_at - started_at) * 1000 AS ms FROM "
                    + schema
                    + ".job_run WHERE ended_at BETWEEN '"
                    + from
                    + "' AND '"
                    + to
                    + "') r")) {
      rs.next();
      return new double[] {rs.getLong(1), rs.getDouble(2), rs.getDouble(3)};
    }
  }
}
