package dev.mailroom.core.net;

import java.net.InetAddress;
import java.util.Locale;

/**
 * What a URL's or a relay's host names, read without asking DNS: an IP address written out, a name that is
 * loopback by definition ({@code localhost}, RFC 6761), a numeric form that resolvers read differently, or a
 * name to resolve.
 *
 * <p>Only the plain dotted quad is taken as IPv4: the JDK reads {@code 2130706433} as 127.0.0.1 and
 * {@code 0177.0.0.1} as 177.0.0.1, while C resolvers (inet_aton) read the latter as 127.0.0.1 and also take
 * {@code 0x7f.1}. A host whose last label is a number in any of those forms is {@link Unclear}: no check
 * could say where it goes, so it goes nowhere.
 */
public sealed interface HostLiteral {
    /** An IPv4 dotted quad or an IPv6 address (brackets and zone allowed). */
    record Address(InetAddress address) implements HostLiteral {}

    /** {@code localhost} or a name under it, lower case, without a trailing dot. */
    record LoopbackName(String name) implements HostLiteral {}

    /** A name to resolve, lower case, without a trailing dot. */
    record Name(String name) implements HostLiteral {}

    /** A numeric or malformed host whose address cannot be told for certain. */
    record Unclear(String why) implements HostLiteral {}

    static HostLiteral of(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.indexOf(':') >= 0) return HostParser.ipv6(h);
        String bare = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        if (HostParser.NUMBER.matcher(bare.substring(bare.lastIndexOf('.') + 1)).matches()) return HostParser.ipv4(h);
        if (bare.equals("localhost") || bare.endsWith(".localhost")) return new LoopbackName(bare);
        return new Name(bare);
    }

    /** A host a connection to which stays on this machine for certain: a loopback address or name. */
    static boolean isLoopback(String host) {
        return switch (of(host)) {
            case Address a -> a.address().isLoopbackAddress();
            case LoopbackName n -> true;
            case Name n -> false;
            case Unclear u -> false;
        };
    }
}
