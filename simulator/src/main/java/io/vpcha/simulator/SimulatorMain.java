package io.vpcha.simulator;

import io.vpcha.simulator.scenario.Scenario;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Standalone entry point:
 * <pre>
 * java -jar vpc-ha-simulator-VERSION-standalone.jar --scenario three-zone --listen 127.0.0.1:8080 \
 *      [--https --ca-out FILE --tls-name NAME...] [--metadata-listen ADDR:PORT] [--metadata-port-base N] [--token-lifetime SECONDS]
 * </pre>
 * Prints the URLs as {@code KEY=value} lines on stdout, then runs until SIGTERM or SIGINT.
 */
public final class SimulatorMain {
    public static final int EXIT_OK = 0;
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_USAGE = 2;

    private static final String USAGE = """
            Usage: vpc-ha simulator [options]
              --scenario FILE|NAME       scenario JSON file, or a built-in name (default: three-zone)
              --listen ADDR:PORT         VPC + IAM + admin listener (default: 127.0.0.1:0 = any free port)
              --https                    serve that listener over HTTPS with a generated CA
              --ca-out FILE              where to write the CA certificate (PEM); implies --https
              --tls-name NAME            another DNS name or IP address for the server certificate, e.g.
                                         us-south.iaas.cloud.ibm.com or iam.cloud.ibm.com (repeatable)
              --metadata-listen ADDR:PORT  shared metadata listener (caller identified by source address)
              --metadata-port-base N     per-instance metadata listeners on N, N+1, ... (default: free ports)
              --no-instance-metadata     no per-instance metadata listeners
              --token-lifetime SECONDS   IAM token lifetime (default: 3600)
              --help                     this text
            """;

    private SimulatorMain() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, true);
        if (code != EXIT_OK) {
            System.exit(code);
        }
    }

    /** Parses, starts, prints the URLs; blocks until shutdown when {@code block} is set. */
    static int run(String[] args, PrintStream out, PrintStream err, boolean block) {
        SimulatorOptions.Builder builder = SimulatorOptions.builder();
        String scenario = "three-zone";
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--scenario" -> scenario = value(args, ++i, arg);
                    case "--listen" -> {
                        HostPort listen = HostPort.parse(value(args, ++i, arg));
                        builder.host(listen.host()).port(listen.port());
                    }
                    case "--https" -> builder.https(true);
                    case "--ca-out" -> builder.https(true).caCertificateFile(Path.of(value(args, ++i, arg)));
                    case "--tls-name" -> builder.tlsName(tlsName(value(args, ++i, arg)));
                    case "--metadata-listen" -> {
                        HostPort listen = HostPort.parse(value(args, ++i, arg));
                        builder.metadataHost(listen.host()).metadataPort(listen.port());
                    }
                    case "--metadata-port-base" -> builder.metadataPortBase(Integer.parseInt(value(args, ++i, arg)));
                    case "--no-instance-metadata" -> builder.perInstanceMetadata(false);
                    case "--token-lifetime" ->
                        builder.tokenLifetime(Duration.ofSeconds(Long.parseLong(value(args, ++i, arg))));
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return EXIT_OK;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("simulator: " + e.getMessage());
            err.print(USAGE);
            return EXIT_USAGE;
        }
        VpcSimulator simulator;
        try {
            builder.scenario(Scenario.resolve(scenario));
            simulator = VpcSimulator.start(builder.build());
        } catch (RuntimeException e) {
            err.println("simulator: " + e.getMessage());
            return EXIT_ERROR;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        if (block) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                simulator.close();
                                stopped.countDown();
                            },
                            "vpc-simulator-shutdown"));
        }
        out.println("# vpc-ha simulator: scenario " + scenario + ", started in " + simulator.startupMillis() + " ms");
        out.println("VPC_URL=" + simulator.vpcUrl());
        out.println("IAM_URL=" + simulator.iamUrl());
        out.println("ADMIN_URL=" + simulator.adminUrl());
        out.println("METADATA_URL=" + simulator.metadataUrl());
        simulator.metadataUrlsByName().forEach((name, uri) -> out.println("METADATA_URL_" + envName(name) + "=" + uri));
        if (simulator.caCertificate() != null) {
            out.println("CA_CERT=" + simulator.caCertificate().toAbsolutePath());
        }
        out.flush();
        if (!block) {
            simulator.close();
            return EXIT_OK;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return EXIT_OK;
    }

    /** A DNS name or an IP literal; anything else would make certificate generation fail later. */
    private static String tlsName(String name) {
        if (!name.matches("[A-Za-z0-9*]([A-Za-z0-9.:*-]*[A-Za-z0-9])?") || name.length() > 253) {
            throw new IllegalArgumentException("--tls-name needs a DNS name or an IP address, got " + name);
        }
        return name;
    }

    private static String envName(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    record HostPort(String host, int port) {
        static HostPort parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected ADDR:PORT, got " + text);
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("port out of range in " + text);
                }
                return new HostPort(host.isEmpty() ? "0.0.0.0" : host, port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected ADDR:PORT, got " + text);
            }
        }
    }
}
