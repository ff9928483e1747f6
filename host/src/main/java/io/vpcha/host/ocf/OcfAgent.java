package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.cloud.CloudSettings;
import io.vpcha.host.cloud.HostCloudAccess;
import io.vpcha.host.cloud.ResidentCloud;
import io.vpcha.host.cloud.UnusableCloud;
import io.vpcha.host.cloud.WriteGate;
import io.vpcha.host.files.SafeFiles;
import io.vpcha.host.files.WriteFence;
import io.vpcha.host.install.HostInstallation;
import io.vpcha.host.metadata.AgentAction;
import io.vpcha.host.metadata.AgentDescription;
import io.vpcha.host.metadata.MetadataXml;
import io.vpcha.host.metrics.MetricsFile;
import io.vpcha.host.metrics.RequestCounts;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.parameter.ConfigurationException;
import io.vpcha.host.parameter.ParameterResolver;
import io.vpcha.host.parameter.ResolvedParameters;
import io.vpcha.host.plugin.ExitGuard;
import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.host.plugin.PluginCalls;
import io.vpcha.host.plugin.PluginProblem;
import io.vpcha.host.plugin.PluginSource;
import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.ErrorKind;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.MonitorRequest;
import io.vpcha.spi.MonitorResult;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.Readiness;
import io.vpcha.spi.ResourceState;
import io.vpcha.spi.StrategyContext;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudAccess;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The OCF resource agent: runs one action (start, stop, monitor, validate-all, reload-agent,
 * meta-data; promote and demote for an instance of a promotable clone, {@link PromotableResource}) for
 * the resource Pacemaker describes in the environment, through the strategy plugin the resource names,
 * and answers with an OCF exit code and, on failure, a one-line exit reason. Every lifecycle action
 * then writes the resource's metrics ({@link MetricsFile}).
 */
public final class OcfAgent {
    /** How long a start that would take traffic back waits for {@code crm_node -l}. */
    private static final Duration MEMBERSHIP_TIMEOUT = Duration.ofSeconds(3);

    static final String USAGE = "usage: vpc-ha {" + AgentAction.usage() + "}";

    private final PluginSource plugins;
    private final OcfEnvironment environment;
    private final PrintStream out;
    private final PrintStream err;
    private final Instant actionStart;
    private final Clock clock;
    /** What a long-lived JVM keeps across actions; empty for a cold action. */
    private final Optional<ResidentCloud> resident;
    /** Asked before every write this action makes; always open for a cold action. */
    private final WriteFence fence;
    /** What this action did, for its metrics. */
    private final RequestCounts requests = new RequestCounts();

    private String strategyForMetrics = "";
    // set by the action's worker thread, read after it ended
    private volatile Optional<Readiness> readinessForMetrics = Optional.empty();
    /** The redacted reason of the strategy's permission failure, when the action ended with one. */
    private Optional<String> permissionRefusal = Optional.empty();
    /** The thread that runs the strategy's action, once it started: it may outlive the action. */
    private volatile Optional<Thread> strategyThread = Optional.empty();
    /** Whether the strategy's code of the action returned (or threw): only host code is left on its thread. */
    private volatile boolean strategyReturned;

    /**
     * An action of its own JVM, as Pacemaker runs the agent: the system's clock, no connections or tokens
     * kept from an earlier action, no fence (nothing else can give up on the action).
     *
     * @param actionStart when the action began, from which its Pacemaker timeout counts: the start of the
     *     process for an agent Pacemaker runs, now for an action run inside a longer-lived JVM
     */
    public OcfAgent(
            PluginSource plugins, OcfEnvironment environment, PrintStream out, PrintStream err, Instant actionStart) {
        this(plugins, environment, out, err, actionStart, Clock.systemUTC(), Optional.empty(), WriteFence.OPEN);
    }

    /**
     * An action that begins now by {@code clock}, the time strategies see in their context: a test's clock
     * that runs ahead of the system's; otherwise as {@link #OcfAgent(PluginSource, OcfEnvironment,
     * PrintStream, PrintStream, Instant)}.
     */
    public static OcfAgent onClock(
            PluginSource plugins, OcfEnvironment environment, PrintStream out, PrintStream err, Clock clock) {
        return new OcfAgent(plugins, environment, out, err, clock.instant(), clock, Optional.empty(), WriteFence.OPEN);
    }

    /**
     * An action of a long-lived JVM (the resident accelerator), on the system's clock.
     *
     * @param actionStart when the action began: the start of the launcher that asked for it
     * @param resident the connections and tokens kept across actions, which this action uses and adds to
     * @param fence asked right before every write the action makes to this node's state (the split-brain
     *     guard's record, the metrics, the resource's state directory, Pacemaker attributes) and before
     *     every VPC write: once it is closed (the action's client gave up on it), nothing more is written
     */
    public static OcfAgent resident(
            PluginSource plugins,
            OcfEnvironment environment,
            PrintStream out,
            PrintStream err,
            Instant actionStart,
            ResidentCloud resident,
            WriteFence fence) {
        return new OcfAgent(
                plugins, environment, out, err, actionStart, Clock.systemUTC(), Optional.of(resident), fence);
    }

    /**
     * Whether the strategy's code of this agent's action has ended, waiting at most {@code patience} for
     * it. A strategy that ignores the interrupt at its deadline (or that tried to end the process) keeps
     * its thread after the action returned; a cold action's process ends with the action, which takes
     * that thread with it, but the resident accelerator must not answer while it runs
     * (docs/accelerator.md, "What outlives an action").
     */
    public boolean strategyEnded(Duration patience) throws InterruptedException {
        Optional<Thread> worker = strategyThread;
        if (worker.isEmpty() || strategyReturned) {
            // a thread whose strategy returned ends by itself, however long a loaded machine takes to let it
            return true;
        }
        long millis = patience.toMillis();
        if (millis > 0) {
            worker.get().join(millis);
        }
        return strategyReturned || !worker.get().isAlive();
    }

    private OcfAgent(
            PluginSource plugins,
            OcfEnvironment environment,
            PrintStream out,
            PrintStream err,
            Instant actionStart,
            Clock clock,
            Optional<ResidentCloud> resident,
            WriteFence fence) {
        this.fence = requireNonNull(fence, "fence is null");
        this.resident = requireNonNull(resident, "resident is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.actionStart = requireNonNull(actionStart, "actionStart is null");
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.environment = requireNonNull(environment, "environment is null");
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
    }

    /** Runs {@code action} and returns its OCF exit code. */
    public int run(String action) {
        AgentLog log = new AgentLog(environment.resourceInstance(), err, environment.debug());
        try {
            return switch (action) {
                case "meta-data" -> metaData();
                case "usage", "help" -> {
                    out.println(USAGE);
                    yield OcfExitCode.SUCCESS;
                }
                case "start", "stop", "monitor", "status", "validate-all", "reload-agent" -> lifecycle(action, log);
                case "promote", "demote" -> {
                    if (!environment.promotable()) {
                        yield fail(
                                OcfExitCode.ERR_UNIMPLEMENTED,
                                action + " is only for an instance of a promotable clone",
                                log);
                    }
                    yield lifecycle(action, log);
                }
                default -> {
                    err.println(USAGE);
                    yield fail(OcfExitCode.ERR_UNIMPLEMENTED, "action " + action + " is not implemented", log);
                }
            };
        } catch (RuntimeException | LinkageError e) {
            // A bug in the host or a plugin: say what it was, without a secret, instead of a stack trace.
            log.log(Level.ERROR, "unexpected failure in " + action, e);
            return fail(
                    OcfExitCode.ERR_GENERIC,
                    action + " failed unexpectedly: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    log);
        }
    }

    private int metaData() {
        String version = HostInstallation.version();
        Optional<String> fixed = environment.fixedStrategy();
        AgentDescription description;
        if (fixed.isPresent()) {
            Optional<InstalledStrategy> strategy = plugins.strategy(fixed.get());
            if (strategy.isEmpty()) {
                // meta-data cannot fail: describe the agent without the strategy's parameters
                err.println("vpc-ha: strategy " + fixed.get() + " is not installed in " + plugins.directory());
                description = new AgentDescription(
                        AgentDescription.agentName(fixed.get()),
                        version,
                        "vpc-ha strategy " + fixed.get() + " (not installed)",
                        "The strategy plugin " + fixed.get() + " is not installed in " + plugins.directory() + ".",
                        List.of());
            } else {
                description =
                        AgentDescription.forStrategy(version, CommonParameters.forFixedStrategy(), strategy.get());
            }
        } else {
            description = AgentDescription.generic(
                    version, CommonParameters.all(), plugins.registry().strategies());
        }
        out.print(MetadataXml.render(description));
        out.flush();
        return OcfExitCode.SUCCESS;
    }

    /** Runs a lifecycle action and writes the resource's metrics afterwards. */
    private int lifecycle(String action, AgentLog log) {
        int code = runLifecycle(action, log);
        if (action.equals("stop") && code == OcfExitCode.SUCCESS) {
            // whichever way it stopped: nothing of the resource runs here any more
            stopRecord().clear(log);
        }
        if (action.equals("start") || action.equals("promote")) {
            recordRefusal(action, code, log);
        }
        writeMetrics(action, code, log);
        return code;
    }

    /**
     * Keeps the cloud's refusal of a start or promote for {@code vpc-ha doctor}, which never writes and
     * so cannot find a missing write permission itself; forgets it once the action that writes (a
     * promote in a promotable clone, else a start) succeeds. Never changes the action's result.
     */
    private void recordRefusal(String action, int code, AgentLog log) {
        RefusalRecord record = new RefusalRecord(environment.stateRoot(), environment.resourceInstance());
        boolean writes = action.equals("promote") || !environment.promotable();
        try {
            if (code == OcfExitCode.ERR_PERM && permissionRefusal.isPresent()) {
                fence.check();
                record.write(new RefusalRecord.Refusal(action, clock.instant(), permissionRefusal.get()));
            } else if (code == OcfExitCode.SUCCESS && writes) {
                fence.check();
                record.clear(log);
            }
        } catch (WriteFence.Closed closed) {
            log.log(Level.INFO, "the record of refusals not updated: " + closed.getMessage());
        } catch (IOException | RuntimeException e) {
            // the action's result stands; doctor then only misses (or repeats) a refusal
            log.log(Level.WARNING, "cannot update " + record.file() + ": " + e.getMessage());
        }
    }

    private StopRecord stopRecord() {
        return new StopRecord(environment.stateRoot(), environment.resourceInstance());
    }

    private void writeMetrics(String action, int code, AgentLog log) {
        String configured = environment
                .parameters()
                .getOrDefault(CommonParameters.METRICS_DIR, CommonParameters.DEFAULT_METRICS_DIR)
                .trim();
        if (configured.isEmpty() || !configured.startsWith("/")) {
            return;
        }
        MetricsFile metrics = new MetricsFile(Path.of(configured), environment.resourceName());
        Optional<String> problem = metrics.problem();
        if (problem.isPresent()) {
            log.log(Level.DEBUG, () -> "no metrics: " + problem.get());
            return;
        }
        boolean tookOver = code == OcfExitCode.SUCCESS
                && (action.equals("promote") || (action.equals("start") && !environment.promotable()));
        Instant end = clock.instant();
        try {
            metrics.record(
                    new MetricsFile.Action(
                            strategyForMetrics,
                            action.equals("status") ? "monitor" : action,
                            OcfExitCode.resultName(code),
                            Duration.between(actionStart, end),
                            end,
                            requests,
                            readinessForMetrics,
                            tookOver),
                    fence);
        } catch (WriteFence.Closed closed) {
            log.log(Level.INFO, "metrics not written: " + closed.getMessage());
        } catch (IOException | RuntimeException e) {
            // metrics never fail an action
            log.log(Level.WARNING, "cannot write metrics to " + metrics.file() + ": " + e.getMessage());
        }
    }

    private int runLifecycle(String action, AgentLog log) {
        ActionDeadline deadline = ActionDeadline.of(actionStart, environment.timeout());
        boolean isStop = action.equals("stop");

        List<ParameterSpec> common =
                environment.fixedStrategy().isPresent() ? CommonParameters.forFixedStrategy() : CommonParameters.all();
        Map<String, String> raw = new TreeMap<>(environment.parameters());
        Optional<String> fixed = environment.fixedStrategy();
        String strategyName;
        Optional<String> strategyMismatch = Optional.empty();
        if (fixed.isPresent()) {
            String configured = raw.remove(CommonParameters.STRATEGY);
            if (configured != null && !configured.equals(fixed.get())) {
                strategyMismatch = Optional.of("strategy is " + configured + " but this agent is "
                        + AgentDescription.agentName(fixed.get())
                        + "; remove the strategy parameter or use ocf:ibm:vpc-ha");
                if (!isStop) {
                    return fail(OcfExitCode.ERR_CONFIGURED, strategyMismatch.get(), log);
                }
            }
            strategyName = fixed.get();
        } else {
            strategyName = raw.getOrDefault(CommonParameters.STRATEGY, "").trim();
        }

        if (isStop || action.equals("demote")) {
            // Pacemaker's controller stops a resource with the parameters of its last start while it has them
            // cached (in memory), not after its own restart nor after a refresh (the probe's new ones replace
            // them); a demote always gets the new ones. Whatever was started here is what must end.
            Optional<StopRecord.Started> started = stopRecord().read(log);
            if (started.isPresent()) {
                Optional<InstalledStrategy> startedBy =
                        plugins.strategy(started.get().strategy());
                if (startedBy.isEmpty()) {
                    return withoutItsPlugin(action, started.get().strategy(), log);
                }
                List<String> changed =
                        started.get().changesFrom(strategyName, StopRecord.parametersOf(raw, startedBy.get()));
                if (!changed.isEmpty()) {
                    log.log(
                            Level.INFO,
                            action + ": strategy " + started.get().strategy() + " started this resource here with "
                                    + "other parameters than the current ones (changed: " + String.join(", ", changed)
                                    + "); undoing what it started, with the parameters it started with");
                    raw = asStarted(raw, common, started.get(), startedBy.get(), fixed.isPresent());
                    strategyName = started.get().strategy();
                    strategyMismatch = Optional.empty();
                }
            }
        }
        if (strategyName.isEmpty()) {
            return refuse(
                    action,
                    OcfExitCode.ERR_CONFIGURED,
                    "strategy: required but not set (installed: " + installedNames() + ")",
                    log);
        }
        if (fixed.isEmpty()) {
            raw.put(CommonParameters.STRATEGY, strategyName);
        }

        Optional<InstalledStrategy> installed = plugins.strategy(strategyName);
        if (installed.isEmpty()) {
            if (pluginsOutOfTime()) {
                return withoutTimeToLoad(action, strategyName, log);
            }
            String reason = notInstalledReason(strategyName);
            if (isStop) {
                // Without its plugin the resource cannot have been started here: it is stopped.
                log.log(Level.WARNING, reason + "; stop has nothing to do");
                return OcfExitCode.SUCCESS;
            }
            return fail(OcfExitCode.ERR_INSTALLED, reason, log);
        }
        InstalledStrategy strategy = installed.get();
        strategyForMetrics = strategy.name();

        ResolvedParameters parameters;
        CloudSettings cloudSettings;
        try {
            if (strategyMismatch.isPresent()) {
                throw new ConfigurationException(List.of(strategyMismatch.get()));
            }
            // the other strategies (all plugins loaded) only to say whose a foreign parameter is
            parameters = ParameterResolver.resolve(
                    raw, common, strategy, () -> plugins.registry().strategies());
            log.addSecrets(parameters.secrets());
            cloudSettings = CloudSettings.from(parameters.common());
        } catch (ConfigurationException e) {
            if (isStop) {
                return stopDespite(e.getMessage(), strategy, raw, common, deadline, log);
            }
            return fail(OcfExitCode.ERR_CONFIGURED, e.getMessage(), log);
        }
        parameters.warnings().forEach(warning -> log.log(Level.WARNING, warning));
        log.log(Level.DEBUG, () -> action + " with strategy " + strategy.name() + " " + parameters.strategy());
        Optional<String> unsafeState =
                HostStrategyContext.stateDirectoryProblem(environment.stateRoot(), environment.resourceInstance());
        if (unsafeState.isPresent()) {
            if (!isStop) {
                return fail(OcfExitCode.ERR_PERM, "state directory: " + unsafeState.get(), log);
            }
            // stop goes on: the strategy still removes what it added outside the state directory
            log.log(Level.WARNING, "stop: the state directory cannot be used: " + unsafeState.get());
        }
        if (action.equals("start") || action.equals("promote")) {
            // before the strategy adds anything here: a stop after a change of the parameters undoes it
            try {
                recordForStop(strategy, raw);
            } catch (IOException | RuntimeException e) {
                return fail(
                        e instanceof AccessDeniedException ? OcfExitCode.ERR_PERM : OcfExitCode.ERR_GENERIC,
                        action + ": cannot record what a stop needs in "
                                + stopRecord().file() + ": " + e.getMessage(),
                        log);
            }
        }
        SplitBrainGuard guard = splitBrainGuard(log);
        // only a start (a promote in a promotable clone) takes traffic to this node: its writes pass the
        // split-brain guard
        HostCloudAccess cloud = cloudAccess(
                cloudSettings,
                deadline,
                log,
                action.equals("start") || action.equals("promote") ? guard.writeGate() : WriteGate.OPEN);
        Outcome outcome =
                runStrategy(action, strategy, parameters, cloud, new ReadinessCheck(cloud, log), guard, deadline, log);
        Optional<String> refusal = outcome.failure().isPresent() ? guard.refusal() : Optional.empty();
        if (refusal.isPresent()) {
            // the strategy's own reason would wrap it in route and table ids; this one names the node
            return fail(OcfExitCode.ERR_GENERIC, refusal.get(), log);
        }
        if (outcome.failure().isPresent()
                && outcome.failure().get() instanceof StrategyException failure
                && (failure.kind() == ErrorKind.NOT_CONFIGURED || failure.kind() == ErrorKind.INVALID_ARGUMENT)) {
            return refuse(action, failure.kind().ocfExitCode(), failure.reason(), log);
        }
        int code = report(action, strategy, outcome, deadline, log);
        if (action.equals("reload-agent") && code == OcfExitCode.SUCCESS) {
            // the resource runs on with the new parameters: its stop must use them
            try {
                recordForStop(strategy, raw);
            } catch (IOException | RuntimeException e) {
                log.log(
                        Level.WARNING,
                        "reload-agent: cannot record the new parameters for a stop in "
                                + stopRecord().file() + ": " + e.getMessage());
            }
        }
        return code;
    }

    /** Records what a stop of the resource, as it now runs with {@code strategy} and {@code raw}, needs. */
    private void recordForStop(InstalledStrategy strategy, Map<String, String> raw) throws IOException {
        stopRecord()
                .write(
                        new StopRecord.Started(strategy.name(), StopRecord.parametersOf(raw, strategy)),
                        clock.instant());
    }

    /**
     * A stop's (or a demote's) parameters as the resource was started: the recorded strategy and its
     * recorded parameters; the host's cloud parameters and the strategy's secrets, which are never
     * recorded, from the current configuration.
     */
    private static Map<String, String> asStarted(
            Map<String, String> current,
            List<ParameterSpec> common,
            StopRecord.Started started,
            InstalledStrategy strategy,
            boolean fixedStrategy) {
        Map<String, String> parameters = new TreeMap<>();
        current.forEach((name, value) -> {
            boolean cloudParameter = common.stream().anyMatch(spec -> spec.answersTo(name));
            boolean secret = strategy.parameters().stream().anyMatch(spec -> spec.sensitive() && spec.answersTo(name));
            if (cloudParameter || secret) {
                parameters.put(name, value);
            }
        });
        parameters.putAll(started.parameters());
        if (!fixedStrategy) {
            parameters.put(CommonParameters.STRATEGY, started.strategy());
        }
        return parameters;
    }

    /**
     * A stop (or a demote) of a resource started here by a strategy whose plugin is no longer installed:
     * its own stop cannot run. When its state directory holds no "started here" marker, nothing it
     * started runs here (never started, or an Unpromoted instance): its state on this node is cleared and
     * the stop succeeds. When the marker is there, what it added here (a local address, a listener) may
     * still be there and only its plugin knows: the stop fails, naming the plugin, and the node is fenced,
     * which ends it; reporting it stopped would let a second node serve beside it.
     */
    private int withoutItsPlugin(String action, String strategyName, AgentLog log) {
        if (pluginsOutOfTime()) {
            return withoutTimeToLoad(action, strategyName, log);
        }
        String reason = notInstalledReason(strategyName);
        boolean claimsToRun = startedHere();
        if (claimsToRun) {
            return fail(
                    OcfExitCode.ERR_GENERIC,
                    "cannot " + action + ": strategy " + strategyName + " started this resource here and its plugin "
                            + "is gone; reinstall it so its stop can run (" + reason + ")",
                    log);
        }
        if (action.equals("demote")) {
            // nothing of it was promoted here; the stop that follows clears its state
            log.log(
                    Level.WARNING,
                    "demote: strategy " + strategyName + " started this resource here, but " + reason
                            + "; nothing of it runs here (no started marker)");
            return OcfExitCode.SUCCESS;
        }
        log.log(
                Level.WARNING,
                "stop: strategy " + strategyName + " started this resource here, but " + reason
                        + "; nothing of it runs here (no started marker): clearing its state and reporting it stopped");
        clearState(log);
        return OcfExitCode.SUCCESS;
    }

    /** Whether this resource's state directory holds the "started here" marker its strategy's start wrote. */
    private boolean startedHere() {
        return HostStrategyContext.stateDirectoryProblem(environment.stateRoot(), environment.resourceInstance())
                        .isEmpty()
                && Files.isRegularFile(
                        HostStrategyContext.stateDirectoryOf(environment.stateRoot(), environment.resourceInstance())
                                .resolve(StrategyContext.STARTED_MARKER),
                        LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether a plugin was left out only because loading it took longer than this action could give. */
    private boolean pluginsOutOfTime() {
        return plugins.registry().problems().stream().anyMatch(PluginProblem::outOfTime);
    }

    /**
     * An action whose strategy's plugin was left out because loading it took longer than the action could
     * give (it hangs while loading, or the node is so loaded that the JVM's start took a quarter of the
     * timeout, or half of it for a stop or a demote: {@link ActionDeadline#pluginLoadingDeadline}). "Not
     * installed" (5) would be a fact about this node, and Pacemaker acts on it as one: it bans the resource
     * from the node. This is no such fact, so what the action says rests on the "started here" marker:
     * without it nothing of the resource runs here (a monitor: not running, as a probe on a node that
     * never ran it must say; a stop or a demote: nothing to do); with it, only the plugin could tell or
     * undo, so the action fails (a stop that fails gets the node fenced, which ends the resource). A
     * start fails: Pacemaker tries it again, here or elsewhere.
     */
    private int withoutTimeToLoad(String action, String strategyName, AgentLog log) {
        String reason = "strategy " + strategyName + " not loaded in the time the action had (a quarter of its "
                + "timeout, half for a stop or demote): "
                + plugins.registry().problems().stream()
                        .filter(PluginProblem::outOfTime)
                        .map(PluginProblem::toString)
                        .collect(Collectors.joining("; "));
        if (!startedHere()) {
            switch (action) {
                case "monitor", "status" -> {
                    log.log(Level.WARNING, reason + "; nothing of it was started here: not running");
                    return OcfExitCode.NOT_RUNNING;
                }
                case "stop", "demote" -> {
                    log.log(Level.WARNING, reason + "; nothing of it was started here: nothing to " + action);
                    return OcfExitCode.SUCCESS;
                }
                default -> {
                    // start, promote, validate-all, reload-agent: fail, and may be tried again
                }
            }
        }
        return fail(OcfExitCode.ERR_GENERIC, reason, log);
    }

    /**
     * Stop with a configuration that cannot work. A failed stop gets the node fenced, and whatever this
     * node added (a local address, say) must still go: the strategy's stop runs with the values that
     * pass their checks (defaults for the rest) and, when the cloud parameters are what cannot work, a
     * cloud that refuses every call. If even that cannot run, the resource was never started with this
     * configuration: its state on this node is cleared. Either way the stop succeeds, saying why in the log,
     * unless the strategy's stop says what it started here still runs: then the stop fails, as any stop
     * that cannot end the resource does.
     */
    private int stopDespite(
            String problem,
            InstalledStrategy strategy,
            Map<String, String> raw,
            List<ParameterSpec> common,
            ActionDeadline deadline,
            AgentLog log) {
        log.log(
                Level.WARNING,
                "stop with a configuration that cannot work (" + log.redact(problem)
                        + "): stopping what this node runs of the resource, with the parameters that can be used");
        Optional<ResolvedParameters> usable = ParameterResolver.resolveUsable(raw, common, strategy);
        if (usable.isPresent()) {
            log.addSecrets(usable.get().secrets());
            CloudAccess cloud;
            ReadinessCheck readiness;
            try {
                HostCloudAccess usableCloud =
                        cloudAccess(CloudSettings.from(usable.get().common()), deadline, log, WriteGate.OPEN);
                cloud = usableCloud;
                readiness = new ReadinessCheck(usableCloud, log);
            } catch (ConfigurationException e) {
                cloud = UnusableCloud.because(e.getMessage());
                readiness = ReadinessCheck.unusable(e.getMessage());
            }
            Outcome outcome =
                    runStrategy("stop", strategy, usable.get(), cloud, readiness, splitBrainGuard(log), deadline, log);
            if (outcome.failure().isEmpty()) {
                return OcfExitCode.SUCCESS;
            }
            Throwable failure = outcome.failure().get();
            if (failure instanceof StrategyException own && saysItStillRuns(own)) {
                // the strategy's own verdict, not the configuration's: what it started here still runs
                // (a health listener that outlived SIGKILL keeps attracting traffic). Reporting it stopped
                // would let Pacemaker start it elsewhere beside it; failing gets this node fenced, which
                // ends it. The state stays: it names what still runs.
                return fail(OcfExitCode.ERR_GENERIC, own.reason(), log);
            }
            log.log(
                    Level.WARNING,
                    "stop of strategy " + strategy.name() + " with the usable parameters failed too ("
                            + (failure instanceof StrategyException known ? known.reason() : describe(failure))
                            + ")");
        }
        return refuse("stop", OcfExitCode.ERR_CONFIGURED, problem, log);
    }

    /**
     * Whether a stop that ran with the usable parameters failed because something it started still runs,
     * rather than because of the configuration: a strategy's own failure of kind GENERIC. A cloud
     * failure (the unusable cloud of a bad configuration refuses every call), a missing or invalid value
     * (NOT_CONFIGURED, INVALID_ARGUMENT) or a crash on a value left out are the configuration's.
     */
    private static boolean saysItStillRuns(StrategyException failure) {
        return !(failure instanceof CloudException) && failure.kind() == ErrorKind.GENERIC;
    }

    private SplitBrainGuard splitBrainGuard(AgentLog log) {
        return new SplitBrainGuard(
                SplitBrainGuard.fileOf(environment.stateRoot(), environment.resourceInstance()),
                environment.nodeName(),
                environment.resourceInstance(),
                () -> ClusterMembership.ofCrmNode(MEMBERSHIP_TIMEOUT),
                // the action's clock, so the guard's window moves with the time tests advance
                clock,
                log,
                fence);
    }

    private HostCloudAccess cloudAccess(
            CloudSettings settings, ActionDeadline deadline, AgentLog log, WriteGate writes) {
        // Cloud calls end a little before the action must: the strategy then still has time to decide
        // what an unanswered call means (e.g. a monitor's grace) instead of being cut off by the host.
        // The HTTP layer counts in system time, which a test's clock may run ahead of.
        Instant cloudDeadline = Instant.now()
                .plus(Duration.between(clock.instant(), deadline.deadline()))
                .minus(cloudReserve(deadline.timeout()));
        return new HostCloudAccess(
                settings,
                () -> cloudDeadline,
                log,
                secret -> log.addSecrets(Set.of(secret)),
                fenced(writes),
                requests,
                resident);
    }

    /** {@code writes}, behind this action's fence: no VPC write once the action's client gave up. */
    private WriteGate fenced(WriteGate writes) {
        return (method, path) -> {
            try {
                fence.check();
            } catch (WriteFence.Closed closed) {
                throw new CloudException(CloudErrorKind.TRANSIENT, 0, "given_up", closed.getMessage(), null, closed);
            }
            writes.beforeWrite(method, path);
        };
    }

    /** How a strategy's action ended: its exit code, or what it threw (or why it did not end). */
    private record Outcome(Optional<Integer> code, Optional<Throwable> failure, boolean timedOut) {
        static Outcome of(int code) {
            return new Outcome(Optional.of(code), Optional.empty(), false);
        }

        static Outcome failed(Throwable failure) {
            return new Outcome(Optional.empty(), Optional.of(failure), false);
        }

        static Outcome timeout() {
            return new Outcome(Optional.empty(), Optional.empty(), true);
        }
    }

    /**
     * Runs the action through the strategy in a worker thread, within the deadline. A plugin that tries
     * to end the process meanwhile (held by the {@link ExitGuard}) fails the action at once.
     */
    @SuppressWarnings("try") // the registration lasts for the whole block, never referenced in it
    private Outcome runStrategy(
            String action,
            InstalledStrategy strategy,
            ResolvedParameters parameters,
            CloudAccess cloud,
            ReadinessCheck readiness,
            SplitBrainGuard guard,
            ActionDeadline deadline,
            AgentLog log) {
        boolean isMonitor = action.equals("monitor") || action.equals("status");
        boolean isProbe = isMonitor && environment.interval().isZero();
        HostStrategyContext context = new HostStrategyContext(
                environment.nodeName(),
                environment.resourceInstance(),
                deadline.deadline(),
                log,
                environment.stateRoot(),
                cloud,
                clock,
                fence);
        String loaderName = strategy.classLoader().getName();
        ActionTask task = new ActionTask(() -> {
            try {
                FailoverStrategy failover = strategy.create(parameters.strategy(), context);
                return PluginCalls.call(
                        strategy.classLoader(),
                        () -> dispatch(action, isMonitor, isProbe, failover, guard, readiness, log));
            } finally {
                if (cloud instanceof HostCloudAccess connections) {
                    connections.close(); // the action's connections end with it (an unusable cloud has none)
                }
                strategyReturned = true;
            }
        });
        try (ExitGuard.Registration exits = ExitGuard.onPluginExit(attempt -> {
            if (attempt.pluginLoaderName().equals(loaderName)) {
                task.fail(new PluginExitException(attempt));
            } else {
                log.log(Level.WARNING, attempt.pluginLoaderName() + " tried to end the process (System.exit)");
            }
        })) {
            Thread worker = new Thread(task, "vpc-ha-" + action);
            worker.setDaemon(true);
            strategyThread = Optional.of(worker);
            worker.start();
            try {
                long millis = Math.max(0, deadline.remaining(clock).toMillis());
                return Outcome.of(task.get(millis, TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                worker.interrupt();
                return Outcome.timeout();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.failed(e);
            } catch (ExecutionException e) {
                Optional<UncheckedIOException> noState = context.stateDirectoryFailure();
                if (action.equals("stop") && noState.isPresent() && causedBy(e.getCause(), noState.get())) {
                    // Nothing was recorded in a state directory that cannot be used, so nothing of the
                    // resource's state can be left there; a failed stop would get the node fenced.
                    log.log(
                            Level.WARNING,
                            "stop: " + noState.get().getMessage() + "; nothing can have been recorded there, the "
                                    + "resource is stopped");
                    return Outcome.of(OcfExitCode.SUCCESS);
                }
                return Outcome.failed(e.getCause());
            }
        }
    }

    /** A strategy's action, which the exit guard may end early. */
    private static final class ActionTask extends FutureTask<Integer> {
        ActionTask(Callable<Integer> action) {
            super(action);
        }

        void fail(Throwable failure) {
            setException(failure);
        }
    }

    /** The exit code and reason of a strategy's action. */
    private int report(
            String action, InstalledStrategy strategy, Outcome outcome, ActionDeadline deadline, AgentLog log) {
        if (outcome.code().isPresent()) {
            return outcome.code().get();
        }
        if (outcome.timedOut()) {
            return fail(
                    OcfExitCode.ERR_GENERIC,
                    action + " did not finish within its " + deadline.timeout().toSeconds()
                            + "s timeout (less a safety margin); see the log for what it was waiting for",
                    log);
        }
        Throwable cause = outcome.failure().orElseThrow();
        if (cause instanceof StrategyException failure) {
            if (failure.kind() == ErrorKind.INSUFFICIENT_PRIVILEGES) {
                // as the exit reason shows it, before it is cut to what Pacemaker keeps
                permissionRefusal =
                        Optional.of(Redaction.oneLine(log.redact(Redaction.neededActionFirst(failure.reason()))));
            }
            return fail(failure.kind().ocfExitCode(), failure.reason(), log);
        }
        if (cause instanceof InterruptedException) {
            return fail(OcfExitCode.ERR_GENERIC, action + " was interrupted", log);
        }
        if (cause instanceof PluginExitException) {
            return fail(
                    OcfExitCode.ERR_GENERIC,
                    action + " failed: strategy " + strategy.name() + " tried to end the process (System.exit), "
                            + "which a plugin must never do; report it to its author",
                    log);
        }
        log.log(Level.ERROR, action + " failed unexpectedly in strategy " + strategy.name(), cause);
        return fail(
                OcfExitCode.ERR_GENERIC,
                action + " failed unexpectedly in strategy " + strategy.name() + ": " + describe(cause),
                log);
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    /** A plugin's attempt to end the process, held by the exit guard. */
    private static final class PluginExitException extends Exception {
        private static final long serialVersionUID = 1L;

        PluginExitException(ExitGuard.Attempt attempt) {
            super(attempt.pluginLoaderName() + " called System.exit in thread " + attempt.threadName());
        }
    }

    private Integer dispatch(
            String action,
            boolean isMonitor,
            boolean isProbe,
            FailoverStrategy strategy,
            SplitBrainGuard guard,
            ReadinessCheck readiness,
            AgentLog log)
            throws StrategyException {
        if (environment.promotable() && !action.equals("validate-all") && !action.equals("reload-agent")) {
            return new PromotableResource(
                            environment,
                            new Standby(environment.stateRoot(), environment.resourceInstance()),
                            guard,
                            new PacemakerAttributes(environment, log, fence),
                            readiness,
                            clock,
                            log,
                            reason -> printExitReason(reason, log),
                            seen -> readinessForMetrics = Optional.of(seen))
                    .run(action, isProbe, strategy);
        }
        if (isMonitor) {
            MonitorRequest request = isProbe
                    ? MonitorRequest.probe()
                    : MonitorRequest.recurring(environment.interval(), environment.checkLevel());
            MonitorResult result = strategy.monitor(request);
            guard.afterMonitor(result, isProbe);
            if (result.state() != ResourceState.RUNNING && !result.reason().isEmpty()) {
                if (result.state() == ResourceState.NOT_RUNNING && isProbe) {
                    log.log(Level.DEBUG, () -> "probe: " + result.reason());
                } else {
                    log.log(result.state() == ResourceState.DEGRADED ? Level.WARNING : Level.INFO, result.reason());
                    printExitReason(result.reason(), log);
                }
            }
            return result.state().ocfExitCode();
        }
        switch (action) {
            case "start" -> strategy.start();
            case "stop" -> strategy.stop();
            case "validate-all" -> strategy.validate(CheckLevel.fromOcfCheckLevel(environment.checkLevel()));
            case "reload-agent" -> strategy.reload();
            default -> throw new IllegalStateException("not a lifecycle action: " + action);
        }
        return OcfExitCode.SUCCESS;
    }

    private static boolean causedBy(Throwable failure, Throwable origin) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause == origin) {
                return true;
            }
            if (cause.getCause() == cause) {
                return false;
            }
        }
        return false;
    }

    private String notInstalledReason(String strategyName) {
        List<PluginProblem> problems = plugins.registry().problemsNaming(strategyName);
        if (!problems.isEmpty()) {
            return "strategy " + strategyName + " cannot be used: "
                    + problems.stream().map(PluginProblem::toString).collect(Collectors.joining("; "));
        }
        // a plugin that failed before it could name its strategy may be the one
        List<PluginProblem> unnamed = plugins.registry().problems();
        return "no strategy " + strategyName + " installed in " + plugins.directory() + " (installed: "
                + installedNames() + ")"
                + (unnamed.isEmpty()
                        ? ""
                        : "; not loaded: "
                                + unnamed.stream().map(PluginProblem::toString).collect(Collectors.joining("; ")));
    }

    private String installedNames() {
        List<String> names = plugins.registry().strategyNames();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /**
     * How long before the action's deadline cloud calls must end, so the strategy still has time to act
     * on their outcome: a twentieth of the timeout, at least 0.3 s and at most 2 s (1 s of the default
     * 20 s). The action's own deadline already keeps a tenth of the timeout from Pacemaker's.
     */
    static Duration cloudReserve(Duration timeout) {
        Duration reserve = timeout.dividedBy(20);
        if (reserve.compareTo(Duration.ofMillis(300)) < 0) {
            return Duration.ofMillis(300);
        }
        return reserve.compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : reserve;
    }

    /**
     * A configuration that cannot work: an error, except for stop. A resource whose configuration cannot
     * work was never started with it, and a failed stop gets the node fenced; so stop forgets the
     * resource's state on this node and succeeds, saying why in the log.
     */
    private int refuse(String action, int code, String reason, AgentLog log) {
        if (!action.equals("stop")) {
            return fail(code, reason, log);
        }
        log.log(
                Level.WARNING,
                "stop with a configuration that cannot work (" + log.redact(reason)
                        + "): clearing this node's state of the resource and reporting it stopped");
        clearState(log);
        return OcfExitCode.SUCCESS;
    }

    /** Deletes the resource's state directory, unless it is not vpc-ha's own (a link, another owner). */
    private void clearState(AgentLog log) {
        if (environment.promotable()) {
            try {
                new Standby(environment.stateRoot(), environment.resourceInstance()).clear();
            } catch (IOException e) {
                log.log(Level.WARNING, "cannot clear this instance's record: " + e.getMessage());
            }
            PacemakerAttributes attributes = new PacemakerAttributes(environment, log, fence);
            attributes.deletePromotionScore();
            attributes.deleteReadiness();
        }
        Path directory = HostStrategyContext.stateDirectoryOf(environment.stateRoot(), environment.resourceInstance());
        Optional<String> problem =
                HostStrategyContext.stateDirectoryProblem(environment.stateRoot(), environment.resourceInstance());
        if (problem.isPresent()) {
            log.log(Level.WARNING, "not clearing " + directory + ": " + problem.get());
            return;
        }
        try {
            SafeFiles.deleteTree(directory);
        } catch (IOException e) {
            log.log(Level.WARNING, "cannot clear " + directory + ": " + e.getMessage());
        }
    }

    private int fail(int code, String reason, AgentLog log) {
        printExitReason(reason, log);
        return code;
    }

    /**
     * The one line {@code ocf-exit-reason:REASON}, secrets masked, the IAM action a refused call needs
     * first, cut to what Pacemaker keeps; when it had to be cut, the whole reason goes to the log first.
     */
    private void printExitReason(String reason, AgentLog log) {
        String redacted = log.redact(Redaction.neededActionFirst(reason));
        if (Redaction.isTooLongForAnExitReason(redacted)) {
            log.log(Level.INFO, "the exit reason in full: " + redacted);
        }
        synchronized (err) {
            err.println(environment.exitReasonPrefix() + Redaction.exitReason(redacted));
            err.flush();
        }
    }
}
