package io.vpcha.simulator.http;

import com.google.gson.JsonElement;

/** One simulated service on a listener: its routes, its checks and its error format. */
public interface Service {
    /** vpc, iam, metadata or admin: used by fault rules, the journal and counters. */
    String name();

    boolean handles(String path);

    Router router();

    /**
     * Works out who is calling (instance, credential kind) before faults apply. Must not throw: a bad
     * credential is reported later by {@link #authorize}.
     */
    void identify(Request request);

    /** Version, authentication and permission checks; runs after faults, before the handler. */
    void authorize(Request request, String template);

    /** The body of an error answer in this service's format. */
    JsonElement errorBody(ApiException error, Request request);
}
