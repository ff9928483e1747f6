package io.vpcha.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.testing.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The distribution tarball unpacked, with the out-of-tree example plugin dropped into its plugins
 * folder, and installed with its own install.sh into a temporary prefix and into the real OCF root
 * (under a provider of its own, removed afterwards), exactly as an administrator would.
 */
final class Installation implements AutoCloseable {
    static final Path OCF_ROOT = Path.of("/usr/lib/ocf");
    static final String PROVIDER = "vpcha-it";

    final Path root;
    final Path prefix;
    final Path agents;

    private Installation(Path root) {
        this.root = root;
        this.prefix = root.resolve("prefix");
        this.agents = OCF_ROOT.resolve("resource.d").resolve(PROVIDER);
    }

    static Installation install() {
        assertThat(System.getProperty("user.name"))
                .as("the OCF tests install an agent into %s: run them as root", OCF_ROOT)
                .isEqualTo("root");
        Path tarball = Path.of(System.getProperty("vpcha.distribution"));
        Path example = Path.of(System.getProperty("vpcha.examplePlugin"));
        assertThat(tarball)
                .as("the distribution tarball; build the whole project")
                .isRegularFile();
        assertThat(example).as("the example plugin built by the invoker").isRegularFile();
        try {
            // readable by everyone: ocf-tester asks for meta-data as user nobody
            Path root = Files.createTempDirectory(
                    "vpc-ha-it", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Installation installation = new Installation(root);
            Path unpacked = root.resolve("unpacked");
            Files.createDirectories(unpacked);
            Command.Result untar = Command.of("tar", "-xzf", tarball.toString(), "-C", unpacked.toString())
                    .run();
            assertThat(untar.exitCode()).as("%s", untar).isZero();
            Path distribution;
            try (Stream<Path> entries = Files.list(unpacked)) {
                distribution = entries.findFirst().orElseThrow();
            }
            Files.copy(
                    example,
                    distribution.resolve("plugins").resolve(example.getFileName()),
                    StandardCopyOption.REPLACE_EXISTING);
            Command.Result install = Command.of(
                            distribution.resolve("install.sh").toString(),
                            "--prefix",
                            installation.prefix.toString(),
                            "--ocf-root",
                            OCF_ROOT.toString(),
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
                    .contains("ocf:vpcha-it:vpc-secondary-ip")
                    .contains("ocf:vpcha-it:vpc-state-file");
            return installation;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path agent(String name) {
        return agents.resolve(name);
    }

    Path launcher() {
        return prefix.resolve("bin/vpc-ha");
    }

    @Override
    public void close() throws IOException {
        delete(agents);
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
