package io.vpcha.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The distribution tarball unpacked, with the out-of-tree example plugin dropped into its plugins
 * folder, and installed with its own install.sh into a temporary prefix and OCF root, exactly as an
 * administrator would. Nothing goes into this machine's own paths: Pacemaker's tools, which look for
 * agents only in {@value #PACEMAKER_AGENTS}, run in a mount namespace of their own that sees the
 * installed agents there ({@link #atPacemakersPath}).
 */
final class Installation implements AutoCloseable {
    static final String PROVIDER = "vpcha-it";
    private static final String PACEMAKER_AGENTS = "/usr/lib/ocf/resource.d";

    final Path root;
    final Path prefix;
    final Path ocfRoot;
    final Path agents;
    /** What Pacemaker's tools see as {@value #PACEMAKER_AGENTS}: the machine's providers, and ours. */
    private final Path pacemakersView;

    private Installation(Path root) {
        this.root = root;
        this.prefix = root.resolve("prefix");
        this.ocfRoot = root.resolve("ocf");
        this.agents = ocfRoot.resolve("resource.d").resolve(PROVIDER);
        this.pacemakersView = root.resolve("pacemakers-resource.d");
    }

    static Installation install() {
        assertThat(System.getProperty("user.name"))
                .as("the OCF tests install as root, as administrators do")
                .isEqualTo("root");
        Path example = examplePlugin();
        try {
            // readable by everyone: ocf-tester asks for meta-data as user nobody
            Path root = Files.createTempDirectory(
                    "vpc-ha-it", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Installation installation = new Installation(root);
            Path distribution = unpack(root.resolve("unpacked"));
            Files.copy(
                    example,
                    distribution.resolve("plugins").resolve(example.getFileName()),
                    StandardCopyOption.REPLACE_EXISTING);
            Command.Result install = Command.of(
                            distribution.resolve("install.sh").toString(),
                            "--prefix",
                            installation.prefix.toString(),
                            "--ocf-root",
                            installation.ocfRoot.toString(),
                            "--provider",
                            PROVIDER,
                            "--bin-dir",
                            "none")
                    .run();
            assertThat(install.exitCode()).as("%s", install).isZero();
            assertThat(install.stderr())
                    .as("install.sh built the class-data-sharing archive")
                    .doesNotContain("no class-data-sharing archive");
            assertThat(installation.prefix.resolve("lib/vpc-ha.jsa")).isRegularFile();
            assertThat(install.stdout())
                    .contains("agents: ocf:vpcha-it:vpc-ha, ")
                    .contains("ocf:vpcha-it:vpc-custom-route")
                    .contains("ocf:vpcha-it:vpc-floating-ip")
                    .contains("ocf:vpcha-it:vpc-load-balancer")
                    .contains("ocf:vpcha-it:vpc-public-address-range")
                    .contains("ocf:vpcha-it:vpc-secondary-ip")
                    .contains("ocf:vpcha-it:vpc-state-file");
            installation.makePacemakersView();
            return installation;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The distribution tarball unpacked into {@code folder}: the distribution's own folder in it. */
    static Path unpack(Path folder) throws IOException {
        Path tarball = Path.of(System.getProperty("vpcha.distribution"));
        assertThat(tarball)
                .as("the distribution tarball; build the whole project")
                .isRegularFile();
        Files.createDirectories(folder);
        Command.Result untar = Command.of("tar", "-xzf", tarball.toString(), "-C", folder.toString())
                .run();
        assertThat(untar.exitCode()).as("%s", untar).isZero();
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findFirst().orElseThrow();
        }
    }

    /** The out-of-tree example plugin the invoker built. */
    static Path examplePlugin() {
        Path example = Path.of(System.getProperty("vpcha.examplePlugin"));
        assertThat(example).as("the example plugin built by the invoker").isRegularFile();
        return example;
    }

    Path agent(String name) {
        return agents.resolve(name);
    }

    /**
     * {@code command} run where {@value #PACEMAKER_AGENTS} shows the installed agents (as
     * {@code ocf:vpcha-it:*}) beside the machine's own: in a mount namespace of its own, so this
     * machine's directory is never written.
     */
    String[] atPacemakersPath(String... command) {
        List<String> wrapped = new ArrayList<>(List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount --bind \"$0\" " + PACEMAKER_AGENTS + " && exec \"$@\"",
                pacemakersView.toString()));
        wrapped.addAll(List.of(command));
        return wrapped.toArray(String[]::new);
    }

    private void makePacemakersView() throws IOException {
        Files.createDirectories(pacemakersView);
        try (Stream<Path> providers = Files.list(Path.of(PACEMAKER_AGENTS))) {
            for (Path provider : providers.toList()) {
                if (!provider.getFileName().toString().equals(PROVIDER)) {
                    Files.createSymbolicLink(pacemakersView.resolve(provider.getFileName()), provider);
                }
            }
        }
        Files.createSymbolicLink(pacemakersView.resolve(PROVIDER), agents);
    }

    Path launcher() {
        return prefix.resolve("bin/vpc-ha");
    }

    @Override
    public void close() throws IOException {
        delete(root);
    }

    private static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        }
    }
}
