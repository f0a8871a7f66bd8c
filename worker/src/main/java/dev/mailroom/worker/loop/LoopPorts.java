package dev.mailroom.worker.loop;

import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.defer.DeferService;
import dev.mailroom.core.delivery.MessageStamps;
import dev.mailroom.core.delivery.OutcomePolicy;
import dev.mailroom.core.port.CampaignStore;
import dev.mailroom.core.port.ConnectionTestQueue;
import dev.mailroom.core.port.LiveEvents;
import dev.mailroom.core.port.MailTransport;
import dev.mailroom.core.port.RelayHealth;
import dev.mailroom.core.port.SenderLock;
import dev.mailroom.core.port.SenderStore;
import dev.mailroom.core.port.TestEmailQueue;
import dev.mailroom.core.quota.QuotaGate;
import java.time.Clock;

/**
 * The adapters the send loop is wired from, once per worker process. Only the wiring sees them all:
 * each step gets the few it needs ({@link SenderServing#wire}).
 *
 * @param lanes parallel SMTP connections per sender being served
 * @param stamps unsubscribe links, VERP envelope senders and DKIM keys for every message built
 */
public record LoopPorts(String workerId, int lanes, CampaignStore campaigns, SenderStore senders,
                        TestEmailQueue testEmails, ConnectionTestQueue connectionTests, QuotaGate quota, SenderLock locks, DeferService defer,
                        MailTransport transport, CircuitBreakers breakers, RelayHealth relay, LiveEvents events,
                        OutcomePolicy policy, MessageStamps stamps, Clock clock, WorkerMetrics metrics) {}
