package io.pgvectorops.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.TargetConfig;
import io.pgvectorops.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolving a fleet: a server's databases but templates and the state database, target files, and
 * what a broken file or an unreachable server leaves in place.
 */
class FleetResolveTest {
  @TempDir Path dir;

  private static TargetConfig entry(String name, String url, TestPostgres.Database db) {
    TargetConfig t = new TargetConfig();
    t.name = name;
    t.url = url;
    t.user = db.user();
    t.password = db.password();
    t.databases = "all";
    t.labels.put("env", "prod");
    return t;
  }

  private OpsConfiguration config(TargetConfig... entries) {
    OpsConfiguration c = new OpsConfiguration();
    c.targets.addAll(java.util.List.of(entries));
    c.sourceFile = dir.resolve("config.yml").toString();
    return c;
  }

  @Test
  void aServerGivesItsDatabasesButTemplatesAndTheStateDatabase() throws Exception {
    TestPostgres.Database a = TestPostgres.newDatabase("fleetres");
    TestPostgres.Database b = TestPostgres.newDatabase("fleetres");
    String server = "jdbc:postgresql://" + a.host() + ":" + a.port();
    TargetConfig e = entry("srv", server + "/postgres", a);
    // everything but ours and the templates is left out by the entry; templates by the rule
    e.exclude = "(?!fleetres_|template).*";
    OpsConfiguration config = config(e);
    config.state.url = b.url();
    Fleet.Resolved r = Fleet.resolve(config, Fleet.Resolved.NONE);
    assertThat(r.problems()).isEmpty();
    assertThat(r.names()).contains("srv/" + a.name()).doesNotContain("srv/" + b.name());
    assertThat(r.names()).allMatch(n -> n.startsWith("srv/fleetres_"));
    TargetConfig t =
        r.targets().stream()
            .filter(x -> x.name.equals("srv/" + a.name()))
            .findFirst()
            .orElseThrow();
    assertThat(t.url).isEqualTo(a.url());
    assertThat(t.labels).containsEntry("env", "prod");
    assertThat(t.discoveredBy).isEqualTo("srv");
    assertThat(config.fleet()).isEqualTo(r.targets());
  }

  @Test
  void aBrokenFileIsNamedTheOthersLoadAndWhatItGaveBeforeStays() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("fleetfiles");
    Files.createDirectories(dir.resolve("t.d"));
    String one = "- name: one\n  url: " + db.url() + "\n  user: " + db.user() + "\n";
    Files.writeString(dir.resolve("t.d/a.yml"), one);
    Files.writeString(
        dir.resolve("t.d/b.yml"), one.replace("one", "two") + "  labels: {team: search}\n");
    OpsConfiguration config = config();
    config.targetFiles.add("t.d/*.yml");
    Fleet.Resolved first = Fleet.resolve(config, Fleet.Resolved.NONE);
    assertThat(first.names()).containsExactly("one", "two");
    assertThat(first.problems()).isEmpty();

    Files.writeString(
        dir.resolve("t.d/b.yml"),
        "- name: two\n  url: " + db.url() + "\n  lockTimeout: 1 fortnight\n");
    Files.writeString(dir.resolve("t.d/c.yml"), one.replace("one", "three"));
    Fleet.Resolved second = Fleet.resolve(config, first);
    assertThat(second.names()).containsExactly("one", "two", "three");
    assertThat(second.problems()).hasSize(1);
    assertThat(second.problems().get(0))
        .contains("b.yml")
        .contains("lockTimeout")
        .contains("read before stay");
    assertThat(second.targets().get(1).labels).containsEntry("team", "search");

    // at start there is nothing before: the broken file gives nothing, the others load
    Fleet.Resolved fresh = Fleet.resolve(config, Fleet.Resolved.NONE);
    assertThat(fresh.names()).containsExactly("one", "three");

    Files.writeString(dir.resolve("t.d/c.yml"), one.replace("one", "three") + one);
    Fleet.Resolved dup = Fleet.resolve(config, fresh);
    assertThat(dup.problems())
        .anyMatch(p -> p.contains("c.yml") && p.contains("'one' is already used"));
  }

  @Test
  void anEntryInATargetFileKeepsItsDatabasesWhileItsServerIsDown() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("fleetfiledown");
    String entry =
        "- name: srv\n  url: jdbc:postgresql://%s/postgres\n  user: "
            + db.user()
            + "\n  databases: all\n  include: "
            + db.name()
            + "\n  connectTimeout: 2s\n  labels: {env: prod}\n";
    Files.writeString(
        dir.resolve("tenants.yml"), String.format(entry, db.host() + ":" + db.port()));
    OpsConfiguration config = config();
    config.state.url = db.url().replace(db.name(), "postgres");
    config.targetFiles.add("tenants.yml");
    Fleet.Resolved up = Fleet.resolve(config, Fleet.Resolved.NONE);
    assertThat(up.names()).containsExactly("srv/" + db.name());
    assertThat(up.targets().get(0).labels).containsEntry("env", "prod");

    Files.writeString(
        dir.resolve("tenants.yml"), String.format(entry, "127.0.0.1:" + TestPostgres.closedPort()));
    Fleet.Resolved down = Fleet.resolve(config, up);
    assertThat(down.names()).containsExactly("srv/" + db.name());
    assertThat(down.problems())
        .singleElement()
        .asString()
        .contains("tenants.yml")
        .contains("read before stay");

    // the file broken as well: its entry's databases still stay
    Files.writeString(dir.resolve("tenants.yml"), "- name: srv\n  nonsense: 1\n");
    Fleet.Resolved broken = Fleet.resolve(config, down);
    assertThat(broken.names()).containsExactly("srv/" + db.name());
    assertThat(broken.problems())
        .singleElement()
        .asString()
        .contains("key '[0].nonsense': unknown key");
  }

  @Test
  void anUnreachableServerKeepsTheDatabasesListedBefore() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("fleetdown");
    TargetConfig e =
        entry("srv", "jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres", db);
    e.include = db.name();
    OpsConfiguration config = config(e);
    config.state.url = db.url().replace(db.name(), "postgres");
    Fleet.Resolved up = Fleet.resolve(config, Fleet.Resolved.NONE);
    assertThat(up.names()).containsExactly("srv/" + db.name());
    e.url = "jdbc:postgresql://127.0.0.1:" + TestPostgres.closedPort() + "/postgres";
    e.connectTimeout = io.dropwizard.util.Duration.seconds(2);
    Fleet.Resolved down = Fleet.resolve(config, up);
    assertThat(down.names()).containsExactly("srv/" + db.name());
    assertThat(down.problems())
        .singleElement()
        .asString()
        .contains("cannot list the server's databases");
  }
}
