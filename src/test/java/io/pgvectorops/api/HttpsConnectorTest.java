package io.pgvectorops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.pgvectorops.PgvectorOpsApplication;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.TestPostgres;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations guide's way (docs/operations.md) to expose the API beyond loopback without a
 * proxy: Dropwizard's https connector, here with a self-signed certificate made by keytool. A
 * client that trusts the certificate gets the API and the dashboard; plain HTTP on that port and a
 * client that does not trust it get nothing.
 */
class HttpsConnectorTest {
  static final String STORE_PASSWORD = "store-password-for-the-test";

  @TempDir Path dir;

  @Test
  void theApiAnswersOverTlsWithTheConfiguredCertificate() throws Exception {
    Path store = dir.resolve("pgvector-ops.p12");
    Process keytool =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair",
                    "-alias",
                    "pgvector-ops",
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-validity",
                    "2",
                    "-dname",
                    "CN=localhost",
                    "-ext",
                    "SAN=ip:127.0.0.1,dns:localhost",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    store.toString(),
                    "-storepass",
                    STORE_PASSWORD,
                    "-keypass",
                    STORE_PASSWORD))
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor()).as(out).isZero();

    TestPostgres.Database db = TestPostgres.newDatabase("https");
    OpsFiles f = new OpsFiles(dir);
    f.writeConfig(
        OpsFiles.target("main", db),
        OpsFiles.state(db, "https_state") + "scheduler:\n  name: https\n");
    f.job("health.yml", "name: health\nkind: health\nschedule: '0 0 0 1 1 ?'\n");
    String https =
        "applicationConnectors: [{type: https, bindHost: 127.0.0.1, port: 0, keyStoreType: PKCS12,"
            + " keyStorePath: "
            + store
            + ", keyStorePassword: "
            + STORE_PASSWORD
            + ", validateCerts: false}]";
    Files.writeString(
        f.config(),
        Files.readString(f.config())
            .replace("applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]", https));

    DropwizardTestSupport<OpsConfiguration> app =
        new DropwizardTestSupport<>(
            PgvectorOpsApplication.class,
            f.config().toString(),
            ConfigOverride.config("jobsDirectory", dir.resolve("jobs").toString()));
    app.before();
    try {
      int port = app.getLocalPort();
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        trusted.load(in, STORE_PASSWORD.toCharArray());
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      HttpClient client = HttpClient.newBuilder().sslContext(tls).build();

      HttpResponse<String> status =
          client.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/status"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(status.statusCode()).isEqualTo(200);
      assertThat(status.body()).contains("\"scheduler\"");
      assertThat(status.sslSession())
          .hasValueSatisfying(s -> assertThat(s.getProtocol()).startsWith("TLSv1."));
      HttpResponse<String> page =
          client.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);

      // a client that does not trust this certificate is refused at the handshake
      assertThatThrownBy(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(
                                  URI.create("https://localhost:" + port + "/api/status"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      // plain HTTP on the TLS port gets no API answer
      HttpResponse<String> plain;
      try {
        plain =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isNotEqualTo(200);
      } catch (java.io.IOException refused) {
        // Jetty closes the connection: also fine
      }
    } finally {
      app.after();
    }
  }
}
