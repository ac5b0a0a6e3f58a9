package io.pgvectorops.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;

/**
 * Two instances clustered on one state schema, every shipped job firing every minute on every
 * target, for MINUTES (default 10); one instance killed with kill -9 half-way. Then, from the state
 * schema: fires expected and recorded, fires recorded twice, fires missing, runs per instance, runs
 * interrupted by the kill and re-fired as recovery, and how late fires started before and after the
 * kill (the survivor takes over within the Quartz check-in interval, 7.5 s). Usage:
 * bench/cluster-soak [minutes, default 10] [targets, default 2]
 */
public final class ClusterSoakBench {
  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    try (Fleet fleet = new Fleet("cluster", n)) {
      fleet.start();
      Process second = fleet.startAnother();
      int jobs = fleet.jobNames().size();
      // whole minutes measured: from the next minute on
      long now = System.currentTimeMillis();
      Instant from = Instant.ofEpochMilli(now - now % 60_000 + 60_000);
      Instant killAt = from.plusSeconds(60L * (minutes / 2) + 2);
      Instant to = from.plusSeconds(60L * minutes);
      System.out.printf(
          "2 instances, %d targets, %d jobs every minute, fires from %s to %s, kill -9 of one at %s%n",
          n, jobs, from, to, killAt);
      Thread.sleep(Math.max(0, killAt.toEpochMilli() - System.currentTimeMillis()));
      fleet.kill9(second);
      System.out.printf("killed instance 2 (pid %d) at %s%n", second.pid(), Instant.now());
      // the last fires' runs end too
      Thread.sleep(Math.max(0, to.toEpochMilli() - System.currentTimeMillis()) + 90_000);
      try (Connection c = fleet.state.connect();
          Statement s = c.createStatement()) {
        s.execute("SET search_path = bench_state");
        String window = " scheduled_for >= '" + from + "' AND scheduled_for < '" + to + "'";
        long expected = (long) minutes * jobs * n;
        long recorded =
            one(
                s,
                "SELECT count(DISTINCT (job, target, scheduled_for)) FROM job_run WHERE" + window);
        long twice =
            one(
                s,
                "SELECT count(*) FROM (SELECT 1 FROM job_run WHERE trigger = 'schedule' AND"
                    + window
                    + " GROUP BY job, target, scheduled_for HAVING count(*) > 1) d");
        System.out.printf(
            "fires expected %d, recorded %d, missing %d, recorded twice %d%n",
            expected, recorded, expected - recorded, twice);
        try (ResultSet rs =
            s.executeQuery(
                "SELECT instance_id, status, trigger, count(*) FROM job_run WHERE"
                    + window
                    + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")) {
          while (rs.next()) {
            System.out.printf(
                "  %-26s %-12s %-9s %5d%n",
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4));
          }
        }
        for (String when : new String[] {"<", ">="}) {
          try (ResultSet rs =
              s.executeQuery(
                  "SELECT count(*), round(avg(extract(epoch FROM started_at - scheduled_for)"
                      + ")::numeric, 2), round(max(extract(epoch FROM started_at - scheduled_for))::numeric, 2) FROM job_run"
                      + " WHERE trigger = 'schedule' AND"
                      + window
                      + " AND scheduled_for "
                      + when
                      + " '"
                      + killAt
                      + "'")) {
            rs.next();
            System.out.printf(
                "fires %s the kill: %d, start delay mean %s s, max %s s%n",
                when.equals("<") ? "before" : "after ",
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3));
          }
        }
        long unfinished = one(s, "SELECT count(*) FROM job_run WHERE status = 'running'");
        System.out.printf("runs still 'running' at the end: %d%n", unfinished);
        if (recorded != expected || twice > 0 || unfinished > 0) {
          System.out.println("FAILED: every fire must run exactly once and end");
          System.exit(1);
        }
      }
    }
    System.exit(0);
  }

  static long one(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
