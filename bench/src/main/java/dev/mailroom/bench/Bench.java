package dev.mailroom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bench run: a fresh database, smtp-sink, the web process and N workers; N recipients enqueued from
 * CSV; the campaign sent while /api/poll is under load; then the machine's raw SMTP limit for the same
 * traffic. Everything measured goes into {@link BenchResult}.
 */
final class Bench {
    private static final Logger log = LoggerFactory.getLogger(Bench.class);

    private final HarnessEnv env;
    private final BenchOptions o;
    private final MailroomApi api;
    private final Sql sql;
    private int connections;
    static final long WARM_UP = 5_000;

    Bench(HarnessEnv env, BenchOptions o) {
        this.env = env;
        this.o = o;
        this.api = new MailroomApi(env.baseUrl(), env.adminKey());
        this.sql = new Sql(env);
    }

    BenchResult run() throws Exception {
        BenchResult r = new BenchResult(o);
        Sql.recreateDatabase(env);
        RedisCommand.flushDb(env);
        Path csv = RecipientCsv.write(env.runDir().resolve("recipients.csv"), o.n(), RecipientCsv::benchAddress);
        log.info("database {} recreated, Redis db {} flushed, {} recipients written to {} ({} MB)", env.dbName(),
                env.redisDb(), o.n(), csv, Files.size(csv) / 1_000_000);
        Map<String, String> workerEnv = new LinkedHashMap<>();
        if (o.concurrency() != null) workerEnv.put("MAILROOM_WORKER_CONCURRENCY", o.concurrency().toString());
        try (SmtpSink sink = SmtpSink.start(o.sinkPort(), env.runDir());
             Fleet fleet = new Fleet(env, "bench-w", o.metricsPortBase(), workerEnv)) {
            fleet.startWeb(api, 120);
            fleet.startWorkers(o.workers());
            try (WorkerProbe probe = new WorkerProbe(fleet)) {
                fleet.awaitWorkers(90);
                long sender = api.createSender("bench", sink.port(), 1_000_000_000L, 2_000_000_000L);
                if (o.dkim()) api.generateDkim(sender, "bench.mailroom.test", "bench"); // before the warm-up: it signs too
                long[] traffic = warmUp(fleet, sink, sender);
                long rawN = Math.max(20_000, Math.min(o.n(), 200_000));
                log.info("raw limit on the quiet machine: smtp-source -> smtp-sink, {} messages of ~{} bytes over {} connections",
                        rawN, traffic[0], traffic[1]);
                r.raw(RawLimit.measure(sink, rawN, (int) Math.max(1, traffic[1]), traffic[0], env.runDir()));
                long campaign = api.createCampaign("bench " + o.n(), sender, MessageTemplate.standard());
                if (o.batchSize() != null) api.controls(campaign, Map.of("batch_size", o.batchSize()));
                enqueue(r, campaign, csv);
                send(r, sink, fleet, probe, sender, campaign);
                r.latency(sql, campaign, smtpBuckets(fleet, probe));
                for (int i = 1; i <= fleet.workerCount(); i++) r.memory("worker_" + i, probe.peaks(i));
                r.webRss(fleet.web().statusKb("VmHWM"));
            }
        }
        if (o.profile()) r.profile(JfrSummary.summarize(env.runDir().resolve("jfr")));
        return r;
    }

    private void enqueue(BenchResult r, long campaign, Path csv) throws IOException {
        long t0 = System.nanoTime();
        JsonNode added = api.uploadCsv(campaign, csv);
        double s = (System.nanoTime() - t0) / 1e9;
        if (added.path("added").asLong() != o.n()) throw new IllegalStateException("upload added " + added + ", expected " + o.n());
        r.enqueue(o.n(), s, Files.size(csv));
        log.info("enqueued {} recipients from CSV in {} s", o.n(), String.format("%.2f", s));
    }

    private void send(BenchResult r, SmtpSink sink, Fleet fleet, WorkerProbe probe, long sender, long campaign)
            throws Exception {
        long sinkBase = sink.count();
        long bytesBase = sink.bytesRead();
        int maxConnections;
        Map<String, Object> end;
        CpuAccounting cpu = new CpuAccounting(fleet, sink);
        PgActivitySampler pg = o.profile() ? new PgActivitySampler(env) : null;
        WallSampler wall = o.profile() ? new WallSampler(fleet.worker(1).pid(), env.runDir(), 250) : null;
        try (PollLoad poll = new PollLoad(api.client(), api.pollRequest(sender), o.pollRate(), o.timeoutSeconds())) {
            cpu.start();
            api.queue(campaign);
            end = awaitFinished(campaign, o.timeoutSeconds(), fleet, sink, sinkBase);
            maxConnections = maxConnections(sink);
            poll.close();
            r.poll(poll.summary());
            poll.writeCsv(env.runDir().resolve("poll-latency.csv"));
            r.cpu(cpu.stop());
        } finally {
            if (pg != null) pg.close();
            if (wall != null) wall.close();
        }
        if (pg != null) r.pgActivity(pg.summary(15));
        if (wall != null) r.wall(wall.summary());
        Thread.sleep(200);
        long sent = ((Number) end.get("sent")).longValue();
        r.sending(end, sink.timeline().window(sinkBase, sinkBase + o.n()),
                sql.row("select extract(epoch from max(sent_at) - min(attempted_at))::float8 as seconds, count(*) as sent "
                        + "from campaign_recipient where campaign_id = ? and status = 'sent'", campaign),
                (sink.bytesRead() - bytesBase) / Math.max(1, sent), maxConnections);
    }

    /**
     * A campaign of {@link #WARM_UP} recipients sent first, under the same poll load: the measured run
     * starts with JIT-compiled web and worker processes, as a long-running deployment has them. Returns
     * the traffic it made, for the raw-limit run: {bytes smtp-sink read per message, connections}.
     */
    private long[] warmUp(Fleet fleet, SmtpSink sink, long sender) throws Exception {
        long bytesBefore = sink.bytesRead();
        long campaign = api.createCampaign("warm-up", sender, MessageTemplate.standard());
        if (o.batchSize() != null) api.controls(campaign, Map.of("batch_size", o.batchSize()));
        Path csv = RecipientCsv.write(env.runDir().resolve("warm-up.csv"), WARM_UP, i -> "w" + RecipientCsv.benchAddress(i));
        api.uploadCsv(campaign, csv);
        try (PollLoad poll = new PollLoad(api.client(), api.pollRequest(sender), o.pollRate(), 600)) {
            api.queue(campaign);
            awaitFinished(campaign, 600, fleet, sink, sink.count());
        }
        log.info("warm-up campaign of {} recipients sent", WARM_UP);
        return new long[] {(sink.bytesRead() - bytesBefore) / WARM_UP, maxConnections(sink)};
    }

    /** Waits (bounded) until the campaign reaches a final status; samples the sink's connections meanwhile. */
    private Map<String, Object> awaitFinished(long campaign, int timeoutSeconds, Fleet fleet, SmtpSink sink, long sinkBase)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeoutSeconds * 1_000_000_000L;
        long lastLog = start;
        connections = 0;
        while (true) {
            Thread.sleep(500);
            connections = Math.max(connections, sink.connections());
            Map<String, Object> end = sql.row("select q.status, c.pending, c.sending, c.sent, c.failed, c.uncertain from campaign_queue q "
                    + "join campaign c on c.id = q.campaign_id where c.id = ?", campaign);
            String status = String.valueOf(end.get("status"));
            if (status.equals("sent") || status.equals("completed_with_errors")) return end;
            if (System.nanoTime() > deadline) throw new IllegalStateException("not finished after " + timeoutSeconds + " s: " + end);
            if (java.util.stream.IntStream.rangeClosed(1, fleet.workerCount()).noneMatch(i -> fleet.worker(i).alive())) {
                throw new IllegalStateException("every worker exited:\n" + fleet.worker(1).tail(30));
            }
            if (System.nanoTime() - lastLog > 10_000_000_000L) {
                lastLog = System.nanoTime();
                log.info("{} s: {} sent, sink {} ({} connections)", (lastLog - start) / 1_000_000_000L, end.get("sent"),
                        sink.count() - sinkBase, sink.connections());
            }
        }
    }

    private int maxConnections(SmtpSink sink) {
        return Math.max(connections, sink.connections());
    }

    /** The SMTP latency histogram of every worker, merged. */
    private static TreeMap<Double, Double> smtpBuckets(Fleet fleet, WorkerProbe probe) {
        TreeMap<Double, Double> all = new TreeMap<>();
        for (int i = 1; i <= fleet.workerCount(); i++) {
            PromText m = probe.scrape(i);
            if (m != null) m.buckets("mailroom_smtp_latency_seconds").forEach((k, v) -> all.merge(k, v, Double::sum));
        }
        return all;
    }
}
