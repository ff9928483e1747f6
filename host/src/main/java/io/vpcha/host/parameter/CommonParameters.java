package io.vpcha.host.parameter;

import io.vpcha.host.cloud.CloudParameters;
import io.vpcha.spi.ParameterSpec;
import io.vpcha.spi.ParameterType;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The parameters the host itself declares for every resource, whatever its strategy. */
public final class CommonParameters {
    public static final String STRATEGY = "strategy";
    public static final String METRICS_DIR = "metrics_dir";
    /** Where Debian's prometheus-node-exporter reads text files from (its --collector.textfile.directory). */
    public static final String DEFAULT_METRICS_DIR = "/var/lib/prometheus/node-exporter";

    private static final List<ParameterSpec> ALL = Stream.concat(
                    Stream.of(ParameterSpec.builder(STRATEGY, ParameterType.STRING)
                            .shortDescription("Failover strategy")
                            .longDescription(
                                    "The failover strategy this resource uses: the name of an installed strategy "
                                            + "plugin (vpc-ha plugins lists them). The strategy decides how the cloud is told that this "
                                            + "node is now the active one, and which of the parameters below apply.")
                            .required()
                            .build()),
                    Stream.concat(
                            CloudParameters.all().stream(),
                            Stream.of(ParameterSpec.builder(METRICS_DIR, ParameterType.STRING)
                                    .shortDescription("Prometheus textfile directory")
                                    .longDescription("Where every action writes this resource's metrics in "
                                            + "Prometheus' text format (vpc-ha-RESOURCE.prom), for node_exporter's "
                                            + "textfile collector: action counts and times, cloud requests, "
                                            + "readiness, the last failover. Written only when the directory exists "
                                            + "and only root may write to it; empty turns metrics off.")
                                    .defaultValue(DEFAULT_METRICS_DIR)
                                    .reloadable()
                                    .build())))
            .toList();

    private CommonParameters() {}

    public static List<ParameterSpec> all() {
        return ALL;
    }

    /** The common parameters of an agent whose strategy is fixed (ocf:ibm:vpc-STRATEGY): all but strategy. */
    public static List<ParameterSpec> forFixedStrategy() {
        return ALL.stream().filter(spec -> !spec.name().equals(STRATEGY)).toList();
    }

    /** Every name and alias of the common parameters: no strategy may declare one. */
    public static Set<String> reservedNames() {
        return ALL.stream()
                .flatMap(spec -> Stream.concat(Stream.of(spec.name()), spec.deprecatedAliases().stream()))
                .collect(Collectors.toUnmodifiableSet());
    }
}
