package io.pgvectorops.targets;

import io.pgvectorops.config.TlsConfig;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;

/**
 * What `check` says of a connection's TLS: whether the server reports the session encrypted
 * (pg_stat_ssl) and whether the driver verified the server's certificate (the verify modes; a
 * session exists only if it did).
 */
public final class SessionTls {
  /** One session's TLS as pg_stat_ssl reports it. */
  public record Observed(boolean encrypted, String version, String cipher, int bits) {}

  private SessionTls() {}

  public static Observed observe(Jdbc jdbc) {
    return jdbc.queryOne(
            SqlFile.load("probes/session_tls"),
            rs ->
                new Observed(
                    rs.getBoolean("ssl"),
                    rs.getString("version"),
                    rs.getString("cipher"),
                    rs.getInt("bits")))
        .orElse(new Observed(false, null, null, 0));
  }

  /**
   * @param tls the settings the session was opened with; null: the driver's default (prefer)
   */
  public static String describe(Observed o, TlsConfig tls) {
    TlsConfig.Mode mode = tls == null ? TlsConfig.Mode.PREFER : tls.mode;
    if (!o.encrypted()) {
      return "not encrypted (sslmode " + mode + (tls == null ? ", no tls settings" : "") + ")";
    }
    String how = "encrypted (" + o.version() + ", " + o.cipher() + ", " + o.bits() + " bits), ";
    return how
        + switch (mode) {
          case VERIFY_FULL ->
              "server certificate verified against tls.rootCert, host name included (verify-full)";
          case VERIFY_CA ->
              "server certificate verified against tls.rootCert, host name not checked (verify-ca)";
          default ->
              "server certificate NOT verified (sslmode "
                  + mode
                  + (tls == null ? ", no tls settings" : "")
                  + "): use verify-full to know the server is the one meant";
        };
  }
}
