package dev.mailroom.core.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code MAILROOM_REDIS_URL} names, in one of three shapes:
 * <ul>
 * <li>{@code redis://[[user:]password@]host[:port][/db]} — one server;</li>
 * <li>{@code redis-sentinel://[[user:]password@]host:26379,host:26380/<master name>[/db]} — the master a set
 *     of Sentinels names, followed through failovers (the credentials are the master's; the Sentinels are
 *     asked without);</li>
 * <li>{@code redis-cluster://[[user:]password@]host:7000,host:7001,...} — a Cluster, found from any of the
 *     listed nodes (a Cluster has database 0 only).</li>
 * </ul>
 * An {@code s} after {@code redis} ({@code rediss://}, {@code rediss-sentinel://}, {@code rediss-cluster://})
 * means TLS. A user-info without a colon is a password alone, as Redis's {@code requirepass} expects.
 */
public record RedisUrl(Shape shape, List<Node> nodes, String masterName, int database, boolean tls, String user, String password) {

    public enum Shape { SINGLE, SENTINEL, CLUSTER }

    public record Node(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public static RedisUrl parse(String url) {
        int schemeEnd = url.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd);
        boolean tls = scheme.startsWith("rediss");
        Shape shape = switch (tls ? "redis" + scheme.substring("rediss".length()) : scheme) {
            case "redis" -> Shape.SINGLE;
            case "redis-sentinel" -> Shape.SENTINEL;
            case "redis-cluster" -> Shape.CLUSTER;
            default -> throw new IllegalArgumentException(
                    "MAILROOM_REDIS_URL must be a redis://, redis-sentinel:// or redis-cluster:// URL (rediss… for TLS)");
        };
        String rest = url.substring(schemeEnd + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
        // The host list is read here; user-info and path go through URI, which decodes their %-escapes.
        URI uri = URI.create("redis://" + userInfo + "placeholder" + path);
        List<Node> nodes = nodes(authority.substring(at + 1), shape == Shape.SENTINEL ? 26379 : 6379);
        if (shape == Shape.SINGLE && nodes.size() != 1) {
            throw new IllegalArgumentException("a redis:// URL names one host; use redis-sentinel:// or redis-cluster:// for several");
        }
        List<String> segments = segments(uri.getPath());
        String masterName = null;
        if (shape == Shape.SENTINEL) {
            if (segments.isEmpty()) throw new IllegalArgumentException("a redis-sentinel:// URL names the master after the hosts: /<master name>[/db]");
            masterName = segments.removeFirst();
        }
        if (shape == Shape.CLUSTER && !segments.isEmpty() && !segments.equals(List.of("0"))) {
            throw new IllegalArgumentException("a Redis Cluster has database 0 only; leave the database out of redis-cluster://");
        }
        if (segments.size() > 1) throw new IllegalArgumentException("MAILROOM_REDIS_URL has more path than a database number");
        int database = segments.isEmpty() ? 0 : database(segments.getFirst());
        String info = uri.getUserInfo();
        String user = null;
        String password = null;
        if (info != null) {
            int colon = info.indexOf(':');
            user = colon <= 0 ? null : info.substring(0, colon);
            password = colon < 0 ? info : info.substring(colon + 1);
        }
        return new RedisUrl(shape, List.copyOf(nodes), masterName, database, tls, user, password);
    }

    /** The first node: the one server, or where a Sentinel set or Cluster is first asked. */
    public Node first() {
        return nodes.getFirst();
    }

    /** The URL without its credentials, for start-up lines (I14). */
    public String redacted() {
        String scheme = (tls ? "rediss" : "redis") + switch (shape) {
            case SINGLE -> "";
            case SENTINEL -> "-sentinel";
            case CLUSTER -> "-cluster";
        };
        String hosts = String.join(",", nodes.stream().map(Node::toString).toList());
        return scheme + "://" + hosts + (masterName == null ? "" : "/" + masterName) + (shape == Shape.CLUSTER ? "" : "/" + database);
    }

    private static List<Node> nodes(String hosts, int defaultPort) {
        List<Node> nodes = new ArrayList<>();
        for (String h : hosts.split(",")) {
            if (h.isBlank()) continue;
            URI one = URI.create("redis://" + h.strip());
            if (one.getHost() == null) throw new IllegalArgumentException("MAILROOM_REDIS_URL has a host that cannot be read: " + h);
            nodes.add(new Node(one.getHost(), one.getPort() < 0 ? defaultPort : one.getPort()));
        }
        if (nodes.isEmpty()) throw new IllegalArgumentException("MAILROOM_REDIS_URL names no host");
        return nodes;
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        if (path != null) for (String s : path.split("/")) if (!s.isEmpty()) out.add(s);
        return out;
    }

    private static int database(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MAILROOM_REDIS_URL's database must be a number, not " + text);
        }
    }
}
