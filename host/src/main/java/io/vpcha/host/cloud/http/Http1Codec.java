package io.vpcha.host.cloud.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP/1.1 message syntax (RFC 9112) of one request and its answer, as this client needs it:
 * requests with a known length, answers framed by Content-Length, chunked transfer coding or the end
 * of the connection, interim (1xx) answers skipped, and whether the connection may carry the next
 * request. Nothing else: no proxies, redirects, compression, cookies or upgrades, none of which the
 * VPC API, IAM or the metadata service need.
 */
final class Http1Codec {
    /** The longest status or header line read: far beyond what the APIs send, short of a runaway answer. */
    static final int MAX_LINE = 16 * 1024;
    /** The most header bytes of one answer. */
    static final int MAX_HEADER_BYTES = 256 * 1024;
    /** The largest answer body: a page of 1000 routes is about 1 MB; the agent's heap is small. */
    static final int MAX_BODY = 16 * 1024 * 1024;

    private Http1Codec() {}

    /** An answer, and whether its connection can carry another request (and for how long, if the server said). */
    record Answer(HttpResult result, boolean reusable, Optional<Duration> keepAlive) {}

    /**
     * Writes {@code call} as one HTTP/1.1 message in a single write (one TLS record, one segment when
     * small): request line, Host, User-Agent unless given, the call's headers, Content-Length when
     * there is a body or the method expects one, then the body.
     */
    static void writeRequest(OutputStream out, HttpCall call, Origin origin, String userAgent) throws IOException {
        String path = call.uri().getRawPath();
        String query = call.uri().getRawQuery();
        StringBuilder head = new StringBuilder(256)
                .append(token(call.method(), "method"))
                .append(' ')
                .append(path == null || path.isEmpty() ? "/" : path);
        if (query != null) {
            head.append('?').append(query);
        }
        head.append(" HTTP/1.1\r\n");
        header(head, "Host", origin.hostHeader());
        boolean agentGiven = false;
        for (String name : call.headers().keySet()) {
            agentGiven |= name.equalsIgnoreCase("User-Agent");
        }
        if (!agentGiven) {
            header(head, "User-Agent", userAgent);
        }
        for (Map.Entry<String, String> entry : call.headers().entrySet()) {
            String name = token(entry.getKey(), "header name");
            if (name.equalsIgnoreCase("Host")
                    || name.equalsIgnoreCase("Content-Length")
                    || name.equalsIgnoreCase("Transfer-Encoding")
                    || name.equalsIgnoreCase("Connection")) {
                throw new IllegalArgumentException("header " + name + " is set by the transport");
            }
            header(head, name, entry.getValue());
        }
        byte[] body = call.body().orElse(new byte[0]);
        String method = call.method();
        if (call.body().isPresent() || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            header(head, "Content-Length", Integer.toString(body.length));
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] message = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, message, 0, headBytes.length);
        System.arraycopy(body, 0, message, headBytes.length, body.length);
        out.write(message);
        out.flush();
    }

    /**
     * Reads the answer to a request sent with {@code method}.
     *
     * @throws EOFException when the connection ends before or during the answer
     * @throws ProtocolException when the answer is not HTTP/1.x or breaks its framing or limits
     */
    static Answer readAnswer(InputStream in, String method) throws IOException {
        int[] headerBytes = {0};
        while (true) {
            String statusLine = readLine(in, headerBytes);
            if (statusLine == null) {
                throw new EOFException("the connection was closed before an answer");
            }
            int status = statusCode(statusLine);
            boolean http10 = statusLine.startsWith("HTTP/1.0");
            Map<String, List<String>> headers = readHeaders(in, headerBytes);
            if (status == 101) {
                throw new ProtocolException("unexpected protocol switch (HTTP 101)");
            }
            if (status < 200) {
                continue; // an interim answer (100 Continue, 103 Early Hints): the final one follows
            }
            return readBody(in, method, status, http10, headers);
        }
    }

    private static Answer readBody(
            InputStream in, String method, int status, boolean http10, Map<String, List<String>> headers)
            throws IOException {
        List<String> connection = tokens(headers.get("connection"));
        boolean reusable = http10 ? connection.contains("keep-alive") : !connection.contains("close");
        byte[] body;
        if (method.equals("HEAD") || status == 204 || status == 304) {
            body = new byte[0];
        } else if (headers.containsKey("transfer-encoding")) {
            List<String> codings = tokens(headers.get("transfer-encoding"));
            if (!codings.isEmpty() && codings.get(codings.size() - 1).equals("chunked")) {
                body = readChunked(in);
                // both framings at once is how requests are smuggled: never reuse such a connection
                reusable &= !headers.containsKey("content-length") && codings.size() == 1;
            } else {
                body = readToEnd(in);
                reusable = false;
            }
        } else if (headers.containsKey("content-length")) {
            body = readExactly(in, contentLength(headers.get("content-length")));
        } else {
            body = readToEnd(in);
            reusable = false;
        }
        List<String> coding = tokens(headers.get("content-encoding"));
        if (!coding.isEmpty() && !coding.equals(List.of("identity"))) {
            // never asked for; decoding it as text would hand JSON parsing garbage
            throw new ProtocolException("unsupported Content-Encoding " + String.join(", ", coding));
        }
        Optional<Duration> keepAlive = reusable ? keepAliveTimeout(headers.get("keep-alive")) : Optional.empty();
        return new Answer(
                new HttpResult(status, headers, new String(body, StandardCharsets.UTF_8)), reusable, keepAlive);
    }

    private static int statusCode(String line) throws ProtocolException {
        // HTTP-version SP 3DIGIT SP [reason-phrase]; some servers omit the space after the code
        if (!(line.startsWith("HTTP/1.1 ") || line.startsWith("HTTP/1.0 ")) || line.length() < 12) {
            throw new ProtocolException("not an HTTP/1.x answer: " + printable(line));
        }
        String code = line.substring(9, 12);
        if (!allDigits(code, 10) || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new ProtocolException("bad status line: " + printable(line));
        }
        int status = Integer.parseInt(code);
        if (status < 100) {
            throw new ProtocolException("bad status code " + status);
        }
        return status;
    }

    private static Map<String, List<String>> readHeaders(InputStream in, int[] headerBytes) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String lastName = null;
        while (true) {
            String line = readLine(in, headerBytes);
            if (line == null) {
                throw new EOFException("the connection was closed in the middle of the answer's headers");
            }
            if (line.isEmpty()) {
                return headers;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastName != null) {
                // obsolete line folding: the continuation belongs to the previous value (RFC 9112 5.2)
                List<String> values = headers.get(lastName);
                int last = values.size() - 1;
                values.set(last, values.get(last) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("bad header line: " + printable(line));
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            if (!isToken(name)) {
                throw new ProtocolException("bad header name: " + printable(name));
            }
            List<String> values = headers.get(name);
            if (values == null) {
                values = new ArrayList<>(1);
                headers.put(name, values);
            }
            values.add(line.substring(colon + 1).strip());
            lastName = name;
        }
    }

    private static int contentLength(List<String> values) throws ProtocolException {
        long length = -1;
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                String digits = part.strip();
                if (digits.length() > 18 || !allDigits(digits, 10)) {
                    throw new ProtocolException("bad Content-Length: " + printable(value));
                }
                long parsed = Long.parseLong(digits);
                if (length != -1 && parsed != length) {
                    throw new ProtocolException("conflicting Content-Length values: " + printable(value));
                }
                length = parsed;
            }
        }
        if (length > MAX_BODY) {
            throw new ProtocolException("answer of " + length + " bytes is larger than " + MAX_BODY);
        }
        return (int) length;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] lineBytes = {0};
        while (true) {
            lineBytes[0] = 0; // the header limit applies to each chunk's size line, not to their sum
            String line = readLine(in, lineBytes);
            if (line == null) {
                throw new EOFException("the connection was closed in the middle of a chunked answer");
            }
            int extension = line.indexOf(';');
            String hex = (extension < 0 ? line : line.substring(0, extension)).strip();
            if (hex.length() > 7 || !allDigits(hex, 16)) {
                throw new ProtocolException("bad chunk size: " + printable(line));
            }
            int size = Integer.parseInt(hex, 16);
            if (size == 0) {
                // trailer fields, if any, end with an empty line; nothing here needs them
                while (true) {
                    String trailer = readLine(in, lineBytes);
                    if (trailer == null) {
                        throw new EOFException("the connection was closed in the middle of a chunked answer");
                    }
                    if (trailer.isEmpty()) {
                        return body.toByteArray();
                    }
                }
            }
            if (body.size() + (long) size > MAX_BODY) {
                throw new ProtocolException("answer larger than " + MAX_BODY + " bytes");
            }
            body.write(readExactly(in, size));
            String end = readLine(in, lineBytes);
            if (end == null || !end.isEmpty()) {
                throw new ProtocolException("a chunk does not end where its size says");
            }
        }
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException(
                    "the connection was closed after " + bytes.length + " of the answer's " + length + " bytes");
        }
        return bytes;
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new ProtocolException("answer larger than " + MAX_BODY + " bytes");
        }
        return bytes;
    }

    /**
     * One line without its CR LF (a bare LF is accepted too), or null at the end of the stream before
     * its first byte. Counts into {@code total} and enforces the header limit.
     */
    static String readLine(InputStream in, int[] total) throws IOException {
        StringBuilder line = new StringBuilder(64);
        int read = 0;
        while (true) {
            int b = in.read();
            if (b == -1) {
                if (read == 0) {
                    return null;
                }
                throw new EOFException("the connection was closed in the middle of a line");
            }
            read++;
            total[0]++;
            if (read > MAX_LINE || total[0] > MAX_HEADER_BYTES) {
                throw new ProtocolException("answer header too long");
            }
            if (b == '\n') {
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    /** The comma-separated tokens of a header's values, lower case. */
    private static List<String> tokens(List<String> values) {
        List<String> tokens = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(",", -1)) {
                    String token = part.strip().toLowerCase(Locale.ROOT);
                    if (!token.isEmpty()) {
                        tokens.add(token);
                    }
                }
            }
        }
        return tokens;
    }

    /** {@code Keep-Alive: timeout=N}: how long the server keeps an idle connection. */
    private static Optional<Duration> keepAliveTimeout(List<String> values) {
        for (String token : tokens(values)) {
            if (token.startsWith("timeout=")) {
                try {
                    return Optional.of(
                            Duration.ofSeconds(Long.parseLong(token.substring(8).strip())));
                } catch (NumberFormatException ignored) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static void header(StringBuilder head, String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                // a line break would let a value inject headers; never echo the value (it may be a token)
                throw new IllegalArgumentException("header " + name + " has a character HTTP/1.1 cannot carry");
            }
        }
        head.append(name).append(": ").append(value).append("\r\n");
    }

    private static String token(String text, String what) {
        if (!isToken(text)) {
            throw new IllegalArgumentException("not an HTTP " + what + ": " + printable(text));
        }
        return text;
    }

    // Plain loops, not streams and lambdas, here and above: every action is a cold JVM, where the first
    // use of each lambda and stream shape costs milliseconds of linking.

    /** Whether {@code text} is a non-empty run of digits of {@code radix}. */
    private static boolean allDigits(String text, int radix) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7f || Character.digit(c, radix) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} is an HTTP token (RFC 9110 5.6.2). */
    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTokenChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** A received line for a message: printable ASCII only, shortened. */
    private static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && i < 80; i++) {
            char c = text.charAt(i);
            shown.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.length() > 80 ? shown + "..." : shown.toString();
    }
}
