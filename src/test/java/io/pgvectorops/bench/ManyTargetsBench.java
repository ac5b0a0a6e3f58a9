package io.pgvectorops.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * One daemon watching TARGETS (default 20) databases of one cluster, each a copy of the demo's
 * sample data, with every shipped job: all fire at the same minute; one full cycle's wall time
 * (from the fire to the end of the last run) and the daemon's CPU over it, from /proc. Usage:
 * bench/many-targets [targets, default 20]
 */
public final class ManyTargetsBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    try (Fleet fleet = new Fleet("many", n)) {
      // every job at one minute far enough ahead for the daemon to have started and warmed up
      ZonedDateTime fire =
          ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(2).withSecond(0).withNano(0);
      fleet.schedule(String.format("0 %d %d * * ?", fire.getMinute(), fire.getHour()));
      fleet.start();
      int jobs = fleet.jobNames().size();
      Thread.sleep(
          Math.max(0, fire.toInstant().toEpochMilli() - System.currentTimeMillis() - 1000));
      double cpu0 = fleet.cpuSeconds();
      long t0 = System.nanoTime();
      long expected = (long) jobs * n;
      try (Connection c = fleet.state.connect();
          Statement s = c.createStatement()) {
        s.execute("SET search_path = bench_state");
        String ofCycle = " FROM job_run WHERE scheduled_for = '" + fire.toInstant() + "'";
        while (ClusterSoakBench.one(s, "SELECT count(*)" + ofCycle + " AND status <> 'running'")
            < expected) {
          if ((System.nanoTime() - t0) / 1e9 > 3600) {
            throw new IllegalStateException("cycle not over after an hour");
          }
          Thread.sleep(500);
        }
        double cpu = fleet.cpuSeconds() - cpu0;
        try (ResultSet rs =
            s.executeQuery(
                "SELECT extract(epoch FROM max(ended_at) - '"
                    + fire.toInstant()
                    + "'::timestamptz), count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status = 'failed'),"
                    + " count(*) FILTER (WHERE status = 'skipped'), round(avg(extract(epoch FROM started_at - scheduled_for))::numeric, 1),"
                    + " round(max(extract(epoch FROM started_at - scheduled_for))::numeric, 1)"
                    + ofCycle)) {
          rs.next();
          double wall = rs.getDouble(1);
          System.out.printf(
              "%d targets x %d jobs = %d runs fired at %s (scheduler threads: 4)%n",
              n, jobs, expected, fire.toInstant());
          System.out.printf(
              "cycle wall %.1f s; succeeded %d, failed %d, skipped %d; start delay mean %s s, max %s s%n",
              wall, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getString(6));
          System.out.printf(
              "daemon CPU %.1f s over the cycle = %.0f%% of one core (%.0f%% of the machine's 2)%n",
              cpu, 100 * cpu / wall, 50 * cpu / wall);
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT job, round(avg(extract(epoch FROM ended_at - started_at))::numeric, 2),"
                    + " round(max(extract(epoch FROM ended_at - started_at))::numeric, 2)"
                    + ofCycle
                    + " GROUP BY job ORDER BY 2 DESC")) {
          while (rs.next()) {
            System.out.printf(
                "  %-36s mean %6s s  max %6s s%n",
                rs.getString(1), rs.getString(2), rs.getString(3));
          }
        }
      }
    }
    System.exit(0);
  }
}
