package dev.mailroom.db.redis;

import java.net.URI;

/**
 * Where Redis is ({@code redis://[:password@]host:port[/db]}, the database index honoured) and the
 * prefix every key and channel starts with.
 */
public record RedisConfig(String url, String prefix) {
    public static final String DEFAULT_URL = "redis://127.0.0.1:6379/0";

    public RedisConfig {
        URI uri = URI.create(url);
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("MAILROOM_REDIS_URL must be a redis:// or rediss:// URL");
        }
        prefix = prefix == null ? "mailroom:" : prefix;
    }

    public String address() {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    public int database() {
        String path = URI.create(url).getPath();
        return path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
    }

    public String password() {
        String info = URI.create(url).getUserInfo();
        if (info == null) return null;
        int colon = info.indexOf(':');
        return colon < 0 ? info : info.substring(colon + 1);
    }
}
