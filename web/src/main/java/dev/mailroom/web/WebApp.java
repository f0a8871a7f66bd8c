package dev.mailroom.web;

import static dev.mailroom.web.auth.Role.ADMIN;
import static dev.mailroom.web.auth.Role.INGEST;
import static dev.mailroom.web.auth.Role.OPERATOR;
import static dev.mailroom.web.auth.Role.VIEWER;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.core.campaign.UserAction;
import dev.mailroom.core.delivery.PublicUrl;
import dev.mailroom.core.net.EgressPolicy;
import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.MetricsToken;
import dev.mailroom.core.sender.ComplaintRateAlert;
import dev.mailroom.db.Database;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.web.api.OpenApiController;
import dev.mailroom.web.api.PollController;
import dev.mailroom.web.auth.AuthSettings;
import dev.mailroom.web.auth.RevocationFeed;
import dev.mailroom.web.csv.CsvLimits;
import dev.mailroom.web.error.ErrorMapping;
import dev.mailroom.web.error.HttpFailure;
import dev.mailroom.web.json.Json;
import dev.mailroom.web.metrics.WebMetrics;
import dev.mailroom.web.sse.OpenStreams;
import dev.mailroom.web.sse.StreamLimits;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.util.List;

/** Builds the Javalin app from its collaborators; tests start it on port 0 against real services. */
public final class WebApp {
    /** What the app needs; the web tier owns none of these (the caller closes them). */
    public record Deps(Database db, Redis redis, QuotaGate quota, Clock clock, long maxBodyBytes, CsvLimits csv,
                       KeyRing keys, PublicUrl publicUrl, ComplaintRateAlert complaintAlert, EgressPolicy egress,
                       AuthSettings auth, StreamLimits streams, MetricsToken metricsToken) {}

    private final Javalin app;
    private final WebMetrics metrics;
    private final RevocationFeed revocations;
    private final OpenStreams streams;

    private WebApp(Javalin app, WebMetrics metrics, RevocationFeed revocations, OpenStreams streams) {
        this.app = app;
        this.metrics = metrics;
        this.revocations = revocations;
        this.streams = streams;
    }

    public static WebApp create(Deps deps) {
        ObjectMapper mapper = Json.mapper();
        Controllers c = Controllers.wire(deps, mapper);
        WebMetrics metrics = new WebMetrics(c.ops(), c.streams()::openCount, deps.clock(), deps.complaintAlert().threshold());
        Javalin app = Javalin.create(cfg -> {
            cfg.jsonMapper(new JavalinJackson(mapper, false));
            cfg.http.maxRequestSize = deps.maxBodyBytes();
            cfg.startup.showJavalinBanner = false;
            cfg.staticFiles.add("/public", Location.CLASSPATH);
            cfg.requestLogger.http((ctx, ms) -> metrics.record(ctx, ms, ErrorMapping.route(ctx)));
            new ErrorMapping(mapper).register(cfg.routes);
            cfg.routes.before(SecurityHeaders::apply);
            cfg.routes.beforeMatched(c.auth()::check);
            // Read-your-writes for the poll's shared snapshot: a change made through this process shows on its
            // next poll; other processes' polls see it within the snapshot's 250 ms. Only an API write that
            // succeeded counts: refused or unauthenticated requests (and unsubscribe clicks) must not let
            // anyone turn every poll into a database read.
            cfg.routes.after(ctx -> {
                if (PollController.changesPolls(ctx.method(), ctx.status(), ctx.path())) c.poll().forgetSnapshots();
            });
            routes(cfg.routes, c, metrics(metrics, deps.metricsToken()));
        });
        return new WebApp(app, metrics, c.revocations(), c.streams());
    }

    /** The Prometheus scrape; with MAILROOM_METRICS_TOKEN set, only for that bearer token. */
    private static Handler metrics(WebMetrics metrics, MetricsToken token) {
        return ctx -> {
            if (!token.permits(ctx.header("Authorization"))) {
                throw HttpFailure.unauthorized("the metrics token is required (Authorization: Bearer <MAILROOM_METRICS_TOKEN>)");
            }
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        };
    }

    private static void routes(RoutesConfig r, Controllers c, Handler metrics) {
        r.get("/health/live", c.health()::live);
        r.get("/health/ready", c.health()::ready);
        // I18: no API key — the signed token is the credential; a GET never writes.
        r.get("/u/{token}", c.unsubscribe()::page);
        r.post("/u/{token}", c.unsubscribe()::unsubscribe);
        r.get("/metrics", metrics);
        r.get("/api/openapi.json", new OpenApiController()::serve); // the API reference: no key

        r.post("/api/keys", c.keys()::create, ADMIN);
        r.get("/api/keys", c.keys()::list, ADMIN);
        r.delete("/api/keys/{id}", c.keys()::revoke, ADMIN);
        r.get("/api/me", c.me()::me, VIEWER);
        r.get("/api/audit", c.audit()::list, ADMIN);

        r.post("/api/senders", c.senders()::create, ADMIN);
        r.get("/api/senders", c.senders()::list, VIEWER);
        r.get("/api/senders/{id}", c.senders()::get, VIEWER);
        r.patch("/api/senders/{id}", c.senders()::patch, ADMIN);
        r.post("/api/senders/{id}/dkim", c.senders()::generateDkim, ADMIN);
        r.get("/api/senders/{id}/bounce-mailbox", c.bounceMailboxes()::get, ADMIN);
        r.put("/api/senders/{id}/bounce-mailbox", c.bounceMailboxes()::put, ADMIN);
        r.delete("/api/senders/{id}/bounce-mailbox", c.bounceMailboxes()::delete, ADMIN);
        r.post("/api/senders/{id}/quota-sync", c.senders()::quotaSync, OPERATOR);
        r.get("/api/senders/{id}/quota", c.senders()::quota, VIEWER);
        r.get("/api/senders/{id}/reputation", c.reputation()::get, VIEWER);
        r.post("/api/senders/{id}/connection-tests", c.connectionTests()::enqueue, OPERATOR);
        r.get("/api/senders/{id}/connection-tests/{test_id}", c.connectionTests()::get, VIEWER);

        r.post("/api/campaigns", c.campaigns()::create, OPERATOR);
        r.get("/api/campaigns", c.campaigns()::list, VIEWER);
        r.get("/api/campaigns/{id}", c.campaigns()::get, VIEWER);
        r.patch("/api/campaigns/{id}", c.lifecycle()::patch, OPERATOR);
        r.get("/api/campaigns/{id}/progress", c.campaigns()::progress, VIEWER);
        r.get("/api/campaigns/{id}/rates", c.rates()::get, VIEWER);
        r.patch("/api/campaigns/{id}/controls", c.campaigns()::controls, OPERATOR);
        r.post("/api/campaigns/{id}/recipients", c.recipients()::add, OPERATOR);
        r.get("/api/campaigns/{id}/recipients", c.recipients()::list, VIEWER);
        r.get("/api/campaigns/{id}/recipients/{rid}/attempts", c.recipients()::attempts, VIEWER);
        r.post("/api/campaigns/{id}/queue", c.lifecycle().handler(UserAction.QUEUE), OPERATOR);
        r.post("/api/campaigns/{id}/pause", c.lifecycle().handler(UserAction.PAUSE), OPERATOR);
        r.post("/api/campaigns/{id}/resume", c.lifecycle().handler(UserAction.RESUME), OPERATOR);
        r.post("/api/campaigns/{id}/cancel", c.lifecycle().handler(UserAction.CANCEL), OPERATOR);
        r.post("/api/campaigns/{id}/retry-uncertain", c.lifecycle().handler(UserAction.RETRY_UNCERTAIN), OPERATOR);
        r.post("/api/campaigns/{id}/retry-failed", c.lifecycle()::retryFailed, OPERATOR);

        r.post("/api/test-emails", c.testEmails()::enqueue, OPERATOR);
        r.get("/api/test-emails", c.testEmails()::list, VIEWER);
        r.get("/api/test-emails/{id}", c.testEmails()::get, VIEWER);

        r.get("/api/poll", c.poll()::poll, VIEWER);

        r.get("/api/campaigns/{id}/events", c.events()::handle, VIEWER);
        // Providers report with an ingest key, which may call nothing else; operators may report too.
        r.post("/api/events/bounces", c.bounces()::report, INGEST, OPERATOR);

        r.post("/api/webhooks", c.webhooks()::create, ADMIN);
        r.get("/api/webhooks", c.webhooks()::list, ADMIN);
        r.delete("/api/webhooks/{id}", c.webhooks()::delete, ADMIN);
        r.get("/api/webhooks/{id}/deliveries", c.webhooks()::deliveries, ADMIN);

        r.get("/api/circuits", c.circuits()::list, VIEWER);
        r.delete("/api/circuits/{sender_id}/{domain}", c.circuits()::close, OPERATOR);

        r.get("/api/suppressions", c.suppressions()::list, VIEWER);
        r.post("/api/suppressions", c.suppressions()::add, OPERATOR);
        r.delete("/api/suppressions/{email}", c.suppressions()::remove, OPERATOR);
    }

    public WebApp start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** What the router holds, for checking the API reference against it. */
    List<RegisteredRoutes.Route> routes() {
        return RegisteredRoutes.of(app);
    }

    public void stop() {
        streams.close(); // open event streams would hold the server's stop
        app.stop();
        revocations.close();
        metrics.close();
    }
}
