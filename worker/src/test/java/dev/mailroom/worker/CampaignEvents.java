package dev.mailroom.worker;

import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisLiveEvents;
import dev.mailroom.testkit.CampaignEventLog;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

/**
 * The live events a worker publishes for one campaign, as the web tier relays them over SSE: "batch"
 * once a batch's outcomes are recorded, "status" when the worker lets go of the campaign (paused,
 * cancelled, finished), "deferred". Tests wait for these instead of for wall-clock time: a worker
 * publishes "status" only after every lane of its last batch returned, so what the SMTP server holds
 * at that moment is all the worker will ever send for that run.
 */
final class CampaignEvents extends CampaignEventLog implements AutoCloseable {
    private final RTopic topic;
    private final int listener;

    private CampaignEvents(Redis redis, long campaignId) {
        this.topic = redis.client().getTopic(redis.keys().campaignEvents(campaignId), StringCodec.INSTANCE);
        this.listener = topic.addListener(String.class, (channel, message) -> RedisLiveEvents.split(message).forEach(this::heard));
    }

    /** Subscribed when this returns, so start following before the worker starts. */
    static CampaignEvents follow(Redis redis, long campaignId) {
        return new CampaignEvents(redis, campaignId);
    }

    @Override
    public void close() {
        topic.removeListener(listener);
    }
}
