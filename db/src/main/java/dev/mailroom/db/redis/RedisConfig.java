package dev.mailroom.db.redis;

import java.net.URI;

/**
 * Where Redis is ({@code redis://[[user:]password@]host[:port][/db]}, {@code rediss://} for TLS) and the
 * prefix every key and channel starts with. One setting for both clients of {@link Redis}: a user-info
 * without a colon is a password alone, as Redis's {@code requirepass} expects.
 */
public record RedisConfig(String url, String prefix) {
    public static final String DEFAULT_URL = "redis://127.0.0.1:6379/0";

    public RedisConfig {
        URI uri = URI.create(url);
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("MAILROOM_REDIS_URL must be a redis:// or rediss:// URL");
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("MAILROOM_REDIS_URL names no host");
        prefix = prefix == null ? "mailroom:" : prefix;
    }

    public String address() {
        return URI.create(url).getScheme() + "://" + host() + ":" + port();
    }

    public String host() {
        return URI.create(url).getHost();
    }

    public int port() {
        int port = URI.create(url).getPort();
        return port < 0 ? 6379 : port;
    }

    public boolean tls() {
        return "rediss".equals(URI.create(url).getScheme());
    }

    public int database() {
        String path = URI.create(url).getPath();
        return path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
    }

    /** The ACL user of {@code user:password@}; null for the default user. */
    public String user() {
        String info = URI.create(url).getUserInfo();
        if (info == null) return null;
        int colon = info.indexOf(':');
        return colon <= 0 ? null : info.substring(0, colon);
    }

    public String password() {
        String info = URI.create(url).getUserInfo();
        if (info == null) return null;
        int colon = info.indexOf(':');
        return colon < 0 ? info : info.substring(colon + 1);
    }
}
