package dev.mailroom.testkit;

import com.redis.testcontainers.RedisContainer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers fallback: PostgreSQL and Redis in containers, each started at most once per JVM and
 * removed with it (Testcontainers' reaper). Only {@link TestServices} touches this class, and only when a
 * local service did not answer, so the Docker client is never loaded on the usual path.
 */
final class ServiceContainers {
    private static PostgreSQLContainer<?> postgres;
    private static RedisContainer redis;

    private ServiceContainers() {}

    static boolean dockerReachable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static synchronized TestServices.Database postgres() {
        if (postgres == null) {
            postgres = new PostgreSQLContainer<>(DockerImageName.parse("postgres:15-alpine"))
                    .withDatabaseName("test").withUsername("postgres").withPassword("postgres");
            postgres.start();
        }
        return new TestServices.Database(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
    }

    /** @return {@code redis://host:port/database} */
    static synchronized String redis(int database) {
        if (redis == null) {
            redis = new RedisContainer(DockerImageName.parse("redis:7-alpine"));
            redis.start();
        }
        return "redis://" + redis.getRedisHost() + ":" + redis.getRedisPort() + "/" + database;
    }
}
