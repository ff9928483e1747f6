package io.vpcha.host.doctor;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.cloud.CloudSettings;
import io.vpcha.host.cloud.HostCloudAccess;
import io.vpcha.host.files.WriteFence;
import io.vpcha.host.ocf.AgentLog;
import io.vpcha.host.ocf.HostStrategyContext;
import io.vpcha.host.ocf.Redaction;
import io.vpcha.host.ocf.RefusalRecord;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.parameter.ConfigurationException;
import io.vpcha.host.parameter.ParameterResolver;
import io.vpcha.host.parameter.ResolvedParameters;
import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.host.plugin.PluginCalls;
import io.vpcha.host.plugin.PluginRegistry;
import io.vpcha.spi.CheckLevel;
import io.vpcha.spi.FailoverStrategy;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Instance;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks everything a resource needs before Pacemaker relies on it, and says what to fix: the
 * strategy plugin, the parameters, the metadata service, the credentials and their token, the read
 * permissions the strategy needs (by making its read calls; write permissions only a failover
 * proves, or a start or promote the cloud refused here disproves), the strategy's own cloud checks
 * (routes, zones, IP spoofing, via validate-all at level 10), and the Pacemaker settings that matter.
 */
public final class Doctor {
    /** How long the checks that ask the cloud, and the strategy's validate-all, may take together. */
    private static final Duration CHECK_TIME = Duration.ofSeconds(60);

    private final PluginRegistry registry;
    private final PacemakerSettings pacemaker;
    private final String nodeName;
    private final Path stateRoot;
    private final Optional<String> resourceInstance;

    /**
     * @param resourceInstance the resource examined, when it is known: its last refused start or promote
     *     on this node, if any, is what the write permissions check reports
     */
    public Doctor(
            PluginRegistry registry,
            PacemakerSettings pacemaker,
            String nodeName,
            Path stateRoot,
            Optional<String> resourceInstance) {
        this.registry = requireNonNull(registry, "registry is null");
        this.pacemaker = requireNonNull(pacemaker, "pacemaker is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.stateRoot = requireNonNull(stateRoot, "stateRoot is null");
        this.resourceInstance = requireNonNull(resourceInstance, "resourceInstance is null");
    }

    /**
     * The write permissions are never tried here (only a start changes the cloud), but a start or promote
     * that the cloud refused on this node left its reason, which names what is missing.
     */
    private Check writePermissions(AgentLog log) {
        Optional<RefusalRecord.Refusal> refused =
                resourceInstance.flatMap(instance -> new RefusalRecord(stateRoot, instance).read(log));
        if (refused.isPresent()) {
            return Check.fail(
                    "write permissions",
                    "the last " + refused.get().action() + " at "
                            + refused.get().at() + " was refused: "
                            + log.redact(refused.get().reason()),
                    "grant the IAM action it names (docs/iam-policy.md), then crm resource cleanup "
                            + resourceInstance.get());
        }
        return Check.skip(
                "write permissions",
                "not tried: only a start changes the cloud; the first failover "
                        + "(e.g. crm resource move) proves them");
    }

    /** What to do about a credential check that failed, by the kind of failure. */
    private static String credentialFix(CloudException e) {
        if (e.cloudErrorKind() == CloudErrorKind.PERMISSION) {
            return "check the API key or the trusted profile and its access policies (docs/iam-policy.md)";
        }
        if (e.cloudErrorKind() == CloudErrorKind.CONFIGURATION) {
            // a key file or the token cache refused, or a parameter that cannot work: the reason names it
            return "fix what the reason names (docs/admin-guide.md, troubleshooting)";
        }
        return "check vpc_url/region, iam_url and the network path to them";
    }

    /** Runs every check that can run, in order; a failed check skips those that depend on it. */
    public List<Check> examine(Map<String, String> parameters, PrintStream log) {
        List<Check> checks = new ArrayList<>();
        String strategyName = parameters.getOrDefault(CommonParameters.STRATEGY, "");
        Optional<InstalledStrategy> strategy = registry.strategy(strategyName);
        if (strategy.isEmpty()) {
            checks.add(Check.fail(
                    "strategy",
                    strategyName.isEmpty()
                            ? "not set"
                            : "'" + strategyName + "' is not " + "installed (installed: "
                                    + String.join(", ", registry.strategyNames()) + ")",
                    "set strategy to an installed one; vpc-ha plugins lists them"));
            return checks;
        }
        checks.add(Check.ok(
                "strategy",
                strategyName + " " + strategy.get().version() + " from "
                        + strategy.get().source()));
        ResolvedParameters resolved;
        CloudSettings settings;
        try {
            resolved = ParameterResolver.resolve(
                    parameters, CommonParameters.all(), strategy.get(), registry.strategies());
            settings = CloudSettings.from(resolved.common());
        } catch (ConfigurationException e) {
            checks.add(Check.fail(
                    "parameters", Redaction.maskUrlUserInfo(e.getMessage()), "fix the resource's parameters"));
            return checks;
        }
        checks.add(Check.ok("parameters", resolved.strategy().toString()));
        resolved.warnings().forEach(warning -> checks.add(Check.warn("parameters", warning, "rename it")));

        AgentLog agentLog = new AgentLog("doctor", log, false);
        agentLog.addSecrets(resolved.secrets());
        Instant deadline = Instant.now().plus(CHECK_TIME);
        // the connections end with the checks (the validation thread, if it overran, fails on a closed one)
        try (HostCloudAccess cloud = new HostCloudAccess(
                settings, () -> deadline, agentLog, secret -> agentLog.addSecrets(Set.of(secret)))) {

            boolean metadataOk = false;
            try {
                Instance instance = cloud.metadata().instance();
                metadataOk = true;
                checks.add(Check.ok(
                        "metadata service",
                        "this is " + instance.name() + " (" + instance.id() + ") in " + instance.zone() + ", VPC "
                                + instance.vpcId()));
            } catch (StrategyException e) {
                checks.add(
                        Check.warn(
                                "metadata service",
                                agentLog.redact(e.reason()),
                                "enable the metadata service on "
                                        + "this instance, or set every default it gives (next_hop or node_ips, vpc_id, region or vpc_url)"));
            }
            try {
                cloud.vpc().listFloatingIps();
                checks.add(Check.ok("credentials", "a token was issued and accepted by the VPC API"));
            } catch (CloudException e) {
                checks.add(Check.fail("credentials", agentLog.redact(e.reason()), credentialFix(e)));
                return checks;
            } catch (StrategyException e) {
                checks.add(Check.fail("credentials", agentLog.redact(e.reason()), "check the credential parameters"));
                return checks;
            }

            // a state directory of its own, never a resource's
            HostStrategyContext context = new HostStrategyContext(
                    nodeName,
                    "vpc-ha-doctor",
                    deadline,
                    agentLog,
                    stateRoot,
                    cloud,
                    Clock.systemUTC(),
                    WriteFence.OPEN);
            CompletableFuture<Void> validated = new CompletableFuture<>();
            Thread validation = new Thread(
                    () -> {
                        try {
                            FailoverStrategy failover = strategy.get().create(resolved.strategy(), context);
                            PluginCalls.call(strategy.get().classLoader(), () -> {
                                failover.validate(CheckLevel.CLOUD);
                                return null;
                            });
                            validated.complete(null);
                        } catch (Throwable e) { // a plugin's failure, whatever it is, is this check's finding
                            validated.completeExceptionally(e);
                        }
                    },
                    "vpc-ha doctor validate");
            validation.setDaemon(true);
            validation.start();
            try {
                validated.get(
                        Math.max(0, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
                checks.add(Check.ok(
                        strategyName,
                        "validate-all at level 10 passed: the resources it needs exist, "
                                + "are where they must be, and the read calls are permitted"));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StrategyException failure) {
                    checks.add(Check.fail(
                            strategyName,
                            agentLog.redact(failure.reason()),
                            "see docs/admin-guide.md, troubleshooting"));
                } else {
                    checks.add(Check.fail(
                            strategyName,
                            "validate-all failed unexpectedly: " + agentLog.redact(String.valueOf(e.getCause())),
                            "report this to the strategy's author"));
                }
            } catch (TimeoutException e) {
                validation.interrupt();
                checks.add(Check.fail(
                        strategyName,
                        "validate-all did not finish within " + CHECK_TIME.toSeconds() + " s",
                        "see the log lines above for what it waited for"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                checks.add(Check.fail(strategyName, "interrupted", ""));
            }
            checks.add(writePermissions(agentLog));
            if (!metadataOk) {
                checks.add(
                        Check.skip("identity", "without the metadata service this node's defaults were not checked"));
            }
        }
        checks.addAll(pacemaker.checks(settings));
        return checks;
    }
}
