package io.pgvectorops.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.testing.Daemon;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.OwnCluster;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to a cluster started with ssl=on and a certificate from a CA made here (openssl): verify-full
 * with the right CA succeeds and `check` shows the session encrypted and verified; another CA or a
 * host name the certificate does not name fails with a message naming the target; a client
 * certificate given as a systemd credential logs in where pg_hba.conf asks for one.
 */
@Slow
class TlsTest {
  static OwnCluster cluster;
  static TestPostgres.Database db;
  static Path certs;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    certs = Files.createTempDirectory("tls-test-certs");
    Files.writeString(certs.resolve("server.ext"), "subjectAltName=DNS:localhost\n");
    Files.writeString(certs.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    selfSigned("ca", "test CA");
    selfSigned("other", "other CA");
    signed("server", "localhost");
    signed("client", "certuser");
    // the driver reads a client key as PKCS#8 DER
    openssl(
        "pkcs8",
        "-topk8",
        "-inform",
        "PEM",
        "-outform",
        "DER",
        "-nocrypt",
        "-in",
        "client.key",
        "-out",
        "client.pk8");
    cluster = OwnCluster.start();
    cluster.configure(
        Map.of(
            "server.crt", certs.resolve("server.crt"),
            "server.key", certs.resolve("server.key"),
            "root.crt", certs.resolve("ca.crt")),
        List.of(
            "ssl = on",
            "ssl_cert_file = 'server.crt'",
            "ssl_key_file = 'server.key'",
            "ssl_ca_file = 'root.crt'"),
        // the role certuser logs in only with a client certificate of the test CA
        List.of("hostssl all certuser 127.0.0.1/32 cert", "host all certuser 127.0.0.1/32 reject"));
    db = cluster.newDatabase("tls");
    db.execute("CREATE ROLE certuser LOGIN", "GRANT pg_monitor TO certuser");
  }

  private static void selfSigned(String name, String cn) throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=" + cn,
        "-keyout",
        name + ".key",
        "-out",
        name + ".crt");
  }

  /** A key and a certificate for {@code cn} signed by the test CA, with {@code name}.ext. */
  private static void signed(String name, String cn) throws Exception {
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + cn,
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr");
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        name + ".ext",
        "-out",
        name + ".crt");
  }

  private static void openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(certs.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  @AfterAll
  static void stop() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String target(String name, String host, String user, String tls) {
    return "  - name: "
        + name
        + "\n    url: jdbc:postgresql://"
        + host
        + ":"
        + db.port()
        + "/"
        + db.name()
        + "\n    user: "
        + user
        + "\n    connectTimeout: 5s\n    tls:\n"
        + tls;
  }

  private Daemon.Result check(String targets, String state, Map<String, String> env)
      throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config = f.writeConfig(targets, state);
    f.job("health.yml", "name: health\nkind: health\nschedule: '0 0 0 1 1 ?'\n");
    return Daemon.run(dir, env, "check", config.toString());
  }

  @Test
  void verifyFullWithTheRightCaConnectsAndCheckShowsTheSessionEncryptedAndVerified()
      throws Exception {
    String verifyFull = "mode: verify-full\nrootCert: " + certs.resolve("ca.crt") + "\n";
    Daemon.Result r =
        check(
            target("main", "localhost", "postgres", verifyFull.replaceAll("(?m)^", "      ")),
            "state:\n  url: jdbc:postgresql://localhost:"
                + db.port()
                + "/"
                + db.name()
                + "\n  user: postgres\n  schema: tls_state\n  tls:\n"
                + verifyFull.replaceAll("(?m)^(?=.)", "    "),
            Map.of());
    String out = r.stdout() + r.stderr();
    assertThat(r.exitCode()).as(out).isZero();
    assertThat(out)
        .contains("target main: PostgreSQL ")
        .containsPattern(
            "target main: .*\\n(  .*\\n)*  connection: encrypted \\(TLSv1\\.[23], [A-Z0-9_-]+, \\d+"
                + " bits\\), server certificate verified against tls.rootCert, host name included"
                + " \\(verify-full\\)")
        .containsPattern(
            "state database .*: ok\\n  connection: encrypted \\(TLSv1\\.[23], .*\\(verify-full\\)");
  }

  @Test
  void anotherCaOrAWrongHostNameFailsWithAMessageNamingTheTarget() throws Exception {
    String otherCa =
        "      mode: verify-full\n      rootCert: " + certs.resolve("other.crt") + "\n";
    String rightCa = "      mode: verify-full\n      rootCert: " + certs.resolve("ca.crt") + "\n";
    Daemon.Result r =
        check(
            target("other-ca", "localhost", "postgres", otherCa)
                + target("wrong-host", "127.0.0.1", "postgres", rightCa)
                + target("unverified", "127.0.0.1", "postgres", "      mode: require\n"),
            OpsFiles.state(db, "tls_state_2"),
            Map.of());
    String out = r.stdout() + r.stderr();
    assertThat(r.exitCode()).as(out).isNotZero();
    assertThat(out)
        .contains(
            "target other-ca: UNREACHABLE: target other-ca: TLS: the server's certificate is not"
                + " signed by a CA in tls.rootCert")
        .contains(
            "target wrong-host: UNREACHABLE: target wrong-host: TLS: the server's certificate does"
                + " not name the host 127.0.0.1 (sslmode verify-full)")
        .contains("target unverified: PostgreSQL ")
        .contains("server certificate NOT verified (sslmode require)")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  @Test
  void aClientCertificateFromSystemdCredentialsLogsIn() throws Exception {
    Path credentials = Files.createDirectories(dir.resolve("credentials"));
    for (String file : List.of("client.crt", "client.pk8", "ca.crt")) {
      Files.copy(certs.resolve(file), credentials.resolve(file));
    }
    String tls = "      mode: verify-full\n      rootCert: ca.crt\n";
    Daemon.Result r =
        check(
            target(
                    "with-cert",
                    "localhost",
                    "certuser",
                    tls + "      cert: client.crt\n      key: client.pk8\n")
                + target("without-cert", "localhost", "certuser", tls),
            OpsFiles.state(db, "tls_state_3"),
            Map.of("CREDENTIALS_DIRECTORY", credentials.toString()));
    String out = r.stdout() + r.stderr();
    assertThat(out)
        .containsPattern("target with-cert: PostgreSQL .*role certuser\n  connection: encrypted")
        .contains(
            "target without-cert: UNREACHABLE: target without-cert: FATAL: connection requires a"
                + " valid client certificate");
  }
}
