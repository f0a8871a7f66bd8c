package dev.mailroom.db.redis;

import org.redisson.api.RTopic;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.StringCodec;

/**
 * "An API key was revoked", over Redis pub/sub, so every web process drops its cached key lookups at once.
 * Heard through Redisson (its status listener tells of every re-subscription); published like every message.
 * A message lost while a process was disconnected is covered by {@link #subscribe}: the listener also runs
 * whenever the topic is (re)subscribed, i.e. after every reconnect.
 */
public final class RedisKeyRevocations {
    private final Redis redis;

    public RedisKeyRevocations(Redis redis) {
        this.redis = redis;
    }

    public void publish(long keyId) {
        redis.publish(redis.keys().keyRevocationChannel(), Long.toString(keyId));
    }

    /** Runs {@code forgetKeys} on every revocation and on every (re)subscription; close the result to stop. */
    public Redis.Subscription subscribe(Runnable forgetKeys) {
        RTopic topic = topic();
        int messages = topic.addListener(String.class, (channel, keyId) -> forgetKeys.run());
        int status = topic.addListener(new StatusListener() {
            @Override
            public void onSubscribe(String channel) {
                forgetKeys.run();
            }

            @Override
            public void onUnsubscribe(String channel) {
                forgetKeys.run();
            }
        });
        return () -> topic.removeListener(messages, status);
    }

    private RTopic topic() {
        return redis.client().getTopic(redis.keys().keyRevocationChannel(), StringCodec.INSTANCE);
    }
}
