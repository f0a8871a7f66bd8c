package dev.mailroom.worker.loop;

import dev.mailroom.core.port.CampaignStore;
import dev.mailroom.core.port.LiveEvents;
import dev.mailroom.core.port.RelayHealth;
import dev.mailroom.core.port.SenderStore;
import java.time.Clock;

/** The steps a claimed campaign runs, built once per worker; {@link RunCampaign} holds one claim's state. */
record CampaignSteps(CampaignStore campaigns, SenderStore senders, PickDue pickDue, SendCampaignBatch sendBatch,
                     FinishOrWait finishOrWait, DeferCampaign defer, RelayHealth relay, LiveEvents events,
                     WorkerMetrics metrics, Clock clock) {}
