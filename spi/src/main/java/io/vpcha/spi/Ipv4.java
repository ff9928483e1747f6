package io.vpcha.spi;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Strict IPv4 parsing: a dotted quad of decimal octets 0 to 255, no leading zeros, no shorthand
 * ({@code 10.1}), no octal or hexadecimal. The one parser of vpc-ha: the host checks
 * {@link ParameterType#IPV4_ADDRESS} and {@link ParameterType#IPV4_CIDR} values with it, and
 * strategies check addresses inside other values (a {@code node=address} map) with it too, so every
 * address is judged alike.
 *
 * @since 1.1
 */
public final class Ipv4 {
    private Ipv4() {}

    /** The address as an unsigned 32-bit value, or empty when {@code text} is not a dotted quad. */
    public static OptionalLong parse(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return OptionalLong.empty();
        }
        long address = 0;
        for (String part : parts) {
            if (part.isEmpty()
                    || part.length() > 3
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return OptionalLong.empty();
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return OptionalLong.empty();
            }
            address = (address << 8) | octet;
        }
        return OptionalLong.of(address);
    }

    /** Whether {@code text} is a dotted-quad IPv4 address. */
    public static boolean isAddress(String text) {
        return parse(text).isPresent();
    }

    /** The dotted quad of an unsigned 32-bit address. */
    public static String format(long address) {
        if (address < 0 || address > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(address + " is not an unsigned 32-bit address");
        }
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    /**
     * Why {@code text} is not an IPv4 address (taken as /32) or a CIDR block with its host bits zero;
     * empty when it is.
     */
    public static Optional<String> cidrProblem(String text) {
        if (text == null) {
            return Optional.of("no value");
        }
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        OptionalLong address = parse(addressText);
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
        long hostMask = hostMask(prefix);
        if ((address.getAsLong() & hostMask) != 0) {
            long network = address.getAsLong() & ~hostMask & 0xFFFFFFFFL;
            return Optional.of(
                    "'" + text + "' has host bits set (the block is " + format(network) + "/" + prefix + ")");
        }
        return Optional.empty();
    }

    /**
     * Whether {@code address} lies in the block {@code cidr} (an address alone is a /32).
     *
     * @throws IllegalArgumentException when either is malformed
     */
    public static boolean inBlock(String address, String cidr) {
        long value = parse(address)
                .orElseThrow(() -> new IllegalArgumentException("'" + address + "' is not an IPv4 address"));
        cidrProblem(cidr).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        int slash = cidr.indexOf('/');
        long network = parse(slash < 0 ? cidr : cidr.substring(0, slash)).getAsLong();
        int prefix = slash < 0 ? 32 : Integer.parseInt(cidr.substring(slash + 1));
        long networkMask = ~hostMask(prefix) & 0xFFFFFFFFL;
        return (value & networkMask) == network;
    }

    private static long hostMask(int prefix) {
        return prefix == 32 ? 0 : (0xFFFFFFFFL >>> prefix);
    }
}
