package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * TLS to a target or to the state database: libpq's sslmode, sslrootcert, sslcert, sslkey and
 * sslpassword under names of our own, given to the driver. Files may be bare names of systemd
 * credentials.
 */
public class TlsConfig {
  /** libpq's sslmode values. */
  public enum Mode {
    @JsonProperty("disable")
    DISABLE("disable"),
    @JsonProperty("allow")
    ALLOW("allow"),
    @JsonProperty("prefer")
    PREFER("prefer"),
    @JsonProperty("require")
    REQUIRE("require"),
    @JsonProperty("verify-ca")
    VERIFY_CA("verify-ca"),
    @JsonProperty("verify-full")
    VERIFY_FULL("verify-full");

    private final String sslmode;

    Mode(String sslmode) {
      this.sslmode = sslmode;
    }

    public String sslmode() {
      return sslmode;
    }

    /** Whether the server's certificate is checked against rootCert (and, full, its host name). */
    public boolean verifies() {
      return this == VERIFY_CA || this == VERIFY_FULL;
    }

    @Override
    public String toString() {
      return sslmode;
    }
  }

  /** TLS settings ready for the driver: files resolved and readable. Never logged whole. */
  public record Resolved(Mode mode, Path rootCert, Path cert, Path key, String keyPassword) {}

  @JsonProperty public Mode mode;

  /** The CA certificate(s) (PEM) the server's certificate must chain to; verify modes need it. */
  @JsonProperty public String rootCert;

  /** A client certificate (PEM) for certificate authentication. */
  @JsonProperty public String cert;

  /** Its key: PKCS#8 DER (.pk8), or PKCS#12 (.p12) holding both. */
  @JsonProperty public String key;

  @JsonProperty public String keyPassword;

  @JsonProperty public String keyPasswordFile;

  /** Errors in these settings, each naming {@code key} (e.g. {@code targets[0] (prod).tls}). */
  void check(String at, String url, List<String> errors) {
    if (mode == null) {
      errors.add(
          at + ".mode: is missing (disable, allow, prefer, require, verify-ca, verify-full)");
      return;
    }
    if (mode.verifies() && rootCert == null) {
      errors.add(
          at
              + ".rootCert: is needed with mode "
              + mode
              + " (the CA certificate the server's certificate must chain to)");
    }
    if ((cert == null) != (key == null)) {
      errors.add(at + ": cert and key go together; set both or neither");
    }
    if (keyPassword != null && keyPasswordFile != null) {
      errors.add(at + ": sets both keyPassword and keyPasswordFile; use one");
    }
    if (url != null && url.toLowerCase(Locale.ROOT).matches(".*[?&]ssl[a-z]*=.*")) {
      errors.add(at + ": the url sets ssl parameters too; set TLS in one place");
    }
    for (String[] f : new String[][] {{"rootCert", rootCert}, {"cert", cert}, {"key", key}}) {
      if (f[1] != null && !Files.isReadable(Credentials.path(f[1]))) {
        errors.add(at + "." + f[0] + ": cannot read " + Credentials.path(f[1]));
      }
    }
  }

  /**
   * @param key e.g. {@code targets[0]}, for messages
   */
  public Resolved resolve(String source, String key) {
    return new Resolved(
        mode,
        rootCert == null ? null : Credentials.path(rootCert),
        cert == null ? null : Credentials.path(cert),
        this.key == null ? null : Credentials.path(this.key),
        Credentials.secret(keyPassword, keyPasswordFile, source, key + ".tls.keyPasswordFile"));
  }
}
