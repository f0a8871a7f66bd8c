package dev.mailroom.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The numeric forms of {@link HostLiteral}, read without DNS. */
final class HostParser {
    static final Pattern DOTTED_QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** What WHATWG URL and inet_aton take as a number: decimal, octal (leading 0) or hex (0x). */
    static final Pattern NUMBER = Pattern.compile("[0-9]+|0x[0-9a-f]*");
    static final Pattern IPV6 = Pattern.compile("[0-9a-f:][0-9a-f:.]*(%[0-9a-z._~-]+)?");

    private HostParser() {}

    static HostLiteral ipv4(String h) {
        Matcher m = DOTTED_QUAD.matcher(h);
        if (!m.matches()) return new HostLiteral.Unclear(h + " is not a plain dotted-quad IPv4 address");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = m.group(i + 1);
            int v = Integer.parseInt(part);
            // A leading zero is octal to some resolvers and decimal to others.
            if (v > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
                return new HostLiteral.Unclear(h + " is not a plain dotted-quad IPv4 address");
            }
            bytes[i] = (byte) v;
        }
        try {
            return new HostLiteral.Address(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    static HostLiteral ipv6(String h) {
        // It holds a colon, starts with a hex digit or a colon and has only hex digits, colons and dots (a zone
        // after %): the JDK then parses it as IPv6 and never asks DNS.
        if (!IPV6.matcher(h).matches()) return new HostLiteral.Unclear(h + " is not a valid IPv6 address");
        try {
            return new HostLiteral.Address(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return new HostLiteral.Unclear(h + " is not a valid IPv6 address");
        }
    }
}
