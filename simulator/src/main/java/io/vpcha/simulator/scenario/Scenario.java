package io.vpcha.simulator.scenario;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A scenario: the seed state of a simulation (VPCs, zones, subnets, routing tables and routes,
 * instances with NICs or VNIs, floating IPs, load balancers, API keys, trusted profiles, behaviour
 * settings and faults), as JSON. The format is documented in docs/simulator.md.
 */
public final class Scenario {
    private static final String RESOURCE_DIRECTORY = "io/vpcha/simulator/scenarios/";

    private final String name;
    private final JsonObject json;

    private Scenario(String name, JsonObject json) {
        this.name = Objects.requireNonNull(name, "name is null");
        this.json = Objects.requireNonNull(json, "json is null");
    }

    public static Scenario fromJson(String text) {
        return fromJson("inline", text);
    }

    public static Scenario fromJson(String name, String text) {
        try {
            JsonElement element = JsonParser.parseString(text);
            if (!element.isJsonObject()) {
                throw new IllegalArgumentException("scenario " + name + " is not a JSON object");
            }
            return new Scenario(name, element.getAsJsonObject());
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("scenario " + name + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    public static Scenario load(Path path) {
        try {
            return fromJson(path.getFileName().toString(), Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scenario " + path, e);
        }
    }

    /** A scenario shipped with the simulator, by name (for example {@code three-zone}). */
    public static Scenario builtIn(String name) {
        String resource = RESOURCE_DIRECTORY + name + ".json";
        try (InputStream in = Scenario.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no built-in scenario named " + name);
            }
            return fromJson(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in scenario " + name, e);
        }
    }

    /** A path to a file if it exists, otherwise the name of a built-in scenario. */
    public static Scenario resolve(String pathOrName) {
        Path path = Path.of(pathOrName);
        if (Files.isRegularFile(path)) {
            return load(path);
        }
        return builtIn(pathOrName);
    }

    /** The example shipped with the simulator: three zones, two nodes, VIP routes, a floating IP. */
    public static Scenario threeZone() {
        return builtIn("three-zone");
    }

    /** An empty region (us-south, three zones, no VPC). */
    public static Scenario empty() {
        return fromJson("empty", "{\"region\":\"us-south\",\"zones\":[\"us-south-1\",\"us-south-2\",\"us-south-3\"]}");
    }

    public String name() {
        return name;
    }

    /** A copy of the scenario's JSON. */
    public JsonObject json() {
        return json.deepCopy();
    }
}
