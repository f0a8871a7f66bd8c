package dev.mailroom.db.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one MAILROOM_REDIS_URL both clients are configured from. */
class RedisConfigTest {

    @Test
    void a_plain_url_names_host_port_and_database() {
        RedisConfig c = new RedisConfig("redis://10.1.2.3:6380/4", null);
        assertThat(c.host()).isEqualTo("10.1.2.3");
        assertThat(c.port()).isEqualTo(6380);
        assertThat(c.database()).isEqualTo(4);
        assertThat(c.address()).isEqualTo("redis://10.1.2.3:6380");
        assertThat(c.tls()).isFalse();
        assertThat(c.user()).isNull();
        assertThat(c.password()).isNull();
        assertThat(c.prefix()).isEqualTo("mailroom:");
    }

    @Test
    void defaults_are_port_6379_and_database_0() {
        RedisConfig c = new RedisConfig("redis://cache.internal", "p:");
        assertThat(c.port()).isEqualTo(6379);
        assertThat(c.database()).isZero();
    }

    @Test
    void user_info_is_a_password_alone_or_an_acl_user_and_password() {
        assertThat(new RedisConfig("redis://:s3cret@h:6379/0", null)).satisfies(c -> {
            assertThat(c.user()).isNull();
            assertThat(c.password()).isEqualTo("s3cret");
        });
        assertThat(new RedisConfig("redis://s3cret@h:6379/0", null)).satisfies(c -> {
            assertThat(c.user()).isNull();
            assertThat(c.password()).isEqualTo("s3cret");
        });
        assertThat(new RedisConfig("redis://mailroom:s3cret@h:6379/0", null)).satisfies(c -> {
            assertThat(c.user()).isEqualTo("mailroom");
            assertThat(c.password()).isEqualTo("s3cret");
        });
    }

    @Test
    void rediss_means_tls_for_both_clients() {
        RedisConfig c = new RedisConfig("rediss://h:6380/1", null);
        assertThat(c.tls()).isTrue();
        assertThat(c.address()).isEqualTo("rediss://h:6380");
    }

    @Test
    void anything_but_a_redis_url_is_refused() {
        assertThatThrownBy(() -> new RedisConfig("http://h:6379", null)).hasMessageContaining("redis://");
        assertThatThrownBy(() -> new RedisConfig("redis:///0", null)).hasMessageContaining("no host");
    }
}
