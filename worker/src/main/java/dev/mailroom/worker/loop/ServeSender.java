package dev.mailroom.worker.loop;

import dev.mailroom.core.error.SafeErrors;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.port.SenderLock;
import dev.mailroom.core.sender.Sender;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Serves one sender while holding its lock (I2): connection tests and test emails first, then claimed campaigns one after
 * another until none is ready. A deferred campaign releases its claim, so the next ready one runs (I12).
 */
final class ServeSender implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ServeSender.class);

    private final SenderServing serving;
    private final long senderId;
    private final Map<Long, RunCampaign> running;
    private final BooleanSupplier shuttingDown;

    ServeSender(SenderServing serving, long senderId, Map<Long, RunCampaign> running, BooleanSupplier shuttingDown) {
        this.serving = serving;
        this.senderId = senderId;
        this.running = running;
        this.shuttingDown = shuttingDown;
    }

    @Override
    public void run() {
        Optional<SenderLock.Held> lock = serving.locks().tryAcquire(senderId);
        if (lock.isEmpty()) return; // another worker serves this sender
        // Every log line while serving names the worker and the sender (campaign too, once claimed).
        MDC.put("worker", serving.workerId());
        MDC.put("sender", Long.toString(senderId));
        try (SenderLock.Held held = lock.get(); SmtpLanes lanes = new SmtpLanes(serving.transport(), serving.lanes())) {
            int stuck = serving.testEmailQueue().recoverStuck(senderId);
            if (stuck > 0) log.warn("sender {}: {} test emails left sending by a dead worker are now uncertain", senderId, stuck);
            BetweenBatches betweenBatches = serving.betweenBatches().get();
            // A lock lost with Redis (flush, expiry) is not ours any more: stop, or two workers would keep
            // taking the campaign from each other (fencing keeps that safe, but wasteful).
            while (!shuttingDown.getAsBoolean() && held.stillHeld()) {
                Optional<Sender> sender = serving.senders().find(senderId);
                if (sender.isEmpty()) return;
                lanes.use(sender.get().smtp());
                betweenBatches.serve(sender.get(), lanes);
                Optional<Claim> claim = serving.campaigns().claimNext(senderId, serving.workerId(), serving.clock().instant());
                if (claim.isEmpty()) return;
                runCampaign(claim.get(), lanes, betweenBatches);
            }
        } catch (RuntimeException e) {
            log.error("sender {}: serving stopped by an unexpected error ({}); another pass will resume", senderId,
                    SafeErrors.describe(e));
        } finally {
            MDC.clear();
        }
    }

    private void runCampaign(Claim claim, SmtpLanes lanes, BetweenBatches betweenBatches) {
        RunCampaign campaign = new RunCampaign(serving.steps(), claim, lanes, betweenBatches, shuttingDown);
        running.put(claim.campaignId(), campaign);
        MDC.put("campaign", Long.toString(claim.campaignId()));
        try {
            log.info("campaign {} claimed by {} (fence {})", claim.campaignId(), serving.workerId(), claim.fence());
            RunCampaign.End end = campaign.run();
            log.debug("campaign {} run ended: {}", claim.campaignId(), end);
        } catch (RuntimeException e) {
            // Hand the campaign back at once rather than leave it processing until a takeover; rows left
            // sending become uncertain at the next claim (I7).
            releaseQuietly(claim);
            throw e;
        } finally {
            MDC.remove("campaign");
            running.remove(claim.campaignId());
        }
    }

    private void releaseQuietly(Claim claim) {
        try {
            serving.campaigns().release(claim, serving.clock().instant());
        } catch (RuntimeException e) {
            log.warn("campaign {}: could not release the claim ({}); a takeover will", claim.campaignId(),
                    SafeErrors.describe(e));
        }
    }
}
