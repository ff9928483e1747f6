package io.vpcha.host.doctor;

import io.vpcha.host.cloud.CloudSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Pacemaker settings that matter to a vpc-ha resource, read with Pacemaker's own tools: fencing
 * (without it a node that lost the cluster may keep serving: two owners), and the resource's
 * operation timeouts against the time the agent may spend retrying.
 */
public final class PacemakerSettings {
    private final Optional<String> resource;
    private final Map<String, String> environment;

    /**
     * @param environment the environment the tools run with (e.g. CIB_file to read a CIB file offline)
     */
    public PacemakerSettings(Optional<String> resource, Map<String, String> environment) {
        this.resource = resource;
        this.environment = Map.copyOf(environment);
    }

    List<Check> checks(CloudSettings settings) {
        List<Check> checks = new ArrayList<>();
        Optional<String> stonith = command(
                "crm_attribute",
                "--type",
                "crm_config",
                "--name",
                "stonith-enabled",
                "--default",
                "true",
                "--query",
                "--quiet");
        if (stonith.isEmpty()) {
            checks.add(Check.skip("fencing", "no cluster answered (crm_attribute); run doctor on a cluster node"));
            return checks;
        }
        if (stonith.get().strip().equals("false")) {
            checks.add(Check.warn(
                    "fencing",
                    "stonith-enabled=false",
                    "enable fencing: without it a node cut off "
                            + "from the cluster keeps its VIP while another node takes it"));
        } else {
            checks.add(Check.ok(
                    "fencing",
                    "stonith-enabled="
                            + (stonith.get().isBlank()
                                    ? "true (default)"
                                    : stonith.get().strip())));
        }
        if (resource.isPresent()) {
            Duration budget = settings.requestTimeout().multipliedBy(settings.maxAttempts());
            for (String operation : List.of("start", "monitor")) {
                Optional<Duration> timeout = operationTimeout(resource.get(), operation);
                if (timeout.isEmpty()) {
                    checks.add(Check.warn(
                            operation + " timeout",
                            "not set on " + resource.get() + "; Pacemaker's " + "default is 20 s",
                            "set op " + operation + " timeout=60s"));
                } else if (timeout.get().compareTo(budget) < 0) {
                    checks.add(Check.warn(
                            operation + " timeout",
                            timeout.get().toSeconds() + " s is less than the "
                                    + "retry budget (" + settings.maxAttempts() + " attempts x "
                                    + settings.requestTimeout().toSeconds() + " s)",
                            "raise the timeout or lower request_timeout/max_attempts"));
                } else {
                    checks.add(Check.ok(operation + " timeout", timeout.get().toSeconds() + " s"));
                }
            }
        }
        return checks;
    }

    /** The timeout of an operation of the resource, from its CIB definition. */
    Optional<Duration> operationTimeout(String resourceName, String operation) {
        return command("crm_resource", "--resource", resourceName, "--query-xml")
                .flatMap(xml -> {
                    int at = xml.indexOf("name=\"" + operation + "\"");
                    if (at < 0) {
                        return Optional.empty();
                    }
                    int start = xml.lastIndexOf("<op ", at);
                    int end = xml.indexOf('>', at);
                    String op = xml.substring(start, end);
                    int timeout = op.indexOf("timeout=\"");
                    if (timeout < 0) {
                        return Optional.empty();
                    }
                    String value = op.substring(timeout + 9, op.indexOf('"', timeout + 9));
                    return parseDuration(value);
                });
    }

    static Optional<Duration> parseDuration(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return Optional.of(Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))));
            }
            if (text.endsWith("min") || text.endsWith("m")) {
                return Optional.of(Duration.ofMinutes(Long.parseLong(text.replaceAll("[a-z]+$", ""))));
            }
            return Optional.of(Duration.ofSeconds(Long.parseLong(text.replaceAll("s$", ""))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A Pacemaker tool's output, or empty when it is missing or fails. */
    private Optional<String> command(String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(output);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The resource's definition from the CIB (XML), for doctor --resource. */
    public Optional<String> definition(String resourceName) {
        return command("crm_resource", "--resource", resourceName, "--query-xml");
    }

    /** The parameters of a resource definition; see {@link ResourceDefinition}. */
    public static Map<String, String> parameters(String definitionXml) {
        return ResourceDefinition.parameters(definitionXml);
    }

    /** This node's name in the cluster, when a cluster answers. */
    public Optional<String> localNodeName() {
        return command("crm_node", "-n").map(String::strip).filter(name -> !name.isEmpty());
    }
}
