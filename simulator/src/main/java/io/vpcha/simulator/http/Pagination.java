package io.vpcha.simulator.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vpcha.simulator.state.Behaviour;
import io.vpcha.simulator.state.Resource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * VPC-style collections: {@code first}, {@code limit}, {@code next} (absent on the last page),
 * {@code total_count}. The {@code start} token is opaque to clients; here it encodes the creation
 * sequence of the first item of the next page, so deleting items between pages never skips others.
 */
public final class Pagination {
    private final Behaviour behaviour;

    public Pagination(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    /**
     * One page of a collection, with its first and next links.
     *
     * @param collectionHref absolute href of the collection, without query
     * @param filters query filters to repeat in the first/next hrefs
     */
    public <R extends Resource> JsonObject page(
            Request request,
            String collectionHref,
            Map<String, String> filters,
            String itemsField,
            List<R> items,
            Function<R, JsonElement> render) {
        int limit = limit(request);
        long startSequence = start(request);
        List<R> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingLong(r -> r.sequence));
        List<R> page = new ArrayList<>();
        R nextItem = null;
        for (R item : sorted) {
            if (item.sequence < startSequence) {
                continue;
            }
            if (page.size() == limit) {
                nextItem = item;
                break;
            }
            page.add(item);
        }
        Map<String, String> firstQuery = new LinkedHashMap<>(filters);
        firstQuery.put("limit", String.valueOf(limit));
        JsonObject result = new JsonObject();
        result.add(
                "first",
                Json.object()
                        .put("href", collectionHref + "?" + encode(firstQuery))
                        .build());
        result.addProperty("limit", limit);
        if (nextItem != null) {
            Map<String, String> nextQuery = new LinkedHashMap<>(filters);
            nextQuery.put("start", token(nextItem.sequence));
            nextQuery.put("limit", String.valueOf(limit));
            result.add(
                    "next",
                    Json.object()
                            .put("href", collectionHref + "?" + encode(nextQuery))
                            .build());
        }
        result.addProperty("total_count", sorted.size());
        result.add(itemsField, Json.array(page.stream().map(render).toList()));
        return result;
    }

    private int limit(Request request) {
        int defaultLimit = behaviour.defaultPageLimit;
        int maximumLimit = behaviour.maximumPageLimit;
        String text = request.query("limit");
        if (text == null) {
            return defaultLimit;
        }
        int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.invalidQuery(
                    "limit", "The limit must be an integer between 1 and " + maximumLimit, text);
        }
        if (limit < 1 || limit > maximumLimit) {
            throw ApiException.invalidQuery(
                    "limit", "The limit must be an integer between 1 and " + maximumLimit, text);
        }
        return limit;
    }

    private static long start(Request request) {
        String token = request.query("start");
        if (token == null || token.isEmpty()) {
            return 0;
        }
        if (!token.matches("[0-9a-f]{8}[0-9a-z]+") || !token.equals(token(parseSequence(token)))) {
            throw ApiException.invalidQuery("start", "The start token is not valid", token);
        }
        return parseSequence(token);
    }

    private static long parseSequence(String token) {
        try {
            return Long.parseLong(token.substring(8), 36);
        } catch (NumberFormatException e) {
            throw ApiException.invalidQuery("start", "The start token is not valid", token);
        }
    }

    private static String token(long sequence) {
        String payload = Long.toString(sequence, 36);
        return String.format("%08x", (payload + "vpc-ha").hashCode()) + payload;
    }

    private static String encode(Map<String, String> query) {
        StringBuilder builder = new StringBuilder();
        query.forEach((name, value) -> {
            if (builder.length() > 0) {
                builder.append('&');
            }
            builder.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return builder.toString();
    }
}
