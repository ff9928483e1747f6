package io.vpcha.simulator.http;

import com.google.gson.JsonElement;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.vpcha.simulator.fault.FaultRule;
import io.vpcha.simulator.fault.Faults;
import io.vpcha.simulator.journal.JournalEntry;
import io.vpcha.simulator.journal.RequestJournal;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single HTTP entry point of a listener: picks the service, identifies the caller, applies faults,
 * runs the service's checks and the handler, writes the answer and journals the call (admin calls
 * are not journalled, so that inspecting the simulator does not change what it reports).
 */
public final class Dispatcher implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

    private final List<Service> services;
    private final Faults faults;
    private final RequestJournal journal;
    private final UnaryOperator<String> instanceNames;

    /**
     * @param services tried in order; the first whose {@link Service#handles} accepts the path wins, the
     *        last one also answers unknown paths
     * @param instanceNames instance id to name, for the journal and per-instance fault rules
     */
    public Dispatcher(
            List<Service> services, Faults faults, RequestJournal journal, UnaryOperator<String> instanceNames) {
        this.services = List.copyOf(services);
        this.faults = faults;
        this.journal = journal;
        this.instanceNames = instanceNames;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Request request = new Request(exchange, UUID.randomUUID().toString());
        Service service = services.stream()
                .filter(s -> s.handles(request.path()))
                .findFirst()
                .orElse(services.get(services.size() - 1));
        JournalEntry.Builder entry =
                new JournalEntry.Builder().service(service.name()).call(request.method(), request.path());
        String template = safeTemplate(service, request.path());
        entry.endpoint(template);
        boolean recorded = false;
        try {
            service.identify(request);
            String callerId = request.context().callerInstanceId();
            String callerName = callerId == null ? null : instanceNames.apply(callerId);
            entry.caller(callerId, callerName);
            Faults.Decision decision =
                    faults.evaluate(service.name(), request.method(), request.path(), callerId, callerName);
            entry.faults(decision.appliedRuleIds());
            if (decision.latencyMillis() > 0) {
                Thread.sleep(decision.latencyMillis());
            }
            FaultRule terminal = decision.terminal();
            if (terminal != null && terminal.kind() == FaultRule.Kind.RESET) {
                entry.status(0);
                recorded = record(service, entry);
                exchange.close();
                return;
            }
            if (terminal != null && terminal.kind() == FaultRule.Kind.HANG && !terminal.hangAfterProcessing()) {
                Thread.sleep(terminal.hangMillis());
            }
            if (terminal != null && terminal.kind() == FaultRule.Kind.STATUS) {
                throw injectedStatus(terminal);
            }
            request.context().setApplyDelayNanos(decision.applyDelayMillis() * 1_000_000L);
            Router.Match match = service.router()
                    .match(request.method(), request.path())
                    .orElseThrow(() -> new ApiException(
                            404, "not_found", "No API at " + request.path(), "path", "parameter", request.path()));
            request.setPathParameters(match.parameters());
            service.authorize(request, match.template());
            Response response = match.handler().handle(request);
            if (terminal != null && terminal.kind() == FaultRule.Kind.HANG && terminal.hangAfterProcessing()) {
                Thread.sleep(terminal.hangMillis());
            }
            entry.credentialKind(request.context().credentialKind());
            entry.status(response.status());
            recorded = record(service, entry);
            send(exchange, request, response);
        } catch (ApiException error) {
            entry.credentialKind(request.context().credentialKind());
            Response response = Response.of(error.status(), service.errorBody(error, request));
            error.headers().forEach(response::header);
            entry.status(error.status());
            recorded = record(service, entry);
            sendQuietly(exchange, request, response);
        } catch (InterruptedException e) {
            // The simulator is shutting down while a call sleeps in a fault: drop the connection.
            Thread.currentThread().interrupt();
            entry.status(0);
            exchange.close();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "internal error handling " + request.method() + " " + request.path(), e);
            ApiException error = new ApiException(
                    500, "internal_error", "Internal error: " + e.getClass().getSimpleName());
            entry.status(500);
            recorded = record(service, entry);
            sendQuietly(exchange, request, Response.of(500, service.errorBody(error, request)));
        } catch (IOException e) {
            exchange.close();
        } finally {
            if (!recorded) {
                record(service, entry);
            }
        }
    }

    /** Journals the call before its answer is written, so a client that got the answer sees the entry. */
    private boolean record(Service service, JournalEntry.Builder entry) {
        if (!"admin".equals(service.name())) {
            journal.record(entry);
        }
        return true;
    }

    private static String safeTemplate(Service service, String path) {
        return service.router().templateOf(path).orElse(path);
    }

    private static ApiException injectedStatus(FaultRule rule) {
        int status = rule.status();
        String code = rule.code() != null
                ? rule.code()
                : switch (status) {
                    case 429 -> "too_many_requests";
                    case 500 -> "internal_error";
                    case 502 -> "bad_gateway";
                    case 503 -> "service_unavailable";
                    case 504 -> "gateway_timeout";
                    default -> "injected_fault";
                };
        String message = switch (status) {
            case 429 -> "Rate limit exceeded; retry later";
            case 503 -> "The service is temporarily unavailable";
            default -> "Injected fault: status " + status;
        };
        ApiException error = new ApiException(status, code, message);
        Integer retryAfter = rule.retryAfterSeconds();
        if (retryAfter == null && status == 429) {
            retryAfter = 1;
        }
        if (retryAfter != null) {
            error.header("Retry-After", String.valueOf(retryAfter));
        }
        if (status == 429) {
            error.header("X-RateLimit-Limit", "100");
            error.header("X-RateLimit-Remaining", "0");
            error.header(
                    "X-RateLimit-Reset",
                    String.valueOf(Instant.now().getEpochSecond() + (retryAfter == null ? 1 : retryAfter)));
        }
        return error;
    }

    private static void sendQuietly(HttpExchange exchange, Request request, Response response) {
        try {
            send(exchange, request, response);
        } catch (IOException e) {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, Request request, Response response) throws IOException {
        JsonElement body = response.body();
        byte[] bytes = body == null
                ? new byte[0]
                : (response.isPretty() ? Json.PRETTY : Json.GSON).toJson(body).getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        if (body != null) {
            headers.set("Content-Type", "application/json; charset=utf-8");
        }
        headers.set("X-Request-Id", request.trace());
        headers.set("X-Correlation-Id", request.trace());
        response.headers().forEach(headers::set);
        boolean noBody = bytes.length == 0
                || response.status() == 204
                || request.method().equals("HEAD");
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }
}
