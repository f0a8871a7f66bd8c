package dev.mailroom.db.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.TcpProxy;
import dev.mailroom.testkit.TestServices;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The Jedis side of {@link Redis} through outages, made with a {@link TcpProxy} in front of the shared Redis
 * (which no test may restart): a subscriber is never left deaf, and the pool's first command after Redis
 * came back works. Each test has channels of its own, so concurrent runs on the same server do not mix.
 */
@ExtendWith(RedisExtension.class)
class RedisReconnectTest {
    private final RedisConfig direct = new RedisConfig(TestServices.redisUrl(), TestServices.redisPrefix() + "reconnect-" + System.nanoTime() + ":");
    private final TcpProxy proxy = TcpProxy.to(direct.where().first().host(), direct.where().first().port());
    private final RedisConfig proxied = new RedisConfig("redis://127.0.0.1:" + proxy.port() + "/" + direct.where().database(), direct.prefix());
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private Redis publisher;
    private Redis redis;

    @BeforeEach
    void connect() {
        publisher = Redis.connect(direct, 30_000);
        redis = Redis.connect(proxied, 30_000);
    }

    @AfterEach
    void close() {
        redis.close();
        publisher.close();
        proxy.close();
    }

    @Test
    void a_subscriber_whose_connection_was_cut_subscribes_again() {
        String channel = direct.prefix() + "cut";
        redis.subscribe(channel, heard::add);
        publisher.publish(channel, "before");
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains("before"));

        proxy.cut();
        assertHeardAgain(channel);
    }

    @Test
    void after_a_restart_the_subscriber_is_back_and_the_first_pooled_command_works() throws Exception {
        String channel = direct.prefix() + "restart";
        redis.subscribe(channel, heard::add);
        LuaScript count = LuaScript.ofSource(redis, "return {redis.call('INCR', KEYS[1])}");
        String key = direct.prefix() + "counter";
        for (int i = 0; i < 4; i++) count.call(List.of(key)); // the pool holds live connections now

        proxy.down();
        Thread.sleep(1_000); // refused meanwhile: the subscriber backs off, the pool's connections are dead
        proxy.up();

        assertThat(count.call(List.of(key)).number(0)).as("sent again on a new connection").isEqualTo(5L);
        assertThat(redis.ping()).isTrue();
        assertHeardAgain(channel);
    }

    @Test
    void a_command_that_must_not_run_twice_fails_once_on_a_dead_connection_and_the_next_one_works() {
        LuaScript count = LuaScript.ofSource(redis, "return {redis.call('INCR', KEYS[1])}");
        String key = direct.prefix() + "once";
        assertThat(count.callAtMostOnce(List.of(key)).number(0)).isEqualTo(1L);

        proxy.cut();
        assertThatThrownBy(() -> count.callAtMostOnce(List.of(key))).isInstanceOf(JedisConnectionException.class);
        assertThat(count.callAtMostOnce(List.of(key)).number(0)).as("the dead connections were dropped").isEqualTo(2L);
    }

    @Test
    void a_subscription_that_went_silent_without_closing_is_given_up_and_replaced() throws Exception {
        String channel = direct.prefix() + "silent";
        var config = Redis.jedisConfig(proxied.where(), null);
        try (JedisSubscriber subscriber = new JedisSubscriber(() -> new HostAndPort("127.0.0.1", proxy.port()), config, 200)) {
            subscriber.subscribe(channel, heard::add);
            int connections = proxy.accepted();
            Thread.sleep(1_500); // over seven heartbeats: Redis's answers keep a live connection
            assertThat(proxy.accepted()).as("no reconnect while Redis answers").isEqualTo(connections);

            proxy.freeze(); // the connection stays open and carries nothing: no error ever reaches the reader
            assertHeardAgain(channel);
            assertThat(proxy.accepted()).as("it reconnected").isGreaterThan(connections);
        }
    }

    @Test
    void the_last_listener_of_a_channel_unsubscribes_it_and_the_others_keep_theirs() {
        String kept = direct.prefix() + "kept", dropped = direct.prefix() + "dropped";
        var first = redis.subscribe(dropped, heard::add);
        var second = redis.subscribe(dropped, heard::add);
        redis.subscribe(kept, heard::add);
        assertThat(subscribers(kept)).isEqualTo(1);
        assertThat(subscribers(dropped)).as("one connection for both listeners").isEqualTo(1);

        first.close();
        assertThat(subscribers(dropped)).isEqualTo(1);
        second.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribers(dropped) == 0);
        publisher.publish(kept, "still here");
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains("still here"));
    }

    @Test
    void a_listener_that_throws_does_not_stop_the_others() {
        String channel = direct.prefix() + "throws";
        redis.subscribe(channel, m -> {
            throw new IllegalStateException("listener bug");
        });
        redis.subscribe(channel, heard::add);
        publisher.publish(channel, "one");
        publisher.publish(channel, "two");
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.equals(List.of("one", "two")));
    }

    /** Messages published while the subscriber was away are lost: publish until one is heard. */
    private void assertHeardAgain(String channel) {
        heard.clear();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            publisher.publish(channel, "after");
            return heard.contains("after");
        });
    }

    private long subscribers(String channel) {
        return publisher.client().getTopic(channel).countSubscribers();
    }
}
