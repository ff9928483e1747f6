package io.vpcha.host.cds;

import io.vpcha.host.cli.OcfCommand;
import io.vpcha.host.install.HostInstallation;
import io.vpcha.host.ocf.OcfAgent;
import io.vpcha.host.ocf.OcfEnvironment;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.IndexedPlugins;
import io.vpcha.host.plugin.PluginSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The workload an application class-data-sharing archive is trained on ({@code bin/vpc-ha-cds}): the
 * actions Pacemaker runs, in one JVM, through the same code and the same installed plugins, against
 * simulators the script started (HTTPS, metadata, tokens): meta-data, a probe, a failover start with
 * its PATCHes, a recurring monitor, validate-all, stop, for the shipped strategies (load-balancer in both
 * modes, its health-check listener on loopback; secondary-ip's reservation and bind;
 * public-address-range's move across zones on the two-zone-par simulator). The JVM then dumps
 * every class it loaded, so each later action maps them instead of loading and verifying them.
 */
public final class ArchiveTraining {
    private ArchiveTraining() {}

    /**
     * Arguments: {@code name=value} settings: vpc_url, iam_url, ca_file, metadata_url_a,
     * metadata_url_b (node-a and node-b of the three-zone scenario), par_vpc_url, par_iam_url,
     * par_ca_file, metadata_url_fw_b (fw-b of the two-zone-par scenario), work (a scratch folder).
     */
    public static int run(String[] args) {
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals > 0) {
                settings.put(arg.substring(0, equals), arg.substring(equals + 1));
            }
        }
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        outcomes.put("meta-data", OcfCommand.runAgent("meta-data", Map.of(), sink, sink));
        outcomes.put(
                "meta-data custom-route",
                OcfCommand.runAgent("meta-data", Map.of("VPC_HA_STRATEGY", "custom-route"), sink, sink));
        Map<String, String> vip = Map.of(
                "OCF_RESKEY_strategy",
                "custom-route",
                "OCF_RESKEY_vip",
                "10.0.0.100",
                "OCF_RESKEY_manage_local_ip",
                "false");
        outcomes.put("probe", run("monitor", node(settings, "b", vip, false), sink));
        outcomes.put("failover start", run("start", node(settings, "b", vip, false), sink));
        outcomes.put("monitor", run("monitor", node(settings, "b", vip, true), sink));
        outcomes.put("stop", run("stop", node(settings, "b", vip, false), sink));
        Map<String, String> fip = Map.of("OCF_RESKEY_strategy", "floating-ip", "OCF_RESKEY_floating_ip", "vip-fip");
        outcomes.put("floating-ip start", run("start", node(settings, "a", fip, false), sink));
        outcomes.put("floating-ip monitor", run("monitor", node(settings, "a", fip, true), sink));
        Map<String, String> validate = new HashMap<>(node(settings, "a", fip, false));
        validate.put("OCF_CHECK_LEVEL", "10");
        outcomes.put("floating-ip validate-all", run("validate-all", validate, sink));
        outcomes.put("floating-ip stop", run("stop", node(settings, "a", fip, false), sink));
        // load-balancer, both modes: health-check's listener (a process of its own, /proc reads, a local
        // connect) and pool-member's requests; node-a's member is the weighted one, so its start writes nothing
        Map<String, String> healthCheck = Map.of(
                "OCF_RESKEY_strategy", "load-balancer",
                "OCF_RESKEY_load_balancer", "app-lb",
                "OCF_RESKEY_pool", "app-pool",
                "OCF_RESKEY_health_port", Integer.toString(freePort()),
                "OCF_RESKEY_health_address", "127.0.0.1");
        lifecycle(
                outcomes, "load-balancer health-check", recurring -> node(settings, "a", healthCheck, recurring), sink);
        Map<String, String> poolMember = Map.of(
                "OCF_RESKEY_strategy", "load-balancer",
                "OCF_RESKEY_mode", "pool-member",
                "OCF_RESKEY_load_balancer", "app-lb",
                "OCF_RESKEY_pool", "app-pool");
        outcomes.put("load-balancer pool-member start", run("start", node(settings, "a", poolMember, false), sink));
        outcomes.put("load-balancer pool-member monitor", run("monitor", node(settings, "a", poolMember, true), sink));
        outcomes.put("load-balancer pool-member stop", run("stop", node(settings, "a", poolMember, false), sink));
        // secondary-ip on node-b's network attachment: an address with no reserved IP yet is reserved in
        // its VNI's subnet, bound there and read back; stop unbinds it (the guest interface is left alone)
        Map<String, String> secondaryIp = Map.of(
                "OCF_RESKEY_strategy", "secondary-ip",
                "OCF_RESKEY_ip", "10.240.64.100",
                "OCF_RESKEY_manage_local_ip", "false",
                "OCF_RESKEY_stop_policy", "unbind");
        lifecycle(outcomes, "secondary-ip", recurring -> node(settings, "b", secondaryIp, recurring), sink);
        // public-address-range against the two-zone-par simulator: fw-b's start moves the range to its zone
        // (one PATCH, waiting until it is stable) and its ingress route to fw-b
        Map<String, String> range =
                Map.of("OCF_RESKEY_strategy", "public-address-range", "OCF_RESKEY_public_address_range", "fw-par");
        lifecycle(outcomes, "public-address-range", recurring -> firewall(settings, range, recurring), sink);
        System.err.println("vpc-ha-cds: trained on " + outcomes);
        return 0;
    }

    /**
     * A probe, a start, a recurring monitor and a stop of one resource on one node, as Pacemaker runs them.
     *
     * @param environment the node's environment for the resource, for a recurring action or not
     */
    private static void lifecycle(
            Map<String, Integer> outcomes,
            String resource,
            Function<Boolean, Map<String, String>> environment,
            PrintStream sink) {
        outcomes.put(resource + " probe", run("monitor", environment.apply(false), sink));
        outcomes.put(resource + " start", run("start", environment.apply(false), sink));
        outcomes.put(resource + " monitor", run("monitor", environment.apply(true), sink));
        outcomes.put(resource + " stop", run("stop", environment.apply(false), sink));
    }

    /** A port nothing listens on now, for the health listener (training only: a race costs a slower archive). */
    private static int freePort() {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        } catch (IOException e) {
            return 18085;
        }
    }

    /** One action in this JVM, its timeout counted from now (not from the start of this process). */
    private static int run(String action, Map<String, String> environment, PrintStream sink) {
        // through the plugin index, as every action Pacemaker runs
        PluginSource plugins = IndexedPlugins.of(
                HostInstallation.pluginsDirectory(Optional.empty(), environment),
                CommonParameters.reservedNames(),
                environment);
        return new OcfAgent(plugins, new OcfEnvironment(environment), sink, sink, Instant.now()).run(action);
    }

    /** Firewall fw-b of the two-zone-par simulator (the par_* settings), as {@link #node} is a three-zone node. */
    private static Map<String, String> firewall(
            Map<String, String> settings, Map<String, String> resource, boolean recurring) {
        Map<String, String> environment = node(settings, "b", resource, recurring);
        Path work = Path.of(settings.getOrDefault("work", "/tmp"));
        environment.put("OCF_RESKEY_CRM_meta_on_node", "fw-b");
        environment.put("HA_RSCTMP", work.resolve("fw-b").toString());
        environment.put(
                "OCF_RESKEY_token_cache_dir", work.resolve("tokens-fw-b").toString());
        environment.put("OCF_RESKEY_vpc_url", settings.get("par_vpc_url"));
        environment.put("OCF_RESKEY_iam_url", settings.get("par_iam_url"));
        environment.put("OCF_RESKEY_ca_file", settings.get("par_ca_file"));
        environment.put("OCF_RESKEY_metadata_url", settings.get("metadata_url_fw_b"));
        return environment;
    }

    private static Map<String, String> node(
            Map<String, String> settings, String node, Map<String, String> resource, boolean recurring) {
        Path work = Path.of(settings.getOrDefault("work", "/tmp"));
        Map<String, String> environment = new HashMap<>(resource);
        environment.put("OCF_RESOURCE_INSTANCE", "cds-training");
        // metrics are written as a node's actions write them (so that path's classes are in the archive), but
        // into the training's own directory: training runs are no resource of this node, nothing for node_exporter
        // (only in the private folder vpc-ha-cds makes, never in the shared /tmp of the default)
        String metrics = "";
        if (settings.containsKey("work")) {
            try {
                metrics = Files.createDirectories(work.resolve("metrics")).toString();
            } catch (IOException e) {
                // no metrics then, only a smaller archive
            }
        }
        environment.put("OCF_RESKEY_metrics_dir", metrics);
        environment.put("OCF_RESKEY_CRM_meta_on_node", "node-" + node);
        environment.put("OCF_RESKEY_CRM_meta_timeout", "30000");
        if (recurring) {
            environment.put("OCF_RESKEY_CRM_meta_interval", "10000");
        }
        environment.put("HA_RSCTMP", work.resolve("node-" + node).toString());
        environment.put(
                "OCF_RESKEY_token_cache_dir", work.resolve("tokens-" + node).toString());
        environment.put("OCF_RESKEY_vpc_url", settings.get("vpc_url"));
        environment.put("OCF_RESKEY_iam_url", settings.get("iam_url"));
        environment.put("OCF_RESKEY_ca_file", settings.get("ca_file"));
        environment.put("OCF_RESKEY_metadata_url", settings.get("metadata_url_" + node));
        String plugins = System.getenv("VPC_HA_PLUGINS");
        if (plugins != null) {
            environment.put("VPC_HA_PLUGINS", plugins);
        }
        return environment;
    }
}
