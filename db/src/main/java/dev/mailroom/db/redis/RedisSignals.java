package dev.mailroom.db.redis;

import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

/**
 * Fire-and-forget signals over Redis pub/sub. They only hurry things up: a lost wake-up is caught by
 * the worker's periodic scan, a lost pause by the status check before the next batch.
 */
public final class RedisSignals {
    private final Redis redis;

    public RedisSignals(Redis redis) {
        this.redis = redis;
    }

    /** A sender has ready work (a campaign queued or resumed, a test email waiting). */
    public void wake(long senderId) {
        topic(redis.keys().wakeChannel()).publish(Long.toString(senderId));
    }

    public int onWake(LongConsumer listener) {
        return topic(redis.keys().wakeChannel()).addListener(String.class, (ch, msg) -> listener.accept(Long.parseLong(msg)));
    }

    /** A user paused or cancelled a campaign: the worker sending it stops before its next message. */
    public void control(long campaignId, String action) {
        topic(redis.keys().controlChannel()).publish(campaignId + ":" + action);
    }

    public int onControl(BiConsumer<Long, String> listener) {
        return topic(redis.keys().controlChannel()).addListener(String.class, (ch, msg) -> {
            int colon = msg.indexOf(':');
            listener.accept(Long.parseLong(msg.substring(0, colon)), msg.substring(colon + 1));
        });
    }

    public void removeListeners() {
        topic(redis.keys().wakeChannel()).removeAllListeners();
        topic(redis.keys().controlChannel()).removeAllListeners();
    }

    private RTopic topic(String name) {
        return redis.client().getTopic(name, StringCodec.INSTANCE);
    }
}
