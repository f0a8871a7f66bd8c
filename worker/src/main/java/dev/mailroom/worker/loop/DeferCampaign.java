package dev.mailroom.worker.loop;

import dev.mailroom.core.defer.DeferService;
import dev.mailroom.core.defer.Wait;
import dev.mailroom.core.port.Claim;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A claimed campaign waits: recorded through the one DeferService (I3), which hands the claim back (I12). */
final class DeferCampaign {
    private static final Logger log = LoggerFactory.getLogger(DeferCampaign.class);

    private final DeferService defer;
    private final WorkerMetrics metrics;
    private final Clock clock;

    DeferCampaign(DeferService defer, WorkerMetrics metrics, Clock clock) {
        this.defer = defer;
        this.metrics = metrics;
        this.clock = clock;
    }

    RunCampaign.End until(Claim claim, Wait wait) {
        defer.deferCampaign(claim, wait.reason(), wait.until(), clock.instant());
        metrics.deferred(wait.reason());
        log.info("campaign {} deferred: {} until {}", claim.campaignId(), wait.reason().wire(), wait.until());
        return RunCampaign.End.DEFERRED;
    }
}
