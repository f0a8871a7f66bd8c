package dev.mailroom.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.core.circuit.CircuitRule;
import dev.mailroom.core.secret.RecipientTokens;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.db.postgres.JooqApiKeyStore;
import dev.mailroom.db.postgres.JooqAuditTrail;
import dev.mailroom.db.postgres.JooqBounceMailboxStore;
import dev.mailroom.db.postgres.JooqBounceStore;
import dev.mailroom.db.postgres.JooqComplaintRate;
import dev.mailroom.db.postgres.JooqConnectionTestStore;
import dev.mailroom.db.postgres.JooqCampaignAdminStore;
import dev.mailroom.db.postgres.JooqCampaignLifecycle;
import dev.mailroom.db.postgres.JooqCampaignRates;
import dev.mailroom.db.postgres.JooqCampaignReads;
import dev.mailroom.db.postgres.JooqDomainHistory;
import dev.mailroom.db.postgres.JooqPollQueries;
import dev.mailroom.db.postgres.JooqSenderReputation;
import dev.mailroom.db.postgres.JooqSenderStore;
import dev.mailroom.db.postgres.JooqSuppressionStore;
import dev.mailroom.db.postgres.JooqTestEmailStore;
import dev.mailroom.db.postgres.JooqUnsubscribeStore;
import dev.mailroom.db.postgres.JooqWebhookStore;
import dev.mailroom.db.redis.RedisAuthFailures;
import dev.mailroom.db.redis.RedisCircuitBreakers;
import dev.mailroom.db.redis.RedisKeyRevocations;
import dev.mailroom.db.redis.RedisLiveEvents;
import dev.mailroom.db.redis.RedisSignals;
import dev.mailroom.web.api.Audit;
import dev.mailroom.web.api.AuditController;
import dev.mailroom.web.api.BounceController;
import dev.mailroom.web.api.BounceMailboxController;
import dev.mailroom.web.api.CampaignController;
import dev.mailroom.web.api.CircuitController;
import dev.mailroom.web.api.ConnectionTestController;
import dev.mailroom.web.api.EventStreamController;
import dev.mailroom.web.api.HealthController;
import dev.mailroom.web.api.KeyController;
import dev.mailroom.web.api.LifecycleController;
import dev.mailroom.web.api.MeController;
import dev.mailroom.web.api.PollController;
import dev.mailroom.web.api.RatesController;
import dev.mailroom.web.api.RecipientController;
import dev.mailroom.web.api.ReputationController;
import dev.mailroom.web.api.Requests;
import dev.mailroom.web.api.SenderController;
import dev.mailroom.web.api.SuppressionController;
import dev.mailroom.web.api.TestEmailController;
import dev.mailroom.web.api.WebhookController;
import dev.mailroom.web.api.WokenCampaigns;
import dev.mailroom.web.auth.Authenticator;
import dev.mailroom.web.auth.FailedAuthLimiter;
import dev.mailroom.web.auth.LastUse;
import dev.mailroom.web.auth.RevocationFeed;
import dev.mailroom.web.auth.VerifiedKeys;
import dev.mailroom.web.metrics.OpsReader;
import dev.mailroom.web.sse.OpenStreams;
import dev.mailroom.web.unsubscribe.UnsubscribeController;
import org.jooq.DSLContext;

/** Wires the stores into the controllers: the one place that knows every collaborator. */
record Controllers(Authenticator auth, MeController me, KeyController keys, SenderController senders,
                   CampaignController campaigns, RecipientController recipients, LifecycleController lifecycle,
                   TestEmailController testEmails, ConnectionTestController connectionTests, PollController poll, RatesController rates, SuppressionController suppressions,
                   HealthController health, WebhookController webhooks, BounceController bounces,
                   EventStreamController events, CircuitController circuits, UnsubscribeController unsubscribe,
                   ReputationController reputation, OpsReader ops,
                   BounceMailboxController bounceMailboxes, RevocationFeed revocations, AuditController audit,
                   OpenStreams streams) {

    static Controllers wire(WebApp.Deps d, ObjectMapper mapper) {
        DSLContext dsl = d.db().dsl();
        Requests requests = new Requests(mapper);
        var senderStore = new JooqSenderStore(dsl);
        var reads = new JooqCampaignReads(dsl);
        var admin = new JooqCampaignAdminStore(dsl);
        var pollQueries = new JooqPollQueries(dsl);
        var signals = new RedisSignals(d.redis());
        var apiKeys = new JooqApiKeyStore(dsl);
        var verifiedKeys = new VerifiedKeys(apiKeys, d.auth().cacheTtl());
        var revocations = new RevocationFeed(new RedisKeyRevocations(d.redis()), verifiedKeys);
        var trail = new JooqAuditTrail(dsl);
        var audit = new Audit(trail);
        var streams = new OpenStreams(d.streams());
        // The web only lists and closes circuits; the rule matters to the workers that open them.
        var circuits = new RedisCircuitBreakers(d.redis(), new JooqDomainHistory(dsl), CircuitRule.DEFAULT);
        var webhooks = new JooqWebhookStore(dsl);
        var reputation = new JooqSenderReputation(dsl);
        return new Controllers(
                new Authenticator(verifiedKeys, new FailedAuthLimiter(new RedisAuthFailures(d.redis()), d.auth()),
                        new LastUse(apiKeys), d.clock()),
                new MeController(),
                new KeyController(apiKeys, revocations, audit, requests, d.clock()),
                new SenderController(senderStore, d.quota(), audit, requests, new SecretSealer(d.keys()),
                        new WokenCampaigns(signals, new RedisLiveEvents(d.redis())), d.clock()),
                new CampaignController(admin, reads, senderStore, audit, requests),
                new RecipientController(admin, reads, requests, d.csv()),
                new LifecycleController(new JooqCampaignLifecycle(dsl, d.clock()), reads, signals, audit, requests),
                new TestEmailController(new JooqTestEmailStore(dsl), senderStore, reads, new JooqSuppressionStore(dsl), signals,
                        requests),
                new ConnectionTestController(new JooqConnectionTestStore(dsl), senderStore, signals, requests),
                new PollController(pollQueries, d.quota(), d.clock()),
                new RatesController(reads, new JooqCampaignRates(dsl), senderStore, d.quota(), d.clock()),
                new SuppressionController(new JooqSuppressionStore(dsl), audit, requests),
                new HealthController(d.db(), pollQueries, d.redis()),
                new WebhookController(webhooks, requests, new SecretSealer(d.keys()), d.egress(), audit),
                new BounceController(new JooqBounceStore(dsl, new JooqComplaintRate(d.complaintAlert())), requests),
                new EventStreamController(d.redis(), reads, streams),
                new CircuitController(circuits, senderStore, d.clock(), audit),
                new UnsubscribeController(new RecipientTokens(d.keys()), new JooqUnsubscribeStore(dsl)),
                new ReputationController(reputation, d.complaintAlert(), d.clock()),
                new OpsReader(pollQueries, senderStore, circuits, d.quota(), webhooks, reputation, ReputationController.WINDOW),
                new BounceMailboxController(new JooqBounceMailboxStore(dsl), senderStore, new SecretSealer(d.keys()), audit,
                        requests),
                revocations,
                new AuditController(trail),
                streams);
    }
}
