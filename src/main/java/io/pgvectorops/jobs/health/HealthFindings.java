package io.pgvectorops.jobs.health;

import io.pgvectorops.jobs.Finding;
import io.pgvectorops.jobs.JobDefinition;
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
                "invalid-index",
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
              "pgvector-missing",
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
              "pgvector-old",
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
              "pgvector-upgrade-available",
              "pgvector "
                  + v.available()
                  + " is installed on the server but this database still uses "
                  + v.installed()
                  + ": ALTER EXTENSION vector UPDATE;",
              Map.of("installed", v.installed(), "available", v.available())));
    }
  }

  private static void needs(JobDefinition job, Observation o, List<Finding> out) {
    JobNeeds.Needs needs = JobNeeds.of(job.kind().name());
    for (JobNeeds.Extension e : needs.extensions()) {
      Observation.ExtensionStatus s = o.extensions().get(e.name());
      boolean installed = s != null && s.installed() != null;
      boolean loaded = !e.preload() || (s != null && s.preloaded());
      if (!installed || !loaded) {
        String fix =
            (!loaded ? "add " + e.name() + " to shared_preload_libraries and restart, then " : "")
                + (installed ? "" : "CREATE EXTENSION " + e.name() + ";");
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("job", job.name());
        metrics.put("installed", installed);
        metrics.put("preloaded", s != null && s.preloaded());
        out.add(
            Finding.warning(
                e.name(),
                "extension-missing",
                job.kind().name()
                    + " job '"
                    + job.name()
                    + "' needs "
                    + e.name()
                    + ": "
                    + fix.strip(),
                metrics));
      }
    }
    for (String role : needs.roles()) {
      if (!o.has(role)) {
        out.add(
            Finding.warning(
                role,
                "privilege-missing",
                job.kind().name()
                    + " job '"
                    + job.name()
                    + "' needs role "
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
    if (List.of("regression", "prewarm").contains(job.kind().name()) && !o.has("superuser")) {
      for (Observation.IndexRow row : o.indexes()) {
        if (!row.canSelect()) {
          String table =
              Identifiers.quote(row.index().schema())
                  + "."
                  + Identifiers.quote(row.index().table());
          String fix = "GRANT SELECT ON " + table + " TO " + Identifiers.quote(o.role()) + ";";
          out.add(
              Finding.warning(
                  row.index().schema() + "." + row.index().table(),
                  "privilege-missing",
                  job.kind().name()
                      + " job '"
                      + job.name()
                      + "' cannot read table "
                      + table
                      + " of "
                      + row.index().qualifiedName()
                      + ": "
                      + fix,
                  Map.of("job", job.name(), "fix", fix)));
        }
      }
    }
    if (job.kind().name().equals("tiering")) {
      for (var t : job.params(io.pgvectorops.jobs.tiering.TieringParams.class).tables) {
        Boolean canUpdate = o.updatable().get(t.table);
        if (canUpdate == null) {
          out.add(
              Finding.warning(
                  t.table,
                  "table-not-found",
                  "tiering job '"
                      + job.name()
                      + "' names table "
                      + t.table
                      + " in params.tables, but the target has no such table (schema.table)",
                  Map.of("job", job.name())));
        } else if (!canUpdate) {
          String fix =
              "GRANT SELECT, UPDATE ON "
                  + io.pgvectorops.jobs.tiering.TieringJob.qualified(t.table)
                  + " TO "
                  + Identifiers.quote(o.role())
                  + ";";
          // its own kind: the same table may also lack SELECT for the regression job, a different
          // fix
          out.add(
              Finding.warning(
                  t.table,
                  "update-privilege-missing",
                  "tiering job '" + job.name() + "' cannot update " + t.table + ": " + fix,
                  Map.of("job", job.name(), "fix", fix)));
        }
      }
    }
    if (job.kind().name().equals("index-rebuild") && !o.has("pg_maintain")) {
      for (Observation.IndexRow row : o.indexes()) {
        if (!row.canMaintain()) {
          out.add(
              Finding.warning(
                  row.index().qualifiedName(),
                  "privilege-missing",
                  "index-rebuild job '"
                      + job.name()
                      + "' cannot REINDEX "
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

  /** Two jobs needing the same thing give one finding per (object, kind), naming the first job. */
  private static List<Finding> dedupe(List<Finding> findings) {
    Map<String, Finding> byKey = new LinkedHashMap<>();
    findings.forEach(f -> byKey.putIfAbsent(f.object() + "\u0000" + f.kind(), f));
    return List.copyOf(byKey.values());
  }
}
