package io.vpcha.simulator.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error answer. Each service renders it in its own error format (VPC, IAM, metadata, admin). */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String targetName;
    private final String targetType;
    private final String targetValue;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String code, String message) {
        this(status, code, message, null, null, null);
    }

    public ApiException(
            int status, String code, String message, String targetName, String targetType, String targetValue) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.targetName = targetName;
        this.targetType = targetType;
        this.targetValue = targetValue;
    }

    public static ApiException badField(String field, String message, Object value) {
        return new ApiException(
                400, "bad_field", message, field, "field", value == null ? null : String.valueOf(value));
    }

    public static ApiException invalidValue(String field, String message, Object value) {
        return new ApiException(
                400, "invalid_value", message, field, "field", value == null ? null : String.valueOf(value));
    }

    public static ApiException invalidQuery(String parameter, String message, Object value) {
        return new ApiException(
                400, "invalid_value", message, parameter, "query", value == null ? null : String.valueOf(value));
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(404, "not_found", what + " not found", "id", "parameter", id);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    public ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String targetName() {
        return targetName;
    }

    public String targetType() {
        return targetType;
    }

    public String targetValue() {
        return targetValue;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
