package io.pgvectorops.jobs.health;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.catalog.Advisories.Advisory;
import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.catalog.PgvectorVersions;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The advisories of the catalogue that apply to this database: the version that runs what the
 * advisory is about is affected (the installed library for defects in the C code, the SQL objects'
 * extversion for the rest; see {@link PgvectorVersions}) and it has what the defect puts at risk.
 * One finding per advisory; an upgrade resolves it. PostgreSQL majors past their end of support are
 * a warning.
 */
final class AdvisoryFindings {
  static final FindingKind PGVECTOR_ADVISORY =
      FindingKind.of("pgvector-advisory", Finding.Severity.info, Finding.Severity.critical);
  static final FindingKind HNSW_REBUILD_AFTER_UPGRADE =
      FindingKind.of(
          "hnsw-rebuild-after-upgrade", Finding.Severity.warning, Finding.Severity.warning);
  static final FindingKind POSTGRESQL_END_OF_LIFE =
      FindingKind.of("postgresql-end-of-life", Finding.Severity.warning, Finding.Severity.warning);

  /** What this database has that an advisory can put at risk (probes/advisory_exposure). */
  record Exposure(
      long hnswIndexes,
      long ivfflatIndexes,
      long hnswTablesWithDeletes,
      long sparsevecColumns,
      long vectorColumnsExtendedStorage,
      long ivfflatIndexesOn32Bit) {
    /** Without pgvector nothing is at risk. */
    static final Exposure NONE = new Exposure(0, 0, 0, 0, 0, 0);

    long count(Advisories.Exposure e) {
      return switch (e) {
        case ALWAYS -> 1;
        case HNSW_INDEXES -> hnswIndexes;
        case HNSW_TABLES_WITH_DELETES -> hnswTablesWithDeletes;
        case IVFFLAT_INDEXES -> ivfflatIndexes;
        case SPARSEVEC_COLUMNS -> sparsevecColumns;
        case VECTOR_COLUMNS_EXTENDED_STORAGE -> vectorColumnsExtendedStorage;
        case IVFFLAT_INDEXES_ON_32_BIT -> ivfflatIndexesOn32Bit;
      };
    }

    /** "3 HNSW indexes", "2 tables with an HNSW index and deletes", … */
    static String describe(Advisories.Exposure e, long n) {
      return switch (e) {
        case ALWAYS -> "this database";
        case HNSW_INDEXES -> n + " HNSW index" + (n == 1 ? "" : "es");
        case HNSW_TABLES_WITH_DELETES ->
            n + " table" + (n == 1 ? "" : "s") + " with an HNSW index and deletes or updates";
        case IVFFLAT_INDEXES -> n + " IVFFlat index" + (n == 1 ? "" : "es");
        case SPARSEVEC_COLUMNS -> n + " sparsevec column" + (n == 1 ? "" : "s");
        case VECTOR_COLUMNS_EXTENDED_STORAGE ->
            n + " vector column" + (n == 1 ? "" : "s") + " with extended storage";
        case IVFFLAT_INDEXES_ON_32_BIT ->
            n + " IVFFlat index" + (n == 1 ? "" : "es") + " on a 32-bit server";
      };
    }
  }

  private AdvisoryFindings() {}

  static Exposure exposure(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c,
            SqlFile.load("probes/advisory_exposure"),
            rs ->
                new Exposure(
                    rs.getLong("hnsw_indexes"),
                    rs.getLong("ivfflat_indexes"),
                    rs.getLong("hnsw_tables_with_deletes"),
                    rs.getLong("sparsevec_columns"),
                    rs.getLong("vector_columns_extended_storage"),
                    rs.getLong("ivfflat_indexes_on_32_bit")))
        .get(0);
  }

  /**
   * The advisories of what health observed, on the session that observed it: the exposure is read
   * only where pgvector is installed.
   */
  static List<Finding> of(
      Advisories advisories, Jdbc jdbc, Connection c, Observation o, LocalDate today) {
    Observation.ExtensionStatus vector = o.extensions().get("vector");
    PgvectorVersions pgvector =
        vector == null
            ? new PgvectorVersions(null, null)
            : new PgvectorVersions(vector.installed(), vector.available());
    List<Finding> out =
        new ArrayList<>(
            of(
                advisories,
                pgvector,
                pgvector.installed() ? exposure(jdbc, c) : Exposure.NONE,
                o.serverVersionNum(),
                today));
    List<Advisory> past = pastSilentDamage(advisories, pgvector);
    if (!past.isEmpty()) {
      List<String> indexes =
          jdbc.query(
              c,
              SqlFile.load("probes/hnsw_indexes_on_tables_with_deletes"),
              rs -> ObjectNames.qualified(rs.getString("schema_name"), rs.getString("index_name")));
      if (!indexes.isEmpty()) {
        out.add(rebuildAfterUpgrade(pgvector, past, indexes));
      }
    }
    return out;
  }

  /**
   * Defects that damaged HNSW indexes silently, which the running library no longer has but the
   * version of this database's SQL objects had: the library ran that version when they were created
   * or last updated, so indexes that saw deletes may still hold the damage.
   */
  static List<Advisory> pastSilentDamage(Advisories advisories, PgvectorVersions v) {
    if (!v.installed() || v.library() == null) {
      return List.of();
    }
    return advisories.pgvector().stream()
        .filter(Advisory::silentDamage)
        .filter(a -> a.scope() == Advisories.Scope.LIBRARY)
        .filter(a -> a.affects(v.sql()) && !a.affects(v.library()))
        .toList();
  }

  private static Finding rebuildAfterUpgrade(
      PgvectorVersions v, List<Advisory> past, List<String> indexes) {
    List<String> ids = past.stream().map(Advisory::id).toList();
    List<String> shown = indexes.subList(0, Math.min(indexes.size(), 20));
    return Finding.warning(
        "pgvector:rebuild-after-upgrade",
        HNSW_REBUILD_AFTER_UPGRADE,
        "pgvector's library is "
            + v.library()
            + " but this database's SQL objects are "
            + v.sql()
            + ", a version that could damage HNSW indexes silently ("
            + String.join(", ", ids)
            + "); an upgrade does not repair an index: "
            + indexes.size()
            + " HNSW index"
            + (indexes.size() == 1 ? "" : "es")
            + " on tables with deletes or updates may return wrong or fewer neighbours until"
            + " rebuilt: name them in an index-rebuild job (indexes: ["
            + String.join(", ", shown)
            + (shown.size() < indexes.size() ? ", …" : "")
            + "]), and let the regression job compare recall before and after",
        Map.of(
            "library", v.library(), "sqlObjects", v.sql(), "advisories", ids, "indexes", indexes));
  }

  static List<Finding> of(
      Advisories advisories,
      PgvectorVersions pgvector,
      Exposure exposure,
      int serverVersionNum,
      LocalDate today) {
    List<Finding> out = new ArrayList<>();
    for (Advisory a : advisories.affecting(pgvector)) {
      long n = exposure.count(a.exposedWhen());
      if (n > 0) {
        out.add(finding(a, pgvector.of(a.scope()), Exposure.describe(a.exposedWhen(), n), n));
      }
    }
    int major = serverVersionNum / 10000;
    advisories
        .major(major)
        .filter(m -> m.endOfLife().isBefore(today))
        .ifPresent(
            m ->
                out.add(
                    Finding.warning(
                        "PostgreSQL " + major,
                        POSTGRESQL_END_OF_LIFE,
                        "PostgreSQL "
                            + major
                            + " reached its end of support on "
                            + m.endOfLife()
                            + ": no more fixes, security ones included; plan the upgrade to a"
                            + " supported major",
                        Metrics.of()
                            .put("major", major)
                            .put("endOfLife", m.endOfLife().toString())
                            .asMap())));
    return out;
  }

  private static Finding finding(Advisory a, String installed, String atRisk, long n) {
    return Finding.of(
        "pgvector:" + a.id(),
        PGVECTOR_ADVISORY,
        Finding.Severity.valueOf(a.severity()),
        "pgvector "
            + installed
            + (a.scope() == Advisories.Scope.SQL ? " (SQL objects)" : "")
            + ": "
            + a.summary()
            + (a.cve() == null ? "" : " (" + a.cve() + ")")
            + (a.fixedIn() == null ? " (not fixed yet)" : " (fixed in " + a.fixedIn() + ")")
            + "; here: "
            + atRisk
            + ". "
            + a.action()
            + " ["
            + a.source()
            + "]",
        Metrics.of()
            .put("installed", installed)
            .put("scope", a.scope().name().toLowerCase())
            .put("cve", a.cve())
            .put("fixedIn", a.fixedIn())
            .put("affects", a.exposedWhen().name().toLowerCase().replace('_', '-'))
            .put("exposed", n)
            .put("source", a.source())
            .asMap());
  }
}
