package dev.mailroom.db.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.TestServices;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

/** Whichever client writes, the other reads the same: scripts by SHA or in full, and pub/sub messages. */
@ExtendWith(RedisExtension.class)
class RedisClientsTest {
    private final String prefix = TestServices.redisPrefix() + "clients-" + System.nanoTime() + ":";
    private final Redis redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), prefix), 30_000);

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void a_script_redis_does_not_know_goes_in_full_once_and_by_its_sha_after() throws Exception {
        // A script no Redis has seen (its text is new), so the first EVALSHA meets NOSCRIPT; no SCRIPT FLUSH,
        // which would empty the script cache of every other run on this server.
        String source = "return {redis.call('INCRBY', KEYS[1], ARGV[1]), " + System.nanoTime() + "}";
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        LuaScript script = LuaScript.ofSource(redis, source);
        String key = prefix + "n";
        assertThat(known(key, sha)).isFalse();

        assertThat(script.call(List.of(key), 2).number(0)).isEqualTo(2L);
        assertThat(known(key, sha)).as("EVAL cached it under the SHA computed here").isTrue();
        assertThat(script.call(List.of(key), 3).number(0)).isEqualTo(5L);
    }

    @Test
    void a_jedis_publish_reaches_a_redisson_subscriber_unchanged_and_back() {
        String channel = prefix + "events";
        List<String> byRedisson = new CopyOnWriteArrayList<>(), byJedis = new CopyOnWriteArrayList<>();
        RTopic topic = redis.client().getTopic(channel, StringCodec.INSTANCE);
        int listener = topic.addListener(String.class, (ch, m) -> byRedisson.add(m));
        try (var subscription = redis.subscribe(channel, byJedis::add)) {
            String lines = "{\"type\":\"sent\",\"to\":\"zoë@example.org\"}\n{\"type\":\"batch\",\"size\":2}";
            redis.publish(channel, lines);
            topic.publish("from redisson");
            await().atMost(Duration.ofSeconds(5)).until(() -> byRedisson.size() == 2 && byJedis.size() == 2);
            assertThat(byRedisson).containsExactly(lines, "from redisson");
            assertThat(byJedis).containsExactly(lines, "from redisson");
            assertThat(RedisLiveEvents.split(byRedisson.get(0))).hasSize(2);
        } finally {
            topic.removeListener(listener);
        }
    }

    @Test
    void keys_written_by_jedis_read_the_same_through_redisson() {
        String key = prefix + "k";
        redis.call(j -> j.set(key, "42"));
        assertThat(redis.client().<String>getBucket(key, StringCodec.INSTANCE).get()).isEqualTo("42");
        redis.client().<String>getBucket(key, StringCodec.INSTANCE).set("43");
        String read = redis.call(j -> j.get(key));
        assertThat(read).isEqualTo("43");
    }

    /**
     * Asked by running it (adding 0) on the node that holds {@code key}: on a Cluster a script is cached where
     * it ran, and SCRIPT EXISTS asks every node.
     */
    private boolean known(String key, String sha) {
        try {
            redis.call(j -> j.evalsha(sha, List.of(key), List.of("0")));
            return true;
        } catch (JedisNoScriptException e) {
            return false;
        }
    }
}
