package io.pgvectorops.jobs.health;

import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.sql.Identifiers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns one observation into findings. Pure: no I/O, so every rule is unit-tested. */
final class HealthFindings {
  private HealthFindings() {}

  static List<Finding> of(
      String target, Observation o, String minPgvector, List<JobDefinition> jobsOnTarget) {
    List<Finding> out = new ArrayList<>();
    pgvector(o, minPgvector, out);
    for (Observation.IndexRow row : o.indexes()) {
      if (!row.index().valid() && !row.buildInProgress()) {
        out.add(
            Finding.critical(
                row.index().qualifiedName(),
                SharedFindings.INVALID_INDEX,
                "vector index "
                    + row.index().qualifiedName()
                    + " on "
                    + row.index().table()
                    + " is INVALID (a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY left it): queries do not"
                    + " use it but every write still pays to maintain it",
                Map.of("sizeBytes", row.index().sizeBytes(), "method", row.index().method())));
      }
    }
    Map<Key, Needed> byKey = new LinkedHashMap<>();
    out.forEach(f -> byKey.put(new Key(f.object(), f.kind()), new Needed(f, List.of())));
    for (JobDefinition job : jobsOnTarget) {
      List<Finding> mine = new ArrayList<>();
      needs(job, o, mine);
      for (Finding f : mine) {
        byKey.merge(
            new Key(f.object(), f.kind()), new Needed(f, job), (had, more) -> had.alsoFor(job));
      }
    }
    return byKey.values().stream().map(Needed::finding).toList();
  }

  private record Key(String object, String kind) {}

  /**
   * One missing thing (object and kind: a finding's identity) and every job that needs it: the
   * finding names them all, so one job's line does not hide another's.
   */
  private record Needed(Finding first, List<JobDefinition> jobs) {
    Needed(Finding first, JobDefinition job) {
      this(first, List.of(job));
    }

    Needed alsoFor(JobDefinition job) {
      List<JobDefinition> more = new ArrayList<>(jobs);
      if (!more.contains(job)) {
        more.add(job);
      }
      return new Needed(first, List.copyOf(more));
    }

    Finding finding() {
      if (jobs.size() < 2) {
        return first;
      }
      // each job's message starts with who(job): the others join the first
      String whoFirst = who(jobs.get(0));
      String all = String.join(" and ", jobs.stream().map(HealthFindings::who).toList());
      Map<String, Object> metrics = new LinkedHashMap<>(first.metrics());
      metrics.put("jobs", jobs.stream().map(JobDefinition::name).toList());
      return new Finding(
          first.object(),
          first.kind(),
          first.severity(),
          all + first.message().substring(whoFirst.length()),
          Collections.unmodifiableMap(metrics));
    }
  }

  private static Finding pgvectorMissing(Observation.ExtensionStatus v) {
    boolean onServer = v != null && v.available() != null;
    return Finding.warning(
        "vector",
        HealthJob.PGVECTOR_MISSING,
        onServer
            ? "pgvector "
                + v.available()
                + " is available on the server but not installed in this database:"
                + " CREATE EXTENSION vector;"
            : "pgvector is not installed on this server (install the postgresql-NN-pgvector package, then"
                + " CREATE EXTENSION vector;)",
        onServer ? Map.of("available", v.available()) : Map.of());
  }

  private static void pgvector(Observation o, String minVersion, List<Finding> out) {
    Observation.ExtensionStatus v = o.extensions().get("vector");
    if (v == null || v.installed() == null) {
      out.add(pgvectorMissing(v));
      return;
    }
    if (Versions.compare(v.installed(), minVersion) < 0) {
      out.add(
          Finding.warning(
              "vector",
              HealthJob.PGVECTOR_OLD,
              "pgvector "
                  + v.installed()
                  + " is older than "
                  + minVersion
                  + " (upgrade the package, then"
                  + " ALTER EXTENSION vector UPDATE;)",
              Map.of("installed", v.installed(), "minimum", minVersion)));
    }
    if (v.available() != null && Versions.compare(v.available(), v.installed()) > 0) {
      out.add(
          Finding.info(
              "vector",
              HealthJob.PGVECTOR_UPGRADE_AVAILABLE,
              "pgvector "
                  + v.available()
                  + " is installed on the server and its library already runs here (index builds,"
                  + " vacuum and scans have its fixes), but this database's SQL objects (types,"
                  + " functions, operators, casts) are still "
                  + v.installed()
                  + ": ALTER EXTENSION vector UPDATE; brings them to "
                  + v.available()
                  + " (a catalogue change, no index rebuild), and resolves the pgvector-advisory"
                  + " findings of scope sql",
              Map.of("installed", v.installed(), "available", v.available())));
    }
  }

  private static void needs(JobDefinition job, Observation o, List<Finding> out) {
    Needs needs = job.kind().needs();
    for (Needs.Extension e : needs.extensions()) {
      extension(job, e, o, out);
    }
    for (String role : needs.roles()) {
      if (!o.has(role)) {
        out.add(
            Finding.warning(
                role,
                SharedFindings.PRIVILEGE_MISSING,
                who(job)
                    + " needs role "
                    + o.role()
                    + " to have "
                    + role
                    + ": GRANT "
                    + role
                    + " TO "
                    + o.role()
                    + ";",
                Map.of("job", job.name(), "role", role)));
      }
    }
    if (needs.selectsVectorTables() && !o.has("superuser")) {
      selectOnVectorTables(job, o, out);
    }
    updatedTables(job, o, out);
    if (needs.maintainsVectorIndexes() && !o.has("pg_maintain")) {
      maintainVectorIndexes(job, o, out);
    }
  }

  /** "bloat job 'nightly'": how a finding names the job that needs something. */
  private static String who(JobDefinition job) {
    return job.kind().name() + " job '" + job.name() + "'";
  }

  private static void extension(
      JobDefinition job, Needs.Extension e, Observation o, List<Finding> out) {
    Observation.ExtensionStatus s = o.extensions().get(e.name());
    boolean installed = s != null && s.installed() != null;
    Boolean preloaded = s == null ? Boolean.FALSE : s.preloaded();
    if (e.preload() && preloaded == null) {
      out.add(
          Finding.warning(
              "pg_read_all_settings",
              SharedFindings.PRIVILEGE_MISSING,
              who(job)
                  + " needs "
                  + e.name()
                  + " in shared_preload_libraries, a setting role "
                  + o.role()
                  + " may not read, so whether it is there cannot be checked: GRANT"
                  + " pg_read_all_settings TO "
                  + Identifiers.quote(o.role())
                  + "; (pg_monitor includes it)",
              Map.of("job", job.name(), "role", "pg_read_all_settings")));
    }
    boolean loaded = !e.preload() || !Boolean.FALSE.equals(preloaded);
    if (installed && loaded) {
      return;
    }
    String fix =
        (!loaded ? "add " + e.name() + " to shared_preload_libraries and restart, then " : "")
            + (installed ? "" : "CREATE EXTENSION " + e.name() + ";");
    Metrics metrics =
        Metrics.of()
            .put("job", job.name())
            .put("installed", installed)
            .put("preloaded", Boolean.TRUE.equals(preloaded));
    out.add(
        Finding.warning(
            e.name(),
            SharedFindings.EXTENSION_MISSING,
            who(job) + " needs " + e.name() + ": " + fix.strip(),
            metrics.asMap()));
  }

  private static void selectOnVectorTables(JobDefinition job, Observation o, List<Finding> out) {
    for (Observation.IndexRow row : o.indexes()) {
      if (!row.canSelect()) {
        String table =
            Identifiers.quote(row.index().schema()) + "." + Identifiers.quote(row.index().table());
        String fix = "GRANT SELECT ON " + table + " TO " + Identifiers.quote(o.role()) + ";";
        out.add(
            Finding.warning(
                row.index().schema() + "." + row.index().table(),
                SharedFindings.PRIVILEGE_MISSING,
                who(job)
                    + " cannot read table "
                    + table
                    + " of "
                    + row.index().qualifiedName()
                    + ": "
                    + fix,
                Map.of("job", job.name(), "fix", fix)));
      }
    }
  }

  private static void updatedTables(JobDefinition job, Observation o, List<Finding> out) {
    for (String table : job.kind().updatedTables(job)) {
      Boolean canUpdate = o.updatable().get(table);
      if (canUpdate == null) {
        out.add(
            Finding.warning(
                table,
                HealthJob.TABLE_NOT_FOUND,
                who(job)
                    + " names table "
                    + table
                    + " in params.tables, but the target has no such table (schema.table)",
                Map.of("job", job.name())));
      } else if (!canUpdate) {
        String fix =
            "GRANT SELECT, UPDATE ON "
                + ObjectNames.quotedTable(table)
                + " TO "
                + Identifiers.quote(o.role())
                + ";";
        // its own kind: the same table may also lack SELECT for the regression job, a different
        // fix
        out.add(
            Finding.warning(
                table,
                HealthJob.UPDATE_PRIVILEGE_MISSING,
                who(job) + " cannot update " + table + ": " + fix,
                Map.of("job", job.name(), "fix", fix)));
      }
    }
  }

  private static void maintainVectorIndexes(JobDefinition job, Observation o, List<Finding> out) {
    for (Observation.IndexRow row : o.indexes()) {
      if (!row.canMaintain()) {
        out.add(
            Finding.warning(
                row.index().qualifiedName(),
                SharedFindings.PRIVILEGE_MISSING,
                who(job)
                    + " cannot REINDEX "
                    + row.index().qualifiedName()
                    + ": role "
                    + o.role()
                    + " does not own table "
                    + row.index().table()
                    + " (make it a member of the owner role, or on PostgreSQL 17 GRANT pg_maintain)",
                Map.of("job", job.name())));
      }
    }
  }
}
