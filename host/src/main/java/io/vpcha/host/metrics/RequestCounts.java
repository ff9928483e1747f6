package io.vpcha.host.metrics;

import io.vpcha.host.cloud.http.CallObserver;
import io.vpcha.host.cloud.http.HttpCall;
import java.util.Map;
import java.util.TreeMap;

/**
 * The requests of one action by endpoint class, counted for its metrics: the service (vpc, iam,
 * metadata), whether the request reads or writes, and the class of its answer (2xx, 3xx, 4xx, 5xx, or
 * none). Never a URL, an id or a header: label values come from these fixed sets only.
 */
public final class RequestCounts implements CallObserver {
    private final Map<String, Long> requests = new TreeMap<>();
    private long retries;
    private long tokenRequests;

    @Override
    public synchronized void answered(HttpCall call, int status) {
        count(call, status >= 200 && status < 600 ? (status / 100) + "xx" : "other");
    }

    @Override
    public synchronized void unanswered(HttpCall call) {
        count(call, "none");
    }

    @Override
    public synchronized void retrying(HttpCall call) {
        retries++;
    }

    private void count(HttpCall call, String status) {
        String service = serviceOf(call);
        String path = call.uri().getRawPath() == null ? "" : call.uri().getRawPath();
        if (service.equals("iam") || path.endsWith("/iam_token") || path.endsWith("/iam_tokens")) {
            tokenRequests++;
        }
        String method = call.method().equals("GET") || call.method().equals("HEAD") ? "read" : "write";
        requests.merge(service + "," + method + "," + status, 1L, Long::sum);
    }

    /** IAM's token endpoint, the metadata service's paths, else the VPC API. */
    static String serviceOf(HttpCall call) {
        String path = call.uri().getRawPath() == null ? "" : call.uri().getRawPath();
        if (path.equals("/identity/token")) {
            return "iam";
        }
        if (path.startsWith("/metadata/") || path.startsWith("/identity/") || path.startsWith("/instance_identity/")) {
            return "metadata";
        }
        return "vpc";
    }

    /** Requests by {@code service,method,status}. */
    public synchronized Map<String, Long> requests() {
        return Map.copyOf(requests);
    }

    public synchronized long retries() {
        return retries;
    }

    /** Tokens obtained (from IAM, or through the metadata service for a trusted profile); a cached one costs none. */
    public synchronized long tokenRequests() {
        return tokenRequests;
    }
}
