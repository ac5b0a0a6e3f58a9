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
        .hasMessageContaining("ops.yml has 3 errors")
        .hasMessageContaining("targets[0] (prod): sets both password and passwordFile")
        .hasMessageContaining(
            "targets[0] (prod).lockTimeout: must be shorter than statementTimeout")
        .hasMessageContaining("api.token: must be at least 16 characters");
    OpsConfiguration urlSecret = oneTarget();
    urlSecret.targets.get(0).url = "jdbc:postgresql://db/x?user=a&password=hunter2";
    assertThatThrownBy(() -> ConfigChecks.check(urlSecret, "ops.yml"))
        .hasMessageContaining(".url: carries a password")
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
