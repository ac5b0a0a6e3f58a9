package io.pgvectorops.jobs;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.targets.Target;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A kind of job (health, bloat, ...), declared in its own package as a constant and registered in
 * {@code kinds/JobKinds}: its name in job files, its parameters type, whether it writes, what it
 * needs on a target, the finding kinds it raises, and how to make a run of it. A kind that keeps
 * data declares that too: its store, its own tables, its API resource, its metrics, and the
 * contracts it provides to or uses from other kinds. Nothing outside the kind's package names it.
 */
public final class JobKind {
  /** Makes the work of one run; a new one per run. */
  @FunctionalInterface
  public interface Factory<P> {
    Job create(JobDefinition definition, P params, JobServices services);
  }

  private final String name;
  private final Class<?> paramsType;
  private final boolean writes;
  private final boolean runsAtStartup;
  private final boolean keepsRuns;
  private final Needs needs;
  private final List<FindingKind> findingKinds;
  private final List<String> fixes;
  private final Class<? extends JobSummary> summaryType;
  private final Factory<Object> factory;
  private final Function<Object, List<String>> updatedTables;
  private final Supplier<?> defaultParams;
  private final TargetInspector<Object> inspector;
  private final KindData data;

  private JobKind(Builder<?> b) {
    this.name = b.name;
    this.paramsType = b.paramsType;
    this.writes = b.writes;
    this.runsAtStartup = b.runsAtStartup;
    this.keepsRuns = b.keepsRuns;
    this.needs = b.needs;
    this.findingKinds = List.copyOf(b.findingKinds);
    this.fixes = List.copyOf(b.fixes);
    this.summaryType = b.summaryType;
    this.factory = b.erasedFactory();
    this.updatedTables = b.erasedUpdatedTables();
    this.defaultParams = b.defaultParams;
    this.inspector = b.erasedInspector();
    this.data = b.data;
  }

  public static <P> Builder<P> named(String name, Class<P> paramsType, Factory<P> factory) {
    return new Builder<>(name, paramsType, factory);
  }

  /** The kind of this name among {@code kinds}. */
  public static Optional<JobKind> find(List<JobKind> kinds, String name) {
    return kinds.stream().filter(k -> k.name.equals(name)).findFirst();
  }

  /** "health, bloat, ...": what a job file's {@code kind:} may say. */
  public static String names(List<JobKind> kinds) {
    return kinds.stream().map(JobKind::name).collect(Collectors.joining(", "));
  }

  public String name() {
    return name;
  }

  /** Jackson-bound parameters; unknown keys are errors. */
  public Class<?> paramsType() {
    return paramsType;
  }

  /** Write kinds change the target: they skip standbys and honour maintenance windows. */
  public boolean writes() {
    return writes;
  }

  /** Run once on each of its targets when the daemon starts, so their state is known at once. */
  public boolean runsAtStartup() {
    return runsAtStartup;
  }

  /** Its runs are never pruned by {@code state.runDays}: what they did stays shown. */
  public boolean keepsRuns() {
    return keepsRuns;
  }

  public Needs needs() {
    return needs;
  }

  public List<FindingKind> findingKinds() {
    return findingKinds;
  }

  /**
   * The finding kinds (of any kind, by name) a run of this kind can fix: the dashboard offers its
   * jobs, with a dry-run preview, beside such a finding. Checked against the installed kinds'
   * findings when the daemon starts.
   */
  public List<String> fixes() {
    return fixes;
  }

  /**
   * The record a run of this kind reports its work in; the dashboard shows a summary by its {@link
   * SummaryLayout}. Empty for a kind that declares none (a test's): its summaries are shown as they
   * come.
   */
  public Optional<Class<? extends JobSummary>> summaryType() {
    return Optional.ofNullable(summaryType);
  }

  /** Tables ("schema.table") a job of this kind updates, so health checks the role may. */
  public List<String> updatedTables(JobDefinition job) {
    return updatedTables.apply(job.params());
  }

  /** What this kind keeps in the state database and shows of it; {@link KindData#NONE} for most. */
  public KindData data() {
    return data;
  }

  public Job create(JobDefinition definition, JobServices services) {
    return factory.create(definition, definition.params(), services);
  }

  /**
   * Inspects a target for {@code check}, with the parameters of this kind's first job on it (or the
   * defaults); empty when this kind does not inspect targets.
   */
  public Optional<TargetInspector.Inspection> inspect(
      Target target, List<JobDefinition> jobs, Advisories advisories) {
    if (inspector == null) {
      return Optional.empty();
    }
    Object params =
        jobs.stream()
            .filter(j -> j.kind() == this)
            .map(JobDefinition::params)
            .findFirst()
            .orElseGet(defaultParams::get);
    return Optional.of(inspector.inspect(target, jobs, params, advisories));
  }

  @Override
  public String toString() {
    return name;
  }

  public static final class Builder<P> {
    private final String name;
    private final Class<P> paramsType;
    private final Factory<P> factory;
    private boolean writes;
    private boolean runsAtStartup;
    private boolean keepsRuns;
    private Needs needs = Needs.NOTHING;
    private List<FindingKind> findingKinds = List.of();
    private List<String> fixes = List.of();
    private Class<? extends JobSummary> summaryType;
    private Function<P, List<String>> updatedTables = p -> List.of();
    private Supplier<P> defaultParams;
    private TargetInspector<P> inspector;
    private KindData data = KindData.NONE;

    private Builder(String name, Class<P> paramsType, Factory<P> factory) {
      this.name = name;
      this.paramsType = paramsType;
      this.factory = factory;
    }

    public Builder<P> writes() {
      this.writes = true;
      return this;
    }

    public Builder<P> runsAtStartup() {
      this.runsAtStartup = true;
      return this;
    }

    /** Keeps the kind's runs past state.runDays (a rebuild is shown while its index lives). */
    public Builder<P> keepsRuns() {
      this.keepsRuns = true;
      return this;
    }

    public Builder<P> needs(Needs needs) {
      this.needs = needs;
      return this;
    }

    /** Names finding kinds a run of this kind fixes (by name: they may belong to another kind). */
    public Builder<P> fixes(String... findingKinds) {
      this.fixes = List.of(findingKinds);
      return this;
    }

    /** The record a run reports its work in (skips and progress aside): how it is shown. */
    public Builder<P> reports(Class<? extends JobSummary> summary) {
      this.summaryType = summary;
      return this;
    }

    public Builder<P> raises(FindingKind... kinds) {
      this.findingKinds = List.of(kinds);
      return this;
    }

    public Builder<P> updatesTables(Function<P, List<String>> tables) {
      this.updatedTables = tables;
      return this;
    }

    public Builder<P> inspectsTargets(TargetInspector<P> inspector, Supplier<P> defaults) {
      this.inspector = inspector;
      this.defaultParams = defaults;
      return this;
    }

    /**
     * The kind keeps data in the state database: {@code store} is built once from it when the
     * daemon starts, and reaches the kind's runs through {@link JobServices#own}.
     */
    public <S> Builder<P> keeps(Class<S> type, Function<StateAccess, S> store) {
      data = data.withStore(type, store);
      return this;
    }

    /**
     * The kind's own tables: the Flyway migrations in this classpath folder, applied to the state
     * schema with a history table of the kind's own, so its versions never meet another's.
     */
    public Builder<P> ownTables(String migrationsFolder) {
      data = data.withTables(migrationsFolder);
      return this;
    }

    /** The kind's JAX-RS resource under /api, made from its store; access rules as for any. */
    public <S> Builder<P> answers(BiFunction<S, ApiContext, Object> resource) {
      data = data.withResource(resource);
      return this;
    }

    /**
     * The kind's own Prometheus series, read from its store at scrape time (at most every few
     * seconds, and none while the state database does not answer).
     */
    public <S> Builder<P> exports(BiFunction<S, ApiContext, MultiCollector> metrics) {
      data = data.withMetrics(metrics);
      return this;
    }

    /** Other kinds and the chassis may read the kind's store through {@code contract}. */
    public Builder<P> provides(Class<?> contract) {
      data = data.withProvided(contract);
      return this;
    }

    /** The kind reads {@code contract} from whichever kind provides it, if one is installed. */
    public Builder<P> uses(Class<?> contract) {
      Set<Class<?>> used = new LinkedHashSet<>(data.used());
      used.add(contract);
      data = data.withUsed(used);
      return this;
    }

    public JobKind build() {
      data.check(name);
      return new JobKind(this);
    }

    private Factory<Object> erasedFactory() {
      return (d, p, s) -> factory.create(d, paramsType.cast(p), s);
    }

    private Function<Object, List<String>> erasedUpdatedTables() {
      return p -> updatedTables.apply(paramsType.cast(p));
    }

    private TargetInspector<Object> erasedInspector() {
      return inspector == null
          ? null
          : (t, jobs, p, a) -> inspector.inspect(t, jobs, paramsType.cast(p), a);
    }
  }
}
