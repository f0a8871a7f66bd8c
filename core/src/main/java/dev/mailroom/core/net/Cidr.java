package dev.mailroom.core.net;

import java.net.InetAddress;

/** An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}; a lone address is a block of one. */
record Cidr(byte[] network, int prefix) {

    /** @throws IllegalArgumentException when {@code text} is not an address, or an address and a prefix length */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!(HostLiteral.of(address) instanceof HostLiteral.Address a)) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or address block");
        }
        byte[] bytes = a.address().getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bits);
            }
        }
        return new Cidr(bytes, prefix);
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) return false;
        }
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }
}
