package io.vpcha.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every line the test suite wrote (each module's test reports and captured output, this module's
 * included) is scanned for the secrets the tests use: the simulator scenario's API keys and the
 * agent tests' secret. This module builds last, so the other modules' reports are complete.
 */
class SecretScanIT {
    private static final Path PROJECT = Path.of(System.getProperty("user.dir")).getParent();
    /** The secret TestOcfAgent hands a strategy and asserts is masked. */
    private static final String AGENT_TEST_SECRET = "k3y-THAT-must-never-show";

    @Test
    void noTestSecretAppearsInAnyReportOrLog() throws IOException {
        List<String> secrets = new ArrayList<>(scenarioKeys());
        secrets.add(AGENT_TEST_SECRET);
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(3);

        List<Path> files = reportFiles();
        assertThat(files)
                .as("the reports of the modules that ran before this one")
                .hasSizeGreaterThan(10);
        assertThat(leaks(files, secrets)).isEmpty();
    }

    @Test
    void theScanFindsASecretWhereThereIsOne() throws IOException {
        // the scan above must be able to fail: plant a key in a report-like file
        Path planted = Files.createTempFile("planted", "-output.txt");
        try {
            Files.writeString(planted, "a log line with " + scenarioKeys().get(0) + " in it");
            assertThat(leaks(List.of(planted), scenarioKeys()))
                    .singleElement()
                    .asString()
                    .contains("contains the secret " + scenarioKeys().get(0).substring(0, 8));
        } finally {
            Files.delete(planted);
        }
    }

    /** One line per file and secret found in it; never the whole secret. */
    private static List<String> leaks(List<Path> files, List<String> secrets) throws IOException {
        List<String> leaks = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    leaks.add(file + " contains the secret " + secret.substring(0, 8) + "...");
                }
            }
        }
        return leaks;
    }

    private static List<String> scenarioKeys() throws IOException {
        Path scenario = PROJECT.resolve("simulator/scenarios/three-zone.json");
        List<String> keys = new ArrayList<>();
        for (JsonElement key : JsonParser.parseString(Files.readString(scenario))
                .getAsJsonObject()
                .getAsJsonArray("api_keys")) {
            keys.add(key.getAsJsonObject().get("key").getAsString());
        }
        return keys;
    }

    private static List<Path> reportFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(PROJECT)) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                for (String reports : List.of("target/surefire-reports", "target/failsafe-reports")) {
                    Path directory = module.resolve(reports);
                    if (Files.isDirectory(directory)) {
                        try (Stream<Path> walk = Files.walk(directory)) {
                            walk.filter(Files::isRegularFile).forEach(files::add);
                        }
                    }
                }
            }
        }
        return files;
    }
}
