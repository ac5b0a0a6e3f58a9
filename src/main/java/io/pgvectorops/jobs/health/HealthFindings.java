package io.pgvectorops.jobs.health;

import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.sql.Identifiers;
import java.util.ArrayList;
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
    for (JobDefinition job : jobsOnTarget) {
      needs(job, o, out);
    }
    return dedupe(out);
  }

  private static void pgvector(Observation o, String minVersion, List<Finding> out) {
    Observation.ExtensionStatus v = o.extensions().get("vector");
    if (v == null || v.installed() == null) {
      boolean onServer = v != null && v.available() != null;
      out.add(
          Finding.warning(
              "vector",
              HealthJob.PGVECTOR_MISSING,
              onServer
                  ? "pgvector "
                      + v.available()
                      + " is available on the server but not installed in this database:"
                      + " CREATE EXTENSION vector;"
                  : "pgvector is not installed on this server (install the postgresql-NN-pgvector package, then"
                      + " CREATE EXTENSION vector;)",
              onServer ? Map.of("available", v.available()) : Map.of()));
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
    boolean loaded = !e.preload() || (s != null && s.preloaded());
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
            .put("preloaded", s != null && s.preloaded());
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

  /** Two jobs needing the same thing give one finding per (object, kind), naming the first job. */
  private static List<Finding> dedupe(List<Finding> findings) {
    record Key(String object, String kind) {}
    Map<Key, Finding> byKey = new LinkedHashMap<>();
    findings.forEach(f -> byKey.putIfAbsent(new Key(f.object(), f.kind()), f));
    return List.copyOf(byKey.values());
  }
}
