package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.plugin.InstalledStrategy;
import io.vpcha.spi.ParameterSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the stop of a resource needs, recorded on this node when the resource starts (and when it is
 * promoted): the strategy that started it and that strategy's parameters as they were. Pacemaker
 * stops a resource whose parameters changed with the new ones, so without this record a changed
 * {@code strategy} would run the new strategy's stop and leave what the old one added here (a VIP on
 * the guest interface, a health listener) while Pacemaker believes the resource stopped.
 *
 * <p>Never a secret: parameters a strategy declares sensitive are left out (a stop takes them from the
 * current configuration), and the host's cloud parameters are not recorded at all: they are all
 * reloadable, every action reads them afresh, and a credential rotated while the resource runs must
 * still serve its stop.
 *
 * <p>The file is {@code <state root>/vpc-ha/.stop/<instance>}, a {@link ResourceRecordFile}: root's
 * alone, never written through a link. Emptied at boot with the state root, as a stopped resource must
 * be; a successful stop removes it.
 */
final class StopRecord {
    private static final String DIRECTORY = ".stop";
    private static final String STRATEGY = "strategy";
    private static final String AT = "at";
    private static final String PARAMETER = "parameter.";

    private final ResourceRecordFile record;

    StopRecord(Path stateRoot, String resourceInstance) {
        this.record = new ResourceRecordFile(stateRoot, DIRECTORY, resourceInstance);
    }

    /**
     * A resource as it was started here.
     *
     * @param parameters the strategy's parameters by the names the administrator used, without secrets
     */
    record Started(String strategy, Map<String, String> parameters) {
        Started {
            requireNonNull(strategy, "strategy is null");
            if (strategy.isBlank()) {
                throw new IllegalArgumentException("strategy is blank");
            }
            parameters = Map.copyOf(new TreeMap<>(requireNonNull(parameters, "parameters is null")));
        }

        /**
         * The names of what differs from a configuration with {@code currentStrategy} and its parameters (as
         * {@link #parametersOf} picks them): {@code strategy} first, then the parameters in order. Empty
         * when nothing does.
         */
        List<String> changesFrom(String currentStrategy, Map<String, String> currentParameters) {
            TreeSet<String> changed = new TreeSet<>(parameters.keySet());
            changed.addAll(currentParameters.keySet());
            changed.removeIf(name ->
                    Optional.ofNullable(parameters.get(name)).equals(Optional.ofNullable(currentParameters.get(name))));
            return strategy.equals(currentStrategy)
                    ? List.copyOf(changed)
                    : Stream.concat(Stream.of(STRATEGY), changed.stream()).toList();
        }
    }

    /**
     * What of a resource's parameters a record keeps for {@code strategy}: those it declares (by any of
     * their names), except the sensitive ones.
     */
    static Map<String, String> parametersOf(Map<String, String> raw, InstalledStrategy strategy) {
        Map<String, String> kept = new TreeMap<>();
        raw.forEach((name, value) -> {
            Optional<ParameterSpec> spec = strategy.parameters().stream()
                    .filter(declared -> declared.answersTo(name))
                    .findFirst();
            if (spec.isPresent() && !spec.get().sensitive()) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    Path file() {
        return record.file();
    }

    /**
     * What the start recorded; empty when nothing was (a resource started by an older vpc-ha, or not
     * started here), and when the record cannot be trusted or read, which the log says.
     */
    Optional<Started> read(System.Logger log) {
        Optional<Properties> values = record.read(log);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new TreeMap<>();
        for (String key : values.get().stringPropertyNames()) {
            if (key.startsWith(PARAMETER) && key.length() > PARAMETER.length()) {
                parameters.put(key.substring(PARAMETER.length()), values.get().getProperty(key));
            }
        }
        try {
            return Optional.of(new Started(values.get().getProperty(STRATEGY, ""), parameters));
        } catch (IllegalArgumentException damaged) {
            record.logDamaged(log);
            return Optional.empty();
        }
    }

    /** Records {@code started}, replacing what was recorded. */
    void write(Started started, Instant at) throws IOException {
        Map<String, String> values = new TreeMap<>();
        values.put(STRATEGY, started.strategy());
        values.put(AT, at.toString());
        for (Map.Entry<String, String> parameter : started.parameters().entrySet()) {
            values.put(PARAMETER + parameter.getKey(), parameter.getValue());
        }
        record.write(values, "vpc-ha: what a stop of this resource needs (no secrets)");
    }

    /**
     * Forgets the record (the resource stopped here); never through a directory that is not vpc-ha's
     * own. A failure only logs: the resource stopped all the same, and the next stop finds what it needs.
     */
    void clear(System.Logger log) {
        record.clear(log);
    }
}
