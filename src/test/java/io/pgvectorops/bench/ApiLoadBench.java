package io.pgvectorops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read API under load: wrk (Debian's package) with 50 connections for 30 s per endpoint, at the
 * loopback, against the daemon from the built jar while every shipped job fires every minute on one
 * copy of the demo's sample data, each endpoint's measurement starting as the jobs fire. wrk, the
 * daemon and PostgreSQL share this machine's 2 cores. Usage: bench/api-load [seconds per endpoint,
 * default 30] [connections, default 50]
 */
public final class ApiLoadBench {
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    try (Fleet fleet = new Fleet("load", 1)) {
      fleet.start();
      System.out.printf(
          "wrk -t2 -c%d -d%ds on 127.0.0.1; %d jobs firing every minute on the target%n",
          connections, seconds, fleet.jobNames().size());
      System.out.printf(
          "%-22s %10s %9s %9s %9s %8s %10s%n",
          "endpoint", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "daemon CPU");
      for (String path : List.of("/api/status", "/api/targets/t01")) {
        if (fleet.get(path).statusCode() != 200) {
          throw new IllegalStateException(path + " does not answer 200");
        }
        // warm-up, not counted: a freshly started JVM compiles its hot paths in the first seconds
        wrk(fleet.url(path), 5, connections, fleet.dir);
        // each measurement starts as the jobs fire (second 0 of a minute): every endpoint is
        // measured
        // while the same burst of job runs loads the machine
        Thread.sleep(60_000 - System.currentTimeMillis() % 60_000);
        double cpu = fleet.cpuSeconds();
        String out = wrk(fleet.url(path), seconds, connections, fleet.dir);
        double used = fleet.cpuSeconds() - cpu;
        System.out.printf(
            "%-22s %10s %9s %9s %9s %8s %9.0f%%%n",
            path,
            find(out, "Requests/sec:\\s+([0-9.]+)"),
            ms(find(out, "(?m)^\\s+50%\\s+(\\S+)")),
            ms(find(out, "(?m)^\\s+99%\\s+(\\S+)")),
            ms(find(out, "(?m)^\\s+Latency\\s+\\S+\\s+\\S+\\s+(\\S+)")),
            errors(out),
            100 * used / seconds);
      }
      int status = fleet.get("/api/status").statusCode();
      System.out.println("GET /api/status afterwards: " + status);
      new Missing().unless(status == 200, "GET /api/status afterwards").exit();
    }
  }

  static String wrk(String url, int seconds, int connections, Path dir)
      throws IOException, InterruptedException {
    Path out = dir.resolve("wrk.txt");
    Process p =
        new ProcessBuilder(
                List.of(
                    "wrk",
                    "-t2",
                    "-c" + connections,
                    "-d" + seconds + "s",
                    "--timeout",
                    "10s",
                    "--latency",
                    url))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("wrk failed: " + Files.readString(out));
    }
    String text = Files.readString(out);
    System.err.println(text);
    return text;
  }

  static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + regex + " in wrk's output: " + text);
    }
    return m.group(1);
  }

  /** wrk writes 812.00us, 3.21ms or 1.02s. */
  static String ms(String v) {
    Matcher m = Pattern.compile("([0-9.]+)(us|ms|s|m)").matcher(v);
    if (!m.matches()) {
      return v;
    }
    double x = Double.parseDouble(m.group(1));
    double factor =
        switch (m.group(2)) {
          case "us" -> 0.001;
          case "ms" -> 1;
          case "s" -> 1000;
          default -> 60_000;
        };
    return String.format("%.2f", x * factor);
  }

  static String errors(String out) {
    List<String> e = new ArrayList<>();
    Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
    if (non2xx.find()) {
      e.add(non2xx.group(1) + " non-2xx");
    }
    Matcher socket = Pattern.compile("Socket errors: (.*)").matcher(out);
    if (socket.find()) {
      e.add(socket.group(1));
    }
    return e.isEmpty() ? "0" : String.join("; ", e);
  }
}
