package dev.mailroom.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.config.RedisUrl.Node;
import dev.mailroom.core.config.RedisUrl.Shape;
import org.junit.jupiter.api.Test;

/** The one MAILROOM_REDIS_URL both Redis clients are configured from, in its three shapes. */
class RedisUrlTest {

    @Test
    void a_plain_url_names_one_host_port_and_database() {
        RedisUrl u = RedisUrl.parse("redis://10.1.2.3:6380/4");
        assertThat(u.shape()).isEqualTo(Shape.SINGLE);
        assertThat(u.nodes()).containsExactly(new Node("10.1.2.3", 6380));
        assertThat(u.database()).isEqualTo(4);
        assertThat(u.tls()).isFalse();
        assertThat(u.user()).isNull();
        assertThat(u.password()).isNull();
    }

    @Test
    void defaults_are_port_6379_and_database_0() {
        RedisUrl u = RedisUrl.parse("redis://cache.internal");
        assertThat(u.first()).isEqualTo(new Node("cache.internal", 6379));
        assertThat(u.database()).isZero();
    }

    @Test
    void user_info_is_a_password_alone_or_an_acl_user_and_password() {
        assertThat(RedisUrl.parse("redis://:s3cret@h:6379/0")).satisfies(u -> {
            assertThat(u.user()).isNull();
            assertThat(u.password()).isEqualTo("s3cret");
        });
        assertThat(RedisUrl.parse("redis://s3cret@h:6379/0")).satisfies(u -> {
            assertThat(u.user()).isNull();
            assertThat(u.password()).isEqualTo("s3cret");
        });
        assertThat(RedisUrl.parse("redis://mailroom:s%40cret@h:6379/0")).satisfies(u -> {
            assertThat(u.user()).isEqualTo("mailroom");
            assertThat(u.password()).isEqualTo("s@cret");
        });
    }

    @Test
    void an_s_after_redis_means_tls_in_every_shape() {
        assertThat(RedisUrl.parse("rediss://h:6380/1").tls()).isTrue();
        assertThat(RedisUrl.parse("rediss-sentinel://h:26379/m").tls()).isTrue();
        assertThat(RedisUrl.parse("rediss-cluster://h:7000").tls()).isTrue();
    }

    @Test
    void a_sentinel_url_lists_the_sentinels_then_names_the_master_and_database() {
        RedisUrl u = RedisUrl.parse("redis-sentinel://app:pw@10.0.0.1:26379,10.0.0.2:26380,s3/mymaster/2");
        assertThat(u.shape()).isEqualTo(Shape.SENTINEL);
        assertThat(u.nodes()).containsExactly(new Node("10.0.0.1", 26379), new Node("10.0.0.2", 26380), new Node("s3", 26379));
        assertThat(u.masterName()).isEqualTo("mymaster");
        assertThat(u.database()).isEqualTo(2);
        assertThat(u.user()).isEqualTo("app");
        assertThat(u.password()).isEqualTo("pw");
        assertThat(RedisUrl.parse("redis-sentinel://h/m").database()).isZero();
    }

    @Test
    void a_cluster_url_lists_any_of_its_nodes() {
        RedisUrl u = RedisUrl.parse("redis-cluster://:pw@127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002");
        assertThat(u.shape()).isEqualTo(Shape.CLUSTER);
        assertThat(u.nodes()).extracting(Node::port).containsExactly(7000, 7001, 7002);
        assertThat(u.database()).isZero();
        assertThat(u.password()).isEqualTo("pw");
    }

    @Test
    void the_redacted_form_keeps_where_and_drops_the_credentials() {
        assertThat(RedisUrl.parse("redis://:pw@h/3").redacted()).isEqualTo("redis://h:6379/3");
        assertThat(RedisUrl.parse("rediss-sentinel://u:pw@a,b:1/m/2").redacted()).isEqualTo("rediss-sentinel://a:26379,b:1/m/2");
        assertThat(RedisUrl.parse("redis-cluster://pw@a:7000,b:7001").redacted()).isEqualTo("redis-cluster://a:7000,b:7001");
    }

    @Test
    void what_cannot_be_meant_is_refused_with_a_reason() {
        assertThatThrownBy(() -> RedisUrl.parse("http://h:6379")).hasMessageContaining("redis://");
        assertThatThrownBy(() -> RedisUrl.parse("redis:///0")).hasMessageContaining("no host");
        assertThatThrownBy(() -> RedisUrl.parse("redis://a:1,b:2/0")).hasMessageContaining("redis-cluster://");
        assertThatThrownBy(() -> RedisUrl.parse("redis-sentinel://h:26379")).hasMessageContaining("master");
        assertThatThrownBy(() -> RedisUrl.parse("redis-cluster://h:7000/3")).hasMessageContaining("database 0");
        assertThatThrownBy(() -> RedisUrl.parse("redis://h/x")).hasMessageContaining("number");
    }
}
