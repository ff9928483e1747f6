package io.vpcha.spi;

import java.util.Optional;

/** Strict IPv4 parsing for parameter checks: dotted quad, no leading zeros, no shorthand. */
final class Ipv4 {
    private Ipv4() {}

    /** The address as an unsigned 32-bit value, or empty when {@code text} is not a dotted quad. */
    static Optional<Long> parseAddress(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        long address = 0;
        for (String part : parts) {
            if (part.isEmpty()
                    || part.length() > 3
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return Optional.empty();
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return Optional.empty();
            }
            address = (address << 8) | octet;
        }
        return Optional.of(address);
    }

    static Optional<String> cidrProblem(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        Optional<Long> address = parseAddress(addressText);
        if (address.isEmpty()) {
            return Optional.of("'" + text + "' is not an IPv4 address or CIDR block");
        }
        if (slash < 0) {
            return Optional.empty();
        }
        String prefixText = text.substring(slash + 1);
        if (!prefixText.matches("\\d{1,2}") || Integer.parseInt(prefixText) > 32) {
            return Optional.of("'" + text + "' has no prefix length from 0 to 32");
        }
        int prefix = Integer.parseInt(prefixText);
        long hostMask = prefix == 32 ? 0 : (0xFFFFFFFFL >>> prefix);
        if ((address.get() & hostMask) != 0) {
            long network = address.get() & ~hostMask & 0xFFFFFFFFL;
            return Optional.of(
                    "'" + text + "' has host bits set (the block is " + format(network) + "/" + prefix + ")");
        }
        return Optional.empty();
    }

    static String format(long address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }
}
