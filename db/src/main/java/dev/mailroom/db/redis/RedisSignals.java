package dev.mailroom.db.redis;

import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

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
        redis.publish(redis.keys().wakeChannel(), Long.toString(senderId));
    }

    public Redis.Subscription onWake(LongConsumer listener) {
        return redis.subscribe(redis.keys().wakeChannel(), msg -> listener.accept(Long.parseLong(msg)));
    }

    /** A user paused or cancelled a campaign: the worker sending it stops before its next message. */
    public void control(long campaignId, String action) {
        redis.publish(redis.keys().controlChannel(), campaignId + ":" + action);
    }

    public Redis.Subscription onControl(BiConsumer<Long, String> listener) {
        return redis.subscribe(redis.keys().controlChannel(), msg -> {
            int colon = msg.indexOf(':');
            listener.accept(Long.parseLong(msg.substring(0, colon)), msg.substring(colon + 1));
        });
    }
}
