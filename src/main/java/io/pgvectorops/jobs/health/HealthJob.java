package io.pgvectorops.jobs.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.catalog.VectorIndex;
import io.pgvectorops.catalog.VectorIndexes;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.Unreachable;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.TargetInventory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per target: reachable or not, versions, the extensions and privileges the configured jobs need,
 * and the inventory of vector indexes. Read-only.
 */
public class HealthJob implements Job {
  static final FindingKind PGVECTOR_MISSING =
      SharedFindings.followTheFix("pgvector-missing", Severity.warning, Severity.warning);
  static final FindingKind PGVECTOR_OLD =
      SharedFindings.followTheFix("pgvector-old", Severity.warning, Severity.warning);
  static final FindingKind PGVECTOR_UPGRADE_AVAILABLE =
      SharedFindings.followTheFix("pgvector-upgrade-available", Severity.info, Severity.info);
  static final FindingKind TABLE_NOT_FOUND =
      SharedFindings.followTheFix("table-not-found", Severity.warning, Severity.warning);
  static final FindingKind UPDATE_PRIVILEGE_MISSING =
      SharedFindings.followTheFix("update-privilege-missing", Severity.warning, Severity.warning);

  /** The Health kind: registered in kinds/JobKinds. */
  public static final JobKind KIND =
      JobKind.named(
              "health",
              HealthParams.class,
              (d, p, s) -> new HealthJob(p, s.inventory(), s.advisories()))
          .runsAtStartup()
          .inspectsTargets(TargetCheck::check, HealthParams::new)
          .raises(
              SharedFindings.TARGET_UNREACHABLE,
              SharedFindings.INVALID_INDEX,
              SharedFindings.EXTENSION_MISSING,
              SharedFindings.PRIVILEGE_MISSING,
              PGVECTOR_MISSING,
              PGVECTOR_OLD,
              PGVECTOR_UPGRADE_AVAILABLE,
              TABLE_NOT_FOUND,
              UPDATE_PRIVILEGE_MISSING,
              AdvisoryFindings.PGVECTOR_ADVISORY,
              AdvisoryFindings.HNSW_REBUILD_AFTER_UPGRADE,
              AdvisoryFindings.POSTGRESQL_END_OF_LIFE)
          .reports(HealthSummary.class)
          .build();

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HealthParams params;
  private final TargetInventory inventory;

  private final Advisories advisories;

  HealthJob(HealthParams params, TargetInventory inventory, Advisories advisories) {
    this.params = params;
    this.inventory = inventory;
    this.advisories = advisories;
  }

  @Override
  public JobResult run(JobContext ctx) {
    Instant now = ctx.clock().instant();
    Observation o =
        observe(
            ctx.target().jdbc(),
            ctx.connection(),
            now,
            updatedTables(ctx.catalog().forTarget(ctx.target().name())));
    List<Finding> findings =
        new ArrayList<>(
            HealthFindings.of(
                ctx.target().name(),
                o,
                params.minPgvectorVersion,
                ctx.catalog().forTarget(ctx.target().name())));
    Observation.ExtensionStatus vector = o.extensions().get("vector");
    findings.addAll(
        AdvisoryFindings.of(
            advisories,
            ctx.target().jdbc(),
            ctx.connection(),
            o,
            LocalDate.ofInstant(now, ZoneOffset.UTC)));
    inventory.saveReachable(
        ctx.target().name(),
        now,
        o.serverVersion(),
        o.serverVersionNum(),
        o.inRecovery(),
        vector == null ? null : vector.installed(),
        vector == null ? null : vector.available(),
        o.extensions(),
        o.indexes().stream().map(Observation.IndexRow::index).toList());
    return JobResult.succeeded(summary(o), findings);
  }

  @Override
  public List<Finding> whenUnreachable(String target, DbException cause, Instant now) {
    return List.of(
        Unreachable.recorded(
            inventory,
            target,
            "cannot connect to target " + target + ": " + cause.detail(),
            cause,
            now));
  }

  /** The tables the configured jobs on a target update: health checks the role may. */
  static List<String> updatedTables(List<JobDefinition> jobs) {
    return jobs.stream().flatMap(j -> j.kind().updatedTables(j).stream()).distinct().toList();
  }

  private record Identity(String version, int versionNum, boolean inRecovery, String role) {}

  static Observation observe(Jdbc jdbc, Connection c, Instant now, List<String> tieredTables) {
    Identity id =
        jdbc.query(
                c,
                SqlFile.load("probes/server_identity"),
                rs ->
                    new Identity(
                        rs.getString("server_version"),
                        rs.getInt("server_version_num"),
                        rs.getBoolean("in_recovery"),
                        rs.getString("role")))
            .get(0);
    Map<String, Observation.ExtensionStatus> extensions = new LinkedHashMap<>();
    jdbc.query(
        c,
        SqlFile.load("probes/extensions"),
        rs ->
            extensions.put(
                rs.getString("name"),
                new Observation.ExtensionStatus(
                    rs.getString("installed_version"),
                    rs.getString("available_version"),
                    (Boolean) rs.getObject("preloaded"))));
    Map<String, Boolean> roles = new LinkedHashMap<>();
    jdbc.query(
        c,
        SqlFile.load("probes/role_memberships"),
        rs -> roles.put(rs.getString("role"), rs.getBoolean("member")));
    return new Observation(
        id.version(),
        id.versionNum(),
        id.inRecovery(),
        id.role(),
        extensions,
        roles,
        indexRows(jdbc, c, now),
        updatable(jdbc, c, tieredTables));
  }

  /** Every vector index with what the role may do to it, partitions grouped under their parent. */
  private static List<Observation.IndexRow> indexRows(Jdbc jdbc, Connection c, Instant now) {
    List<Observation.IndexRow> read =
        VectorIndexes.read(
            jdbc,
            c,
            VectorIndexes.ALL,
            rs ->
                new Observation.IndexRow(
                    index(rs, now),
                    rs.getBoolean("build_in_progress"),
                    rs.getBoolean("can_maintain"),
                    rs.getBoolean("can_select")));
    List<VectorIndex> grouped =
        VectorIndex.grouped(read.stream().map(Observation.IndexRow::index).toList());
    List<Observation.IndexRow> indexes = new ArrayList<>();
    for (int i = 0; i < read.size(); i++) {
      Observation.IndexRow r = read.get(i);
      indexes.add(
          new Observation.IndexRow(
              grouped.get(i), r.buildInProgress(), r.canMaintain(), r.canSelect()));
    }
    return indexes;
  }

  /** Whether the role may UPDATE each table a tiering job moves rows in (absent: no such table). */
  private static Map<String, Boolean> updatable(
      Jdbc jdbc, Connection c, List<String> tieredTables) {
    Map<String, Boolean> updatable = new LinkedHashMap<>();
    if (!tieredTables.isEmpty()) {
      jdbc.query(
          c,
          SqlFile.load("probes/table_privileges"),
          rs -> {
            if (rs.getBoolean("found")) {
              updatable.put(rs.getString("table_name"), rs.getBoolean("can_update"));
            }
            return null;
          },
          (Object) tieredTables.toArray(String[]::new));
    }
    return updatable;
  }

  private static VectorIndex index(ResultSet rs, Instant now) throws SQLException {
    int dims = rs.getInt("dimensions");
    Integer dimensions = rs.wasNull() ? null : dims;
    long rows = rs.getLong("rows");
    Long rowCount = rs.wasNull() ? null : rows;
    return new VectorIndex(
        rs.getString("schema_name"),
        rs.getString("index_name"),
        rs.getString("table_name"),
        rs.getString("column_name"),
        rs.getString("column_type"),
        dimensions,
        rs.getString("method"),
        rs.getString("opclass"),
        ObjectNames.options(rs.getString("options")),
        rs.getLong("size_bytes"),
        rs.getLong("table_bytes"),
        rowCount,
        rs.getBoolean("valid"),
        rs.getString("definition"),
        now,
        null,
        null,
        null,
        null,
        rs.getBoolean("partitioned") ? VectorIndexes.leafIndexes(rs) : null);
  }

  /** What a health run saw: the server, its extensions and roles, and its vector indexes. */
  public record HealthSummary(
      boolean reachable,
      String serverVersion,
      boolean inRecovery,
      String role,
      String pgvector,
      Map<String, Observation.ExtensionStatus> extensions,
      Map<String, Boolean> roles,
      List<IndexSeen> vectorIndexes)
      implements JobSummary {}

  /** One vector index as the summary lists it. */
  public record IndexSeen(
      String index,
      String table,
      String column,
      String method,
      String opclass,
      Map<String, String> options,
      long sizeBytes,
      Long rows,
      boolean valid,
      @JsonInclude(JsonInclude.Include.NON_NULL) String partitionOf,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> partitions) {
    static IndexSeen of(VectorIndex i) {
      return new IndexSeen(
          i.qualifiedName(),
          i.table(),
          i.column(),
          i.method(),
          i.opclass(),
          i.options(),
          i.sizeBytes(),
          i.rows(),
          i.valid(),
          i.partitionOf(),
          i.partitions());
    }
  }

  private static HealthSummary summary(Observation o) {
    Observation.ExtensionStatus v = o.extensions().get("vector");
    return new HealthSummary(
        true,
        o.serverVersion(),
        o.inRecovery(),
        o.role(),
        v == null ? null : v.installed(),
        o.extensions(),
        o.roles(),
        o.indexes().stream().map(row -> IndexSeen.of(row.index())).toList());
  }
}
