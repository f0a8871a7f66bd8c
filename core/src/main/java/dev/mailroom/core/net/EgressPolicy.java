package dev.mailroom.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which addresses Mailroom may open a connection to on a URL someone gave it (webhooks): not this machine,
 * not the private network it stands in, not a cloud metadata service — a webhook URL must not become a way
 * to reach what only the server can reach. {@code MAILROOM_EGRESS_ALLOW} (comma-separated address blocks
 * and host names) opens what an operator needs, such as an internal CRM.
 *
 * <p>Refused: loopback, unspecified (0.0.0.0/8, ::), private (RFC 1918, fc00::/7, fec0::/10), carrier-grade
 * NAT (100.64.0.0/10), link-local (169.254.0.0/16, fe80::/10), cloud metadata (169.254.169.254,
 * fd00:ec2::254), multicast, and other reserved blocks; an IPv6 address that carries an IPv4 one (mapped,
 * compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) as that IPv4 address is. A host name is refused when any
 * address it resolves to is, so the caller must connect only to the addresses {@link #vet} returned.
 */
public final class EgressPolicy {
    public static final String VARIABLE = "MAILROOM_EGRESS_ALLOW";
    /** Nothing opened: only public addresses. */
    public static final EgressPolicy DEFAULT = new EgressPolicy(List.of(), Set.of());

    private record Block(Cidr cidr, String kind) {}

    private static final List<Block> REFUSED = List.of(
            block("169.254.169.254/32", "a cloud metadata address"),
            block("fd00:ec2::254/128", "a cloud metadata address"),
            block("0.0.0.0/8", "an unspecified address"),
            block("127.0.0.0/8", "a loopback address"),
            block("10.0.0.0/8", "a private address"),
            block("172.16.0.0/12", "a private address"),
            block("192.168.0.0/16", "a private address"),
            block("100.64.0.0/10", "a carrier-grade NAT address"),
            block("169.254.0.0/16", "a link-local address"),
            block("192.0.0.0/24", "a reserved address"),
            block("198.18.0.0/15", "a reserved address"),
            block("224.0.0.0/4", "a multicast address"),
            block("240.0.0.0/4", "a reserved address"),
            block("::/128", "an unspecified address"),
            block("::1/128", "a loopback address"),
            block("fc00::/7", "a private address"),
            block("fec0::/10", "a private address"),
            block("fe80::/10", "a link-local address"),
            block("ff00::/8", "a multicast address"));

    /** IPv6 blocks that carry an IPv4 address, and where in the 16 bytes it sits. */
    private record Carrier(Cidr cidr, int offset) {}

    private static final List<Carrier> CARRIERS = List.of(
            // The JDK turns ::ffff:a.b.c.d into an IPv4 address when it parses one, but not every Inet6Address is parsed.
            new Carrier(new Cidr(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96), 12),
            new Carrier(Cidr.parse("::/96"), 12),
            new Carrier(Cidr.parse("64:ff9b::/96"), 12),
            new Carrier(Cidr.parse("2002::/16"), 2));

    /** How the caller resolves a host name (the system resolver in production). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A host or address the policy refuses; the message says which address and why, never more. */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final List<Cidr> allowedBlocks;
    private final Set<String> allowedHosts;

    private EgressPolicy(List<Cidr> allowedBlocks, Set<String> allowedHosts) {
        this.allowedBlocks = allowedBlocks;
        this.allowedHosts = allowedHosts;
    }

    public static EgressPolicy fromEnvironment(Map<String, String> env) {
        return parse(env.get(VARIABLE));
    }

    /** @throws IllegalArgumentException naming {@value #VARIABLE} and the entry it cannot read */
    public static EgressPolicy parse(String allowList) {
        if (allowList == null || allowList.isBlank()) return DEFAULT;
        List<Cidr> blocks = new ArrayList<>();
        Set<String> hosts = new LinkedHashSet<>();
        for (String raw : allowList.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) continue;
            try {
                if (entry.contains("/")) {
                    blocks.add(Cidr.parse(entry));
                    continue;
                }
                switch (HostLiteral.of(entry)) {
                    case HostLiteral.Address a -> blocks.add(Cidr.parse(entry));
                    case HostLiteral.Name n when n.name().matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?") -> hosts.add(n.name());
                    case HostLiteral.LoopbackName n -> hosts.add(n.name());
                    default -> throw new IllegalArgumentException("'" + entry + "' is neither an address block nor a host name");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(VARIABLE + ": " + e.getMessage()
                        + " (expected comma-separated blocks such as 10.1.2.0/24 or fd12::/64 and host names)");
            }
        }
        return blocks.isEmpty() && hosts.isEmpty() ? DEFAULT : new EgressPolicy(List.copyOf(blocks), Set.copyOf(hosts));
    }

    /** Why a connection to {@code address} is refused ("10.0.0.5 is a private address"), or empty when it may go. */
    public Optional<String> refusal(InetAddress address) {
        return refusedKind(address).map(kind -> address.getHostAddress() + " is " + kind);
    }

    /**
     * What can be told before any DNS answer: an address written out, {@code localhost}, or a numeric host
     * that resolvers read differently. A host name is decided when it is resolved, at each connection.
     */
    public Optional<String> refusalWithoutDns(String host) {
        return switch (HostLiteral.of(host)) {
            case HostLiteral.Address a -> refusal(a.address());
            case HostLiteral.Unclear u -> Optional.of(u.why());
            case HostLiteral.LoopbackName n -> allowedHosts.contains(n.name()) ? Optional.empty()
                    : refusal(InetAddress.getLoopbackAddress()).map(r -> n.name() + " is loopback: " + r);
            case HostLiteral.Name n -> Optional.empty();
        };
    }

    /**
     * The addresses {@code host} may be reached at: the address itself, or every address the name resolves to
     * once they all pass. Connect to these and only these, so no second DNS answer can differ from the checked one.
     *
     * @throws Refused when the host, or any address it resolves to, is refused
     * @throws UnknownHostException when the name does not resolve
     */
    public List<InetAddress> vet(String host, Resolver resolver) throws Refused, UnknownHostException {
        HostLiteral literal = HostLiteral.of(host);
        if (literal instanceof HostLiteral.Unclear u) throw new Refused(u.why());
        if (literal instanceof HostLiteral.Address a) {
            Optional<String> refused = refusal(a.address());
            if (refused.isPresent()) throw new Refused(refused.get());
            return List.of(a.address());
        }
        String name = literal instanceof HostLiteral.LoopbackName n ? n.name() : ((HostLiteral.Name) literal).name();
        InetAddress[] resolved = resolver.resolve(name);
        if (resolved == null || resolved.length == 0) throw new UnknownHostException(name);
        if (allowedHosts.contains(name)) return List.of(resolved);
        for (InetAddress address : resolved) {
            Optional<String> kind = refusedKind(address);
            if (kind.isPresent()) throw new Refused(name + " resolves to " + address.getHostAddress() + ", " + kind.get());
        }
        return List.of(resolved);
    }

    private Optional<String> refusedKind(InetAddress address) {
        return allowedBlocks.stream().anyMatch(b -> b.contains(address)) ? Optional.empty() : kind(address);
    }

    /** What kind of non-public address this is, or empty for a public one. */
    static Optional<String> kind(InetAddress address) {
        for (Block b : REFUSED) {
            if (b.cidr().contains(address)) return Optional.of(b.kind());
        }
        if (address instanceof Inet6Address) {
            for (Carrier c : CARRIERS) {
                if (c.cidr().contains(address)) return kind(embedded(address.getAddress(), c.offset()))
                        .map(k -> k + " inside an IPv6 address");
            }
        }
        return Optional.empty();
    }

    private static InetAddress embedded(byte[] v6, int offset) {
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(v6, offset, offset + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    private static Block block(String cidr, String kind) {
        return new Block(Cidr.parse(cidr), kind);
    }

    @Override
    public String toString() {
        return allowedBlocks.isEmpty() && allowedHosts.isEmpty() ? "public addresses only"
                : "public addresses and " + (allowedBlocks.size() + allowedHosts.size()) + " allowed entries";
    }
}
