package io.vpcha.simulator.journal;

import com.google.gson.JsonObject;
import io.vpcha.simulator.http.Json;
import java.time.Instant;
import java.util.List;

/**
 * One handled call. {@code endpoint} is the path template ({@code /v1/vpcs/{vpc_id}/routing_tables}),
 * {@code credentialKind} says what authenticated the call (never the credential itself): none, apikey,
 * iam_token_apikey, iam_token_trusted_profile, identity_token, invalid_token, expired_token.
 */
public record JournalEntry(
        long sequence,
        Instant time,
        String service,
        String method,
        String path,
        String endpoint,
        int status,
        long latencyMillis,
        String callerInstanceId,
        String callerInstanceName,
        String credentialKind,
        List<String> faults) {

    public JsonObject toJson() {
        return Json.object()
                .put("sequence", sequence)
                .put("time", time.toString())
                .put("service", service)
                .put("method", method)
                .put("path", path)
                .put("endpoint", endpoint)
                .put("status", status)
                .put("latency_ms", latencyMillis)
                .put("caller_instance_id", callerInstanceId)
                .put("caller_instance_name", callerInstanceName)
                .put("credential_kind", credentialKind)
                .put("faults", Json.strings(faults))
                .build();
    }

    /** Collects an entry's fields while the call is handled; the journal assigns the sequence. */
    public static final class Builder {
        private final Instant time = Instant.now();
        private final long startNanos = System.nanoTime();
        private String service = "unknown";
        private String method = "";
        private String path = "";
        private String endpoint;
        private int status;
        private String callerInstanceId;
        private String callerInstanceName;
        private String credentialKind = "none";
        private List<String> faults = List.of();

        public Builder service(String service) {
            this.service = service;
            return this;
        }

        public Builder call(String method, String path) {
            this.method = method;
            this.path = path;
            return this;
        }

        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder status(int status) {
            this.status = status;
            return this;
        }

        public Builder caller(String instanceId, String instanceName) {
            this.callerInstanceId = instanceId;
            this.callerInstanceName = instanceName;
            return this;
        }

        public Builder credentialKind(String credentialKind) {
            this.credentialKind = credentialKind;
            return this;
        }

        public Builder faults(List<String> faults) {
            this.faults = List.copyOf(faults);
            return this;
        }

        JournalEntry build(long sequence) {
            long latency = (System.nanoTime() - startNanos) / 1_000_000;
            return new JournalEntry(
                    sequence,
                    time,
                    service,
                    method,
                    path,
                    endpoint == null ? path : endpoint,
                    status,
                    latency,
                    callerInstanceId,
                    callerInstanceName,
                    credentialKind,
                    faults);
        }
    }
}
