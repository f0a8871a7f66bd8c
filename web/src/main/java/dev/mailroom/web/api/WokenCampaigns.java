package dev.mailroom.web.api;

import dev.mailroom.core.port.LiveEvents;
import dev.mailroom.db.redis.RedisSignals;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Campaigns a sender change made ready again (its window, limits, {@code enabled}, SMTP settings or quota sync
 * ended their wait): the workers hear it at once, and so does every page showing one of them, through its live
 * stream, instead of the stale wait until its next re-read. Best effort: the database already holds the truth.
 */
public final class WokenCampaigns {
    private static final Logger log = LoggerFactory.getLogger(WokenCampaigns.class);

    private final RedisSignals signals;
    private final LiveEvents events;

    public WokenCampaigns(RedisSignals signals, LiveEvents events) {
        this.signals = signals;
        this.events = events;
    }

    void announce(long senderId, List<Long> woken) {
        if (woken.isEmpty()) return;
        try {
            signals.wake(senderId);
        } catch (RuntimeException e) {
            log.warn("wake-up for sender {} not published ({}); workers will notice on their next scan", senderId,
                    e.getClass().getSimpleName());
        }
        for (long campaignId : woken) events.publish(campaignId, "status", Map.of("status", "queued"));
    }
}
