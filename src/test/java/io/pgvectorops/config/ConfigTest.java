package io.pgvectorops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.util.Duration;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private static String substitute(String yaml, Map<String, String> env) throws Exception {
    var provider =
        new EnvSubstitutingSourceProvider(
            path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), env::get);
    return new String(provider.open("ops.yml").readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void substitutesVariablesAndDefaults() throws Exception {
    String out =
        substitute("user: ${U}\nport: ${P:-5432}\n# ignored: ${NOT_SET}\n", Map.of("U", "ops"));
    assertThat(out).contains("user: ops").contains("port: 5432");
  }

  @Test
  void missingVariableNamesFileLineAndKey() {
    assertThatThrownBy(
            () -> substitute("targets:\n  - name: a\n    password: ${SECRET_X}\n", Map.of()))
        .isInstanceOf(ConfigError.class)
        .hasMessage("ops.yml: line 3, key 'password': environment variable SECRET_X is not set");
  }

  @Test
  void aSecretWrittenOutIsNamedAndAnEmptyOrReferencedOneIsNot() {
    assertThat(EnvSubstitutingSourceProvider.clearSecretKey("    password: plain-4711"))
        .isEqualTo("password");
    assertThat(EnvSubstitutingSourceProvider.clearSecretKey("  - token: \"abc\""))
        .isEqualTo("token");
    for (String quiet :
        new String[] {
          "  token: \"\"",
          "  token: ''",
          "  token: ~",
          "  token: null  # set per host",
          "  token:",
          "  password: ${DB_PASSWORD}",
          "  password: \"${DB_PASSWORD}\"",
          "  passwordFile: /etc/pgvector-ops/db.password"
        }) {
      assertThat(EnvSubstitutingSourceProvider.clearSecretKey(quiet)).as(quiet).isNull();
    }
  }

  /** config.yml's errors read as a job file's do: file, key path, problem; no Java names. */
  @Test
  void configErrorsHaveTheFormOfEveryFileError() {
    String target = "targets:\n  - name: a\n    url: jdbc:postgresql://db/x\n    user: u\n";
    assertThat(readError(target + "    lockTimeout: 1 fortnight\n"))
        .isEqualTo(
            "ops.yml: key 'targets[0].lockTimeout': expected a duration such as 30s, 15m or 2h,"
                + " got '1 fortnight'");
    assertThat(readError(target + "    nme: b\n"))
        .startsWith("ops.yml: key 'targets[0].nme': unknown key (known here: ");
    assertThat(readError(target + "    maxConnections: 0\n    statementTimeout: 0s\n"))
        .contains("ops.yml: key 'targets[0].maxConnections': must be greater than or equal to 1")
        .doesNotContain("has an error");
    // rules of the whole file have no key; each problem is a line of its own
    assertThat(readError("targets: []\n").split("\n"))
        .containsExactly(
            "ops.yml: lists no targets: give targets, targetFiles or both",
            "ops.yml: names no state database: without targets written in this file, set"
                + " state.url (the state database defaults to the first target's)");
  }

  private static String readError(String yaml) {
    var factory =
        new OperatorConfigurationFactory<>(
            OpsConfiguration.class,
            io.dropwizard.jersey.validation.Validators.newValidator(),
            io.dropwizard.jackson.Jackson.newObjectMapper()
                .enable(
                    com.fasterxml.jackson.databind.DeserializationFeature
                        .FAIL_ON_UNKNOWN_PROPERTIES),
            "dw");
    try {
      factory.build(
          path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "ops.yml");
      throw new AssertionError("no error for " + yaml);
    } catch (ConfigError e) {
      assertThat(e.getMessage()).doesNotContain("io.pgvectorops").doesNotContain("java.");
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static OpsConfiguration oneTarget() {
    OpsConfiguration c = new OpsConfiguration();
    TargetConfig t = new TargetConfig();
    t.name = "prod";
    t.url = "jdbc:postgresql://db/x";
    t.user = "ops";
    c.targets.add(t);
    return c;
  }

  @Test
  void crossFieldRulesNameTheTargetAndKey() {
    OpsConfiguration c = oneTarget();
    TargetConfig t = c.targets.get(0);
    t.password = "p";
    t.passwordFile = "/run/p";
    t.lockTimeout = Duration.seconds(90);
    c.api.token = "short";
    assertThatThrownBy(() -> ConfigChecks.check(c, "ops.yml"))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining(
            "ops.yml: key 'targets[0] (prod)': sets both password and passwordFile")
        .hasMessageContaining(
            "ops.yml: key 'targets[0] (prod).lockTimeout': must be shorter than statementTimeout")
        .hasMessageContaining("ops.yml: key 'api.token': must be at least 16 characters");
    OpsConfiguration urlSecret = oneTarget();
    urlSecret.targets.get(0).url = "jdbc:postgresql://db/x?user=a&password=hunter2";
    assertThatThrownBy(() -> ConfigChecks.check(urlSecret, "ops.yml"))
        .hasMessageContaining(".url': carries a password")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void anEmptyTokenFromAnUnsetVariableMeansNoToken() {
    OpsConfiguration c = oneTarget();
    c.api.token = "";
    ConfigChecks.check(c, "ops.yml");
    assertThat(c.api.enabled()).isFalse();
    assertThat(EffectiveConfig.describe(c)).contains("tokens none (mutating endpoints disabled)");
  }

  @Test
  void effectiveConfigNeverShowsSecrets() {
    OpsConfiguration c = oneTarget();
    c.targets.get(0).password = "s3cret-pass";
    c.api.token = "token-token-token-token";
    String line = EffectiveConfig.describe(c);
    assertThat(line)
        .contains("password=****")
        .contains("tokens [api.token (operator)]")
        .doesNotContain("s3cret-pass")
        .doesNotContain("token-token-token-token");
  }
}
