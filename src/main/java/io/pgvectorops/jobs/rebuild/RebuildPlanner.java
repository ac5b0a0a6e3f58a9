package io.pgvectorops.jobs.rebuild;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.jobs.RebuildTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which vector indexes to rebuild, why, in what order, with which session settings. Pure. */
final class RebuildPlanner {
  record ServerFacts(
      int maxParallelMaintenanceWorkers,
      int maxWorkerProcesses,
      int maxParallelWorkers,
      long maintenanceWorkMemBytes,
      long databaseBytes,
      boolean parallelHnswUnsafe) {}

  record Settings(long maintenanceWorkMemBytes, int parallelWorkers) {
    SettingsUsed describe() {
      return new SettingsUsed((maintenanceWorkMemBytes / 1048576) + "MB", parallelWorkers);
    }
  }

  /** The session settings of a build, named as in postgresql.conf. */
  public record SettingsUsed(
      @JsonProperty("maintenance_work_mem") String maintenanceWorkMem,
      @JsonProperty("max_parallel_maintenance_workers") int maxParallelMaintenanceWorkers) {}

  /**
   * @param newLists for a re-list of an IVFFlat index, else null
   */
  record Candidate(
      IndexFacts index,
      String reason,
      long benefitBytes,
      Integer newLists,
      Settings settings,
      RebuildTime estimate) {
    /**
     * Why this HNSW build will be slower than it could be, or null: its graph needs more
     * maintenance_work_mem than the job's cap gives it, and pgvector inserts what does not fit one
     * tuple at a time on disk.
     */
    String graphShortfall(DataSize cap) {
      double need = index.buildMemoryBytes();
      if (!index.method().equals("hnsw") || need <= settings.maintenanceWorkMemBytes()) {
        return null;
      }
      return index.object()
          + ": its HNSW graph needs about "
          + Math.round(need / 1048576)
          + "MB of maintenance_work_mem; maxMaintenanceWorkMem ("
          + cap
          + ") gives it "
          + (settings.maintenanceWorkMemBytes() / 1048576)
          + "MB: pgvector builds the part that does not fit on disk, one tuple at a time, which"
          + " takes significantly longer; raise maxMaintenanceWorkMem if the server has the memory";
    }

    Chosen describe() {
      return new Chosen(
          index.object(),
          index.method(),
          newLists == null
              ? "REINDEX INDEX CONCURRENTLY"
              : "ALTER INDEX SET (lists = " + newLists + "), REINDEX INDEX CONCURRENTLY",
          reason,
          index.actualBytes(),
          index.expectedBytes(),
          settings.describe(),
          estimate.seconds(),
          estimate.from());
    }
  }

  /** A candidate as the summary lists it. */
  public record Chosen(
      String index,
      String method,
      String action,
      String reason,
      long sizeBytes,
      long expectedBytes,
      SettingsUsed settings,
      long estimatedSeconds,
      String estimatedFrom) {}

  /** An index not rebuilt by this run, and why. */
  public record Deferred(String index, String reason) {}

  record Plan(List<Candidate> chosen, List<Deferred> notNow) {}

  private RebuildPlanner() {}

  /**
   * @param dead live and dead tuples of the HNSW indexes' tables by table oid (rebuild before
   *     vacuum)
   * @param past the target's rebuilds, newest first (how long a rebuild of an index takes)
   */
  static Plan plan(
      List<IndexFacts> indexes,
      RebuildParams p,
      ServerFacts server,
      Map<Long, RebuildReads.DeadTuples> dead,
      List<RebuildHistory.Rebuild> past) {
    List<Candidate> candidates = new ArrayList<>();
    List<Deferred> notNow = new ArrayList<>();
    // a partitioned index has no storage: naming it names the indexes of its leaf partitions,
    // rebuilt one by one like any other (PostgreSQL's REINDEX of the parent would take them all
    // in one statement, beyond the run's limits and with one lock_timeout for all)
    Map<String, String> named = named(indexes, p, notNow);
    for (IndexFacts i : indexes) {
      if (i.partitioned()) {
        continue;
      }
      Candidate c =
          candidate(
              i,
              p,
              named.get(i.object()),
              new BeforeVacuum(dead.get(i.tableOid()), past),
              server,
              notNow);
      if (c != null) {
        candidates.add(c);
      }
    }
    return new Plan(withinLimits(candidates, p, notNow), notNow);
  }

  /**
   * The indexes the job file names, each with why: a partitioned one names its leaf partitions'
   * indexes instead (and is listed as not rebuilt itself).
   */
  private static Map<String, String> named(
      List<IndexFacts> indexes, RebuildParams p, List<Deferred> notNow) {
    Map<String, String> named = new HashMap<>();
    p.indexes.forEach(n -> named.put(n, "named in the job file"));
    for (IndexFacts i : indexes) {
      if (i.partitioned() && named.containsKey(i.object())) {
        i.leafIndexes()
            .forEach(
                leaf ->
                    named.putIfAbsent(
                        leaf, "partition of " + i.object() + ", named in the job file"));
        notNow.add(
            new Deferred(
                i.object(),
                "partitioned index (no storage of its own): its "
                    + i.leafIndexes().size()
                    + " partitions' indexes are rebuilt one by one, each listed on its own"));
      }
    }
    return named;
  }

  /** The most benefit first, up to the run's count and bytes; the rest wait for the next run. */
  private static List<Candidate> withinLimits(
      List<Candidate> candidates, RebuildParams p, List<Deferred> notNow) {
    candidates.sort(Comparator.comparingLong(Candidate::benefitBytes).reversed());
    List<Candidate> chosen = new ArrayList<>();
    long bytes = 0;
    for (Candidate c : candidates) {
      if (chosen.size() >= p.maxIndexesPerRun
          || bytes + c.index().actualBytes() > p.maxBytesPerRun.toBytes()) {
        notNow.add(
            new Deferred(
                c.index().object(),
                "over this run's limit (maxIndexesPerRun "
                    + p.maxIndexesPerRun
                    + ", maxBytesPerRun "
                    + p.maxBytesPerRun
                    + "): next run"));
        continue;
      }
      bytes += c.index().actualBytes();
      chosen.add(c);
    }
    return chosen;
  }

  /**
   * Why an index should be rebuilt and how much it gains, or null (then maybe why not now).
   *
   * @param namedBecause why the job file names it, or null when it does not
   */
  private static Candidate candidate(
      IndexFacts i,
      RebuildParams p,
      String namedBecause,
      BeforeVacuum before,
      ServerFacts server,
      List<Deferred> notNow) {
    boolean named = namedBecause != null;
    if (i.buildInProgress()) {
      if (named || !i.valid()) {
        notNow.add(new Deferred(i.object(), "an index build is running on its table"));
      }
      return null;
    }
    if (!i.valid() && !named) {
      notNow.add(
          new Deferred(
              i.object(),
              "INVALID and not a REINDEX leftover: reported, not"
                  + " touched; name it in the job file to rebuild it"));
      return null;
    }
    Why why = why(i, p, namedBecause);
    if (why == null) {
      why = before.why(i, p);
    }
    if (why == null) {
      return null;
    }
    // the index's own last rebuild speed says more than the job's default
    RebuildTime estimate =
        RebuildTime.of(
            i.object(),
            i.actualBytes(),
            before.past(),
            p.estimatedBytesPerSecond.toBytes(),
            "estimatedBytesPerSecond");
    return new Candidate(
        i, why.reason(), why.benefit(), why.lists(), settings(i, p, server), estimate);
  }

  /**
   * Why an index is a candidate, what a rebuild gives back (its order), and IVFFlat's new lists.
   */
  record Why(String reason, long benefit, Integer lists) {}

  /** Null when the index is not a candidate. */
  private static Why why(IndexFacts i, RebuildParams p, String namedBecause) {
    if (!i.valid()) {
      return new Why("INVALID; " + namedBecause, Long.MAX_VALUE / 4, null);
    }
    if (namedBecause != null) {
      return new Why(namedBecause, Long.MAX_VALUE / 8, null);
    }
    if (p.relistIvfflat
        && i.method().equals("ivfflat")
        && i.elements() != null
        && i.elements() >= p.minRowsForRelist
        && drifted(i.option("lists", 100), idealLists(i.elements()))) {
      int lists = (int) idealLists(i.elements());
      return new Why(
          "lists = "
              + i.option("lists", 100)
              + " but pgvector's guidance for "
              + Math.round(i.elements())
              + " rows is "
              + lists
              + " (rows/1000 up to 1M rows, sqrt(rows) above)",
          i.actualBytes(),
          lists);
    }
    if (i.bloat() >= p.minBloatRatio && i.actualBytes() >= p.minSize.toBytes()) {
      return new Why(
          "estimated bloat " + Math.round(i.bloat() * 100) + "% (pgvector layout model)",
          i.actualBytes() - i.expectedBytes(),
          null);
    }
    return null;
  }

  /** pgvector's guidance: rows/1000 up to 1M rows, sqrt(rows) above; between 1 and 32768. */
  static long idealLists(double rows) {
    return IndexFacts.idealLists(rows);
  }

  /** Off by more than a factor of two. */
  static boolean drifted(int lists, long ideal) {
    return lists * 2 < ideal || lists > ideal * 2;
  }

  /**
   * maintenance_work_mem so the graph fits in memory ({@link IndexFacts#buildMemoryBytes}); at
   * least the server's setting, at most the job's cap. Workers: the job's cap, within what the
   * server allows.
   */
  static Settings settings(IndexFacts i, RebuildParams p, ServerFacts s) {
    double need = i.buildMemoryBytes();
    long mwm =
        (long)
            Math.min(
                p.maxMaintenanceWorkMem.toBytes(), Math.max(need, s.maintenanceWorkMemBytes()));
    if (i.method().equals("hnsw") && s.parallelHnswUnsafe()) {
      return new Settings(mwm, 0); // the installed pgvector's parallel HNSW build is defective
    }
    int workers =
        Math.max(
            0,
            Math.min(
                p.maxParallelWorkers,
                Math.min(s.maxParallelWorkers(), s.maxWorkerProcesses() - 1)));
    return new Settings(mwm, workers);
  }
}
