package io.vpcha.simulator.state;

/** IPv4 addresses and CIDR blocks as plain integers; enough for routing decisions. */
public final class Ipv4 {
    private Ipv4() {}

    /** Parses a dotted quad; throws IllegalArgumentException when it is not one. */
    public static int parse(String address) {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        String[] parts = address.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        int value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    public static boolean isValid(String address) {
        try {
            parse(address);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static String format(int value) {
        return ((value >>> 24) & 0xff) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "."
                + (value & 0xff);
    }

    /** An IPv4 CIDR block such as {@code 10.240.0.0/24}. */
    public record Cidr(int network, int prefixLength) {
        public static Cidr parse(String text) {
            if (text == null) {
                throw new IllegalArgumentException("CIDR is null");
            }
            int slash = text.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("not a CIDR block: " + text);
            }
            int address = Ipv4.parse(text.substring(0, slash));
            String lengthText = text.substring(slash + 1);
            if (lengthText.isEmpty()
                    || lengthText.length() > 2
                    || !lengthText.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not a CIDR block: " + text);
            }
            int length = Integer.parseInt(lengthText);
            if (length > 32) {
                throw new IllegalArgumentException("not a CIDR block: " + text);
            }
            return new Cidr(address, length);
        }

        public int mask() {
            return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        }

        /** True when the host bits are zero, as the VPC API requires for a route destination. */
        public boolean isNetworkAddress() {
            return (network & ~mask()) == 0;
        }

        public boolean contains(int address) {
            return (address & mask()) == (network & mask());
        }

        public boolean contains(String address) {
            return contains(Ipv4.parse(address));
        }

        public int size() {
            return prefixLength == 0 ? Integer.MAX_VALUE : 1 << (32 - prefixLength);
        }

        @Override
        public String toString() {
            return Ipv4.format(network) + "/" + prefixLength;
        }
    }
}
