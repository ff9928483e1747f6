package io.vpcha.host.ocf;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The last start (or promote) of a resource on this node that the cloud refused for a missing
 * permission (OCF_ERR_PERM from the strategy): when, which action, and its exit reason, which names the
 * IAM action where the strategy knows it. {@code vpc-ha doctor} never writes to the cloud, so this is
 * how it can say which write permission is missing; a later successful start or promote removes it.
 *
 * <p>Never a secret: the reason is recorded as the exit reason shows it, redacted the same way. The
 * file is {@code <state root>/vpc-ha/.refused/<instance>}, a {@link ResourceRecordFile}.
 */
public final class RefusalRecord {
    private static final String DIRECTORY = ".refused";
    private static final String ACTION = "action";
    private static final String AT = "at";
    private static final String REASON = "reason";

    private final ResourceRecordFile record;

    public RefusalRecord(Path stateRoot, String resourceInstance) {
        this.record = new ResourceRecordFile(stateRoot, DIRECTORY, resourceInstance);
    }

    /** A refused action: {@code reason} is its redacted exit reason. */
    public record Refusal(String action, Instant at, String reason) {
        public Refusal {
            requireNonNull(action, "action is null");
            requireNonNull(at, "at is null");
            requireNonNull(reason, "reason is null");
            if (action.isBlank() || reason.isBlank()) {
                throw new IllegalArgumentException("a refusal names its action and its reason");
            }
        }
    }

    Path file() {
        return record.file();
    }

    /** The last refusal recorded; empty when there is none, or none that can be trusted or read (logged). */
    public Optional<Refusal> read(System.Logger log) {
        Optional<Properties> values = record.read(log);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Refusal(
                    values.get().getProperty(ACTION, ""),
                    Instant.parse(values.get().getProperty(AT, "")),
                    values.get().getProperty(REASON, "")));
        } catch (DateTimeParseException | IllegalArgumentException damaged) {
            record.logDamaged(log);
            return Optional.empty();
        }
    }

    /** Records {@code refusal}, replacing what was recorded. */
    void write(Refusal refusal) throws IOException {
        Map<String, String> values = new TreeMap<>();
        values.put(ACTION, refusal.action());
        values.put(AT, refusal.at().toString());
        values.put(REASON, refusal.reason());
        record.write(values, "vpc-ha: the last start or promote the cloud refused (no secrets)");
    }

    /** Forgets the refusal (an action succeeded since); a failure only logs. */
    void clear(System.Logger log) {
        record.clear(log);
    }
}
