package io.pgvectorops.jobs.health;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.jobs.Finding;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.InventoryStore;
import io.pgvectorops.target.VectorIndex;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per target: reachable or not, versions, the extensions and privileges the configured jobs need,
 * and the inventory of vector indexes. Read-only.
 */
public class HealthJob implements Job {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HealthParams params;
  private final InventoryStore inventory;

  HealthJob(HealthParams params, InventoryStore inventory) {
    this.params = params;
    this.inventory = inventory;
  }

  @Override
  public JobResult run(JobContext ctx) {
    Instant now = ctx.clock().instant();
    Observation o =
        observe(
            ctx.target().jdbc(),
            ctx.connection(),
            now,
            tieredTables(ctx.catalog().forTarget(ctx.target().name())));
    List<Finding> findings =
        HealthFindings.of(
            ctx.target().name(),
            o,
            params.minPgvectorVersion,
            ctx.catalog().forTarget(ctx.target().name()));
    Observation.ExtensionStatus vector = o.extensions().get("vector");
    inventory.saveReachable(
        ctx.target().name(),
        now,
        o.serverVersion(),
        o.serverVersionNum(),
        o.inRecovery(),
        vector == null ? null : vector.installed(),
        vector == null ? null : vector.available(),
        new LinkedHashMap<>(o.extensions()),
        o.indexes().stream().map(Observation.IndexRow::index).toList());
    return JobResult.succeeded(summary(o), findings);
  }

  @Override
  public List<Finding> whenUnreachable(String target, DbException cause, Instant now) {
    String message = "cannot connect to target " + target + ": " + cause.detail();
    inventory.saveUnreachable(target, now, message);
    return List.of(
        Finding.critical(
            target,
            "target-unreachable",
            message,
            Map.of("sqlState", String.valueOf(cause.sqlState()))));
  }

  /** The tables the tiering jobs on a target change: health checks the role may. */
  static List<String> tieredTables(List<io.pgvectorops.jobs.JobDefinition> jobs) {
    return jobs.stream()
        .filter(j -> j.kind().name().equals("tiering"))
        .flatMap(j -> j.params(io.pgvectorops.jobs.tiering.TieringParams.class).tables.stream())
        .map(t -> t.table)
        .distinct()
        .toList();
  }

  static Observation observe(Jdbc jdbc, Connection c, Instant now, List<String> tieredTables) {
    record Identity(String version, int versionNum, boolean inRecovery, String role) {}
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
                    rs.getBoolean("preloaded"))));
    Map<String, Boolean> roles = new LinkedHashMap<>();
    jdbc.query(
        c,
        SqlFile.load("probes/role_memberships"),
        rs -> roles.put(rs.getString("role"), rs.getBoolean("member")));
    List<Observation.IndexRow> indexes =
        jdbc.query(
            c,
            SqlFile.load("probes/vector_indexes"),
            rs ->
                new Observation.IndexRow(
                    index(rs, now),
                    rs.getBoolean("build_in_progress"),
                    rs.getBoolean("can_maintain"),
                    rs.getBoolean("can_select")));
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
    return new Observation(
        id.version(),
        id.versionNum(),
        id.inRecovery(),
        id.role(),
        extensions,
        roles,
        indexes,
        updatable);
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
        options(rs.getString("options")),
        rs.getLong("size_bytes"),
        rs.getLong("table_bytes"),
        rowCount,
        rs.getBoolean("valid"),
        rs.getString("definition"),
        now,
        null,
        null,
        null);
  }

  /** schema.name as shown in findings and the API (not quoted: for people, not for SQL). */
  public static String qualified(String schema, String name) {
    return schema + "." + name;
  }

  /** reloptions come as ["m=16","ef_construction=64"]. */
  public static Map<String, String> options(String json) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try {
      for (String kv : JSON.readValue(json, new TypeReference<List<String>>() {})) {
        int eq = kv.indexOf('=');
        out.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
      }
    } catch (java.io.IOException e) {
      throw new SQLException("unreadable reloptions " + json, e);
    }
    return out;
  }

  private static Map<String, Object> summary(Observation o) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("reachable", true);
    s.put("serverVersion", o.serverVersion());
    s.put("inRecovery", o.inRecovery());
    s.put("role", o.role());
    Observation.ExtensionStatus v = o.extensions().get("vector");
    s.put("pgvector", v == null ? null : v.installed());
    s.put("extensions", o.extensions());
    s.put("roles", o.roles());
    List<Map<String, Object>> indexes = new ArrayList<>();
    for (Observation.IndexRow row : o.indexes()) {
      VectorIndex i = row.index();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", i.qualifiedName());
      m.put("table", i.table());
      m.put("column", i.column());
      m.put("method", i.method());
      m.put("opclass", i.opclass());
      m.put("options", i.options());
      m.put("sizeBytes", i.sizeBytes());
      m.put("rows", i.rows());
      m.put("valid", i.valid());
      indexes.add(m);
    }
    s.put("vectorIndexes", indexes);
    return s;
  }
}
