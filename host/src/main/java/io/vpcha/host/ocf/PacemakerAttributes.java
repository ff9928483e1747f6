package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.files.WriteFence;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node attributes a promotable resource keeps through Pacemaker's own tools: its promotion score
 * (what resource-agents' {@code ocf_promotion_score} does: {@code crm_attribute --promotion}, or
 * {@code crm_master -l reboot} before CRM feature set 3.10) and a readiness attribute that
 * {@code crm_mon -A} shows and Pacemaker's alerts report when it changes. Both live until the node
 * reboots (attrd's transient attributes).
 *
 * <p>A tool that fails or hangs is logged, never an action's failure: without a cluster (ocf-tester)
 * there is nothing to set, and a monitor must not fail for want of an attribute.
 */
final class PacemakerAttributes {
    /** The longest a tool may take; attrd answers in milliseconds. */
    private static final long TOOL_TIMEOUT_MILLIS = 5_000;

    private static final int LONGEST_OUTPUT = 4096;
    /** A CRM feature set, {@code 3.19.0}: its major and minor version. */
    private static final Pattern FEATURE_SET = Pattern.compile("(\\d+)(?:\\.(\\d+))?.*");

    private final OcfEnvironment environment;
    private final System.Logger log;
    private final WriteFence fence;

    PacemakerAttributes(OcfEnvironment environment, System.Logger log) {
        this(environment, log, WriteFence.OPEN);
    }

    /** @param fence asked before each tool is started: a warm action whose client gave up sets nothing */
    PacemakerAttributes(OcfEnvironment environment, System.Logger log, WriteFence fence) {
        this.environment = requireNonNull(environment, "environment is null");
        this.log = requireNonNull(log, "log is null");
        this.fence = requireNonNull(fence, "fence is null");
    }

    /** The name of the readiness attribute of {@code resource}. */
    static String readinessAttribute(String resource) {
        return "vpc-ha-readiness-" + resource;
    }

    void promotionScore(int score) {
        run(promotionCommand("-v", Integer.toString(score)), "set the promotion score to " + score);
    }

    /** Both at once: two tools running side by side, so that a promotion waits for one. */
    void promotionScoreAndReadiness(int score, String value) {
        List<Running> both = new ArrayList<>();
        both.add(start(promotionCommand("-v", Integer.toString(score)), "set the promotion score to " + score));
        both.add(start(
                attributeCommand("-v", value),
                "set " + readinessAttribute(environment.resourceName()) + " to '" + value + "'"));
        both.forEach(this::finish);
    }

    void deletePromotionScore() {
        run(promotionCommand("-D"), "remove the promotion score");
    }

    void readiness(String value) {
        run(
                attributeCommand("-v", value),
                "set " + readinessAttribute(environment.resourceName()) + " to '" + value + "'");
    }

    void deleteReadiness() {
        run(attributeCommand("-D"), "remove " + readinessAttribute(environment.resourceName()));
    }

    private List<String> promotionCommand(String... operation) {
        Path tools = environment.pacemakerTools();
        List<String> command = new ArrayList<>();
        if (beforePromotionOption() && Files.isExecutable(tools.resolve("crm_master"))) {
            command.add(tools.resolve("crm_master").toString());
            command.add("-l");
            command.add("reboot");
        } else {
            command.add(tools.resolve("crm_attribute").toString());
            command.add("--promotion");
        }
        command.addAll(List.of(operation));
        return command;
    }

    private List<String> attributeCommand(String... operation) {
        List<String> command = new ArrayList<>(List.of(
                environment.pacemakerTools().resolve("crm_attribute").toString(),
                "-N",
                environment.nodeName(),
                "-n",
                readinessAttribute(environment.resourceName()),
                "-l",
                "reboot"));
        command.addAll(List.of(operation));
        return command;
    }

    /** Whether Pacemaker is older than crm_attribute's --promotion (CRM feature set 3.10.0). */
    private boolean beforePromotionOption() {
        Optional<String> featureSet = environment.crmFeatureSet();
        if (featureSet.isEmpty()) {
            return false;
        }
        Matcher version = FEATURE_SET.matcher(featureSet.get().trim());
        if (!version.matches()) {
            return false;
        }
        try {
            int major = Integer.parseInt(version.group(1));
            int minor = version.group(2) == null ? 0 : Integer.parseInt(version.group(2));
            return major < 3 || (major == 3 && minor < 10);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void run(List<String> command, String what) {
        finish(start(command, what));
    }

    /** A tool started, or not (then why is logged). */
    private record Running(List<String> command, String what, Optional<Process> process) {}

    private Running start(List<String> command, String what) {
        try {
            fence.check();
        } catch (WriteFence.Closed closed) {
            log.log(Level.INFO, "not done (" + what + "): " + closed.getMessage());
            return new Running(command, what, Optional.empty());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // the tools name the resource by the agent's instance, as for ocf_promotion_score
        builder.environment().put("OCF_RESOURCE_INSTANCE", environment.resourceInstance());
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            return new Running(command, what, Optional.of(builder.start()));
        } catch (IOException e) {
            log.log(Level.WARNING, "cannot " + what + ": " + e.getMessage());
            return new Running(command, what, Optional.empty());
        }
    }

    private void finish(Running running) {
        if (running.process().isEmpty()) {
            return;
        }
        Process process = running.process().get();
        List<String> command = running.command();
        String what = running.what();
        try {
            boolean ended = process.waitFor(TOOL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly();
                log.log(
                        Level.WARNING,
                        "cannot " + what + ": " + command.get(0) + " did not answer within "
                                + TOOL_TIMEOUT_MILLIS / 1000 + "s");
                return;
            }
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readNBytes(LONGEST_OUTPUT), StandardCharsets.UTF_8).trim();
            }
            if (process.exitValue() != 0) {
                log.log(
                        Level.WARNING,
                        "cannot " + what + " (" + Path.of(command.get(0)).getFileName() + " exit "
                                + process.exitValue()
                                + (output.isEmpty()
                                        ? ""
                                        : ": " + output.lines().findFirst().orElse(""))
                                + ")");
            } else {
                log.log(Level.DEBUG, () -> what);
            }
        } catch (IOException e) {
            log.log(Level.WARNING, "cannot " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            log.log(Level.WARNING, "cannot " + what + ": interrupted");
        }
    }
}
