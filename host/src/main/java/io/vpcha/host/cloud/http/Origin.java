package io.vpcha.host.cloud.http;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * Where a request goes: scheme, host and port (an origin, in RFC 9110's words). Connections are kept
 * and reused per origin.
 *
 * @param host a host name or an IP address, IPv6 without brackets
 */
record Origin(boolean https, String host, int port) {
    Origin {
        requireNonNull(host, "host is null");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not 1 to 65535");
        }
    }

    /** The origin of an absolute http or https URL; the port defaults to the scheme's. */
    static Origin of(URI uri) {
        String scheme = uri.getScheme();
        boolean https;
        if ("https".equalsIgnoreCase(scheme)) {
            https = true;
        } else if ("http".equalsIgnoreCase(scheme)) {
            https = false;
        } else {
            throw new IllegalArgumentException("not an http or https URL: " + uri.getScheme() + "://...");
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in the URL");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        return new Origin(https, host, port);
    }

    /** The Host header's value: the port only when it is not the scheme's default, IPv6 in brackets. */
    String hostHeader() {
        // a StringBuilder, not +: each new shape of string concatenation costs a cold JVM a few ms to link
        StringBuilder value = new StringBuilder(host.length() + 8);
        if (host.indexOf(':') >= 0) {
            value.append('[').append(host).append(']');
        } else {
            value.append(host);
        }
        if (port != (https ? 443 : 80)) {
            value.append(':').append(port);
        }
        return value.toString();
    }

    // equals and hashCode written out: a record's generated ones link through invokedynamic, which in a
    // cold JVM spins some 30 method-handle classes (measured: ~30 ms of an action) on the first lookup
    @Override
    public boolean equals(Object other) {
        return other instanceof Origin that && https == that.https && port == that.port && host.equals(that.host);
    }

    @Override
    public int hashCode() {
        return (host.hashCode() * 31 + port) * 2 + (https ? 1 : 0);
    }

    @Override
    public String toString() {
        return (https ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
