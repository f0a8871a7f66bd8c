package dev.mailroom.worker.loop;

import dev.mailroom.core.port.CampaignStore;
import dev.mailroom.core.port.MailTransport;
import dev.mailroom.core.port.SenderLock;
import dev.mailroom.core.port.SenderStore;
import dev.mailroom.core.port.TestEmailQueue;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What serving one sender takes: its lock, the claim, fresh per-sender state (connection-test and test-email
 * turns, SMTP lanes) and the campaign steps.
 */
record SenderServing(String workerId, int lanes, SenderLock locks, SenderStore senders, CampaignStore campaigns,
                     TestEmailQueue testEmailQueue, MailTransport transport, Supplier<BetweenBatches> betweenBatches,
                     CampaignSteps steps, Clock clock) {

    static SenderServing wire(LoopPorts p) {
        SendBatch sendBatch = new SendBatch(p.metrics());
        DomainCircuits circuits = new DomainCircuits(p.breakers());
        RecordBatch recordBatch = new RecordBatch(p.campaigns(), p.policy(), circuits, p.events(), p.clock());
        CampaignSteps steps = new CampaignSteps(p.campaigns(), p.senders(), new PickDue(p.campaigns(), circuits),
                new SendCampaignBatch(p.campaigns(), p.quota(), sendBatch, recordBatch, p.stamps(), p.clock()),
                new FinishOrWait(p.campaigns()), new DeferCampaign(p.defer(), p.metrics(), p.clock()), p.relay(),
                p.events(), p.metrics(), p.clock());
        return new SenderServing(p.workerId(), p.lanes(), p.locks(), p.senders(), p.campaigns(), p.testEmails(),
                p.transport(), () -> new BetweenBatches(
                        new ServeConnectionTests(p.connectionTests(), p.transport(), p.clock(), p.workerId()),
                        new ServeTestEmails(p.testEmails(), p.quota(), p.defer(), p.relay(), sendBatch, p.stamps(), p.clock(),
                                p.workerId(), p.policy().maxAttempts())),
                steps, p.clock());
    }
}
