package io.pgvectorops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resident memory of the daemon over a long run of every shipped job, on every target, every
 * minute: sampled from /proc every 30 s; the trend is the least-squares slope of the second half
 * (the first half includes class loading and JIT warm-up), and of the live heap after a forced full
 * GC every 5 minutes (jcmd), which tells a leak from a heap growing to its working size. Also
 * counts the runs by outcome. Usage: bench/soak [minutes, default 60] [targets, default 3]
 */
public final class SoakBench {
  /** Range and least-squares slope of a series of (minute, MB). */
  static void report(String what, List<double[]> half) {
    double mx = half.stream().mapToDouble(s -> s[0]).average().orElseThrow();
    double my = half.stream().mapToDouble(s -> s[1]).average().orElseThrow();
    double sxy = half.stream().mapToDouble(s -> (s[0] - mx) * (s[1] - my)).sum();
    double sxx = half.stream().mapToDouble(s -> (s[0] - mx) * (s[0] - mx)).sum();
    System.out.printf(
        "second half, %s: %.1f–%.1f MB, trend %+.1f MB/hour%n",
        what,
        half.stream().mapToDouble(s -> s[1]).min().orElseThrow(),
        half.stream().mapToDouble(s -> s[1]).max().orElseThrow(),
        sxx == 0 ? 0 : sxy / sxx * 60);
  }

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (Fleet fleet = new Fleet("soak", n)) {
      long pid = fleet.start();
      List<String> jobs = fleet.jobNames();
      System.out.printf(
          "daemon pid %d, %d targets, %d jobs each every minute (%s), %d minutes%n",
          pid, n, jobs.size(), String.join(", ", jobs), minutes);
      System.out.printf("%8s %10s %14s %10s%n", "minute", "RSS MB", "live heap MB", "CPU s");
      List<double[]> samples = new ArrayList<>();
      List<double[]> heap = new ArrayList<>();
      long start = System.nanoTime();
      long end = start + minutes * 60_000_000_000L;
      int printed = -1;
      while (System.nanoTime() < end) {
        double min = (System.nanoTime() - start) / 60e9;
        double rss = fleet.rssKb() / 1024.0;
        samples.add(new double[] {min, rss});
        if ((int) min / 5 != printed) {
          printed = (int) min / 5;
          double live = fleet.liveHeapKb() / 1024.0;
          heap.add(new double[] {min, live});
          System.out.printf("%8.1f %10.1f %14.1f %10.1f%n", min, rss, live, fleet.cpuSeconds());
        }
        Thread.sleep(30_000);
      }
      double[] last = samples.get(samples.size() - 1);
      double live = fleet.liveHeapKb() / 1024.0;
      heap.add(new double[] {last[0], live});
      System.out.printf("%8.1f %10.1f %14.1f %10.1f%n", last[0], last[1], live, fleet.cpuSeconds());
      report("RSS", samples.subList(samples.size() / 2, samples.size()));
      report("live heap after a full GC", heap.subList(heap.size() / 2, heap.size()));
      ObjectMapper json = new ObjectMapper();
      Map<String, Integer> outcomes = new TreeMap<>();
      for (String job : jobs) {
        JsonNode runs = json.readTree(fleet.get("/api/jobs/" + job + "/runs?limit=1000").body());
        runs.forEach(r -> outcomes.merge(job + " " + r.get("status").asText(), 1, Integer::sum));
      }
      System.out.println("runs by job and outcome: " + outcomes);
      int status = fleet.get("/api/status").statusCode();
      System.out.println("status API: " + status);
      new Missing()
          .unless(samples.size() >= 2, "RSS samples")
          .unless(!outcomes.isEmpty(), "runs by outcome")
          .unless(status == 200, "status API")
          .exit();
    }
  }
}
