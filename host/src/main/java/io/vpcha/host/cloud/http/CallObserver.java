package io.vpcha.host.cloud.http;

/**
 * Told of every request a {@link CallExecutor} sends and of every retry: what an action's metrics count.
 * Called on the thread that sent the request; implementations must be thread-safe and quick.
 */
public interface CallObserver {
    CallObserver NONE = new CallObserver() {
        @Override
        public void answered(HttpCall call, int status) {}

        @Override
        public void unanswered(HttpCall call) {}

        @Override
        public void retrying(HttpCall call) {}
    };

    /** {@code call} got an answer with HTTP {@code status}. */
    void answered(HttpCall call, int status);

    /** {@code call} got no answer (connection failure, timeout). */
    void unanswered(HttpCall call);

    /** {@code call} is sent again. */
    void retrying(HttpCall call);
}
