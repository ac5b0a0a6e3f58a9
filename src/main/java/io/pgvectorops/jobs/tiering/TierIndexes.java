package io.pgvectorops.jobs.tiering;

import static io.pgvectorops.sql.Identifiers.quote;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.tiering.TieringParams.TieredTable;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.targets.DdlSession;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Each tier's partial vector index ({@code WHERE tier = N}): found, built CONCURRENTLY where the
 * job may, or a finding with the statement that builds it.
 */
final class TierIndexes {
  private final TieringParams p;

  TierIndexes(TieringParams p) {
    this.p = p;
  }

  private record PartialIndex(
      String name, String column, String opclass, String method, String predicate, boolean valid) {}

  List<TieringJob.TierIndex> indexes(
      JobContext ctx,
      Jdbc jdbc,
      Connection c,
      TieredTable t,
      String table,
      List<Finding> findings) {
    List<PartialIndex> all =
        jdbc.query(
            c,
            SqlFile.load("probes/partial_vector_indexes"),
            rs ->
                new PartialIndex(
                    rs.getString("index_name"),
                    rs.getString("column_name"),
                    rs.getString("opclass"),
                    rs.getString("method"),
                    rs.getString("predicate"),
                    rs.getBoolean("valid")),
            table);
    String opclass = all.stream().map(PartialIndex::opclass).findFirst().orElse("vector_l2_ops");
    String method = all.stream().map(PartialIndex::method).findFirst().orElse("hnsw");
    List<TieringJob.TierIndex> out = new ArrayList<>();
    for (Map.Entry<String, Integer> tier : t.tiers.entrySet()) {
      PartialIndex found = covering(all, t, tier.getValue());
      if (found != null && found.valid()) {
        out.add(new TieringJob.TierIndex(tier.getKey(), found.name(), null, null, null));
        continue;
      }
      SqlFile create =
          SqlFile.load("ddl/create_tier_index")
              .with("table", table)
              .with("method", method)
              .with("column", quote(t.vectorColumn))
              .with("opclass", opclass)
              .with("tier_column", quote(t.tierColumn))
              .with("tier", String.valueOf(tier.getValue()));
      TieringJob.TierIndex missing = createMissing(ctx, tier.getKey(), create);
      out.add(missing);
      if (missing.created() == null) {
        findings.add(missingIndex(t, tier.getKey(), found != null, create.statement()));
      }
    }
    return out;
  }

  /** A tier's missing index, built where the job may (CONCURRENTLY), else its statement. */
  private TieringJob.TierIndex createMissing(JobContext ctx, String tier, SqlFile create) {
    String statement = create.statement();
    String createFailed = null;
    if (p.createMissingIndexes && !ctx.dryRun()) {
      try {
        DdlSession.run(
            ctx.target(),
            new DdlSession.Settings(
                Duration.ofMillis(ctx.target().config().lockTimeout.toMilliseconds()),
                Duration.ZERO,
                null,
                null),
            create,
            pid -> DdlSession.Watch.NONE);
        return new TieringJob.TierIndex(tier, null, statement, null, null);
      } catch (DbException e) {
        createFailed = e.detail();
      }
    }
    return new TieringJob.TierIndex(tier, null, null, createFailed, statement);
  }

  private static PartialIndex covering(List<PartialIndex> all, TieredTable t, int tierValue) {
    Pattern covers =
        Pattern.compile(
            "\\(?\\s*"
                + Pattern.quote(t.tierColumn)
                + "\\s*=\\s*\\(?'?"
                + tierValue
                + "'?\\)?(::\\w+)?\\s*\\)?");
    return all.stream()
        .filter(
            i ->
                t.vectorColumn.equals(i.column())
                    && i.predicate() != null
                    && covers.matcher(i.predicate()).matches())
        .findFirst()
        .orElse(null);
  }

  private static Finding missingIndex(
      TieredTable t, String tier, boolean invalidOne, String statement) {
    return Finding.warning(
        t.table + " tier " + tier,
        TieringJob.TIER_INDEX_MISSING,
        "tier "
            + tier
            + " of "
            + t.table
            + " has no "
            + (invalidOne ? "valid " : "")
            + "partial vector index, so searches"
            + " within it scan or use a full index: "
            + statement
            + ";",
        Map.of("tier", tier, "statement", statement));
  }
}
