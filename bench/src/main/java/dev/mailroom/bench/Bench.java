package dev.mailroom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bench run: a fresh database, smtp-sink, the web process and N workers; a warm-up, then the machine's
 * raw SMTP limit for the same traffic; N recipients enqueued from CSV (split over the senders, a campaign
 * each); the campaigns sent at once while /api/poll is under load. Everything measured goes into {@link BenchResult}.
 */
final class Bench {
    private static final Logger log = LoggerFactory.getLogger(Bench.class);

    private final HarnessEnv env;
    private final BenchOptions o;
    private final MailroomApi api;
    private final Sql sql;
    private int connections;
    /** Enough for the JIT to have compiled the hot paths of web and worker: with 5,000, C2 still took ~40 % of their CPU in the measured window. */
    static final long WARM_UP = 20_000;

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
        List<Path> csvs = new ArrayList<>();
        for (int k = 1; k <= o.senders(); k++) {
            String prefix = o.senders() == 1 ? "" : "s" + k + "-";
            csvs.add(RecipientCsv.write(env.runDir().resolve("recipients-" + k + ".csv"), share(o.n(), k),
                    i -> prefix + RecipientCsv.benchAddress(i)));
        }
        log.info("database {} recreated, Redis db {} flushed, {} recipients written to {} CSV file(s) under {}", env.dbName(),
                env.redisDb(), o.n(), csvs.size(), env.runDir());
        Map<String, String> workerEnv = new LinkedHashMap<>();
        if (o.concurrency() != null) workerEnv.put("MAILROOM_WORKER_CONCURRENCY", o.concurrency().toString());
        try (SmtpSink sink = SmtpSink.start(o.sinkPort(), env.runDir());
             Fleet fleet = new Fleet(env, "bench-w", o.metricsPortBase(), workerEnv)) {
            fleet.startWeb(api, 120);
            fleet.startWorkers(o.workers());
            try (WorkerProbe probe = new WorkerProbe(fleet)) {
                fleet.awaitWorkers(90);
                List<Long> senders = new ArrayList<>();
                for (int k = 1; k <= o.senders(); k++) {
                    long sender = api.createSender(o.senders() == 1 ? "bench" : "bench" + k, sink.port(), 1_000_000_000L, 2_000_000_000L);
                    if (o.dkim()) api.generateDkim(sender, "bench.mailroom.test", "bench"); // before the warm-up: it signs too
                    senders.add(sender);
                }
                long[] traffic = warmUp(fleet, sink, senders);
                long rawN = Math.max(20_000, Math.min(o.n(), 200_000));
                log.info("raw limit on the quiet machine: smtp-source -> smtp-sink, {} messages of ~{} bytes over {} connections",
                        rawN, traffic[0], traffic[1]);
                r.raw(RawLimit.measure(sink, rawN, (int) Math.max(1, traffic[1]), traffic[0], env.runDir()));
                List<Long> campaigns = new ArrayList<>();
                for (int k = 0; k < senders.size(); k++) {
                    long campaign = api.createCampaign("bench " + o.n() + " #" + (k + 1), senders.get(k), MessageTemplate.standard());
                    if (o.batchSize() != null) api.controls(campaign, Map.of("batch_size", o.batchSize()));
                    campaigns.add(campaign);
                }
                enqueue(r, campaigns, csvs);
                send(r, sink, fleet, probe, senders.get(0), campaigns);
                r.latency(sql, campaigns, smtpBuckets(fleet, probe));
                for (int i = 1; i <= fleet.workerCount(); i++) r.memory("worker_" + i, probe.peaks(i));
                r.webRss(fleet.web().statusKb("VmHWM"));
            }
        }
        if (o.profile()) r.profile(JfrSummary.summarize(env.runDir().resolve("jfr")));
        return r;
    }

    /** Sender k's share (1-based) of n recipients: the first ones take the remainder. */
    private long share(long n, int k) {
        return n / o.senders() + (k <= n % o.senders() ? 1 : 0);
    }

    private void enqueue(BenchResult r, List<Long> campaigns, List<Path> csvs) throws IOException {
        long t0 = System.nanoTime();
        long bytes = 0;
        for (int k = 0; k < campaigns.size(); k++) {
            JsonNode added = api.uploadCsv(campaigns.get(k), csvs.get(k));
            if (added.path("added").asLong() != share(o.n(), k + 1)) {
                throw new IllegalStateException("upload added " + added + ", expected " + share(o.n(), k + 1));
            }
            bytes += Files.size(csvs.get(k));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        r.enqueue(o.n(), s, bytes);
        log.info("enqueued {} recipients from CSV in {} s", o.n(), String.format("%.2f", s));
    }

    private void send(BenchResult r, SmtpSink sink, Fleet fleet, WorkerProbe probe, long polledSender, List<Long> campaigns)
            throws Exception {
        long sinkBase = sink.count();
        long bytesBase = sink.bytesRead();
        int maxConnections;
        Map<String, Object> end;
        CpuAccounting cpu = new CpuAccounting(fleet, sink);
        PgActivitySampler pg = o.profile() ? new PgActivitySampler(env) : null;
        WallSampler wall = o.profile() ? new WallSampler(fleet.worker(1).pid(), env.runDir(), 250) : null;
        try (PollLoad poll = new PollLoad(api.pollClient(polledSender), o.pollRate(), o.timeoutSeconds())) {
            cpu.start();
            for (long campaign : campaigns) api.queue(campaign);
            end = awaitFinished(campaigns, o.timeoutSeconds(), fleet, sink, sinkBase);
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
                        + "from campaign_recipient where campaign_id between ? and ? and status = 'sent'",
                        campaigns.get(0), campaigns.get(campaigns.size() - 1)),
                (sink.bytesRead() - bytesBase) / Math.max(1, sent), maxConnections);
    }

    /**
     * A campaign per sender, {@link #WARM_UP} recipients in all, sent first under the same poll load: the measured
     * run starts with JIT-compiled web and worker processes, as a long-running deployment has them. Returns the
     * traffic it made, for the raw-limit run: {bytes smtp-sink read per message, connections}.
     */
    private long[] warmUp(Fleet fleet, SmtpSink sink, List<Long> senders) throws Exception {
        long bytesBefore = sink.bytesRead();
        List<Long> campaigns = new ArrayList<>();
        for (int k = 0; k < senders.size(); k++) {
            long campaign = api.createCampaign("warm-up #" + (k + 1), senders.get(k), MessageTemplate.standard());
            if (o.batchSize() != null) api.controls(campaign, Map.of("batch_size", o.batchSize()));
            String prefix = "w" + (k + 1) + "-";
            Path csv = RecipientCsv.write(env.runDir().resolve("warm-up-" + (k + 1) + ".csv"), WARM_UP / senders.size(),
                    i -> prefix + RecipientCsv.benchAddress(i));
            api.uploadCsv(campaign, csv);
            campaigns.add(campaign);
        }
        try (PollLoad poll = new PollLoad(api.pollClient(senders.get(0)), o.pollRate(), 600)) {
            for (long campaign : campaigns) api.queue(campaign);
            awaitFinished(campaigns, 600, fleet, sink, sink.count());
        }
        long sent = WARM_UP / senders.size() * senders.size();
        log.info("warm-up campaign(s) of {} recipients sent", sent);
        return new long[] {(sink.bytesRead() - bytesBefore) / sent, maxConnections(sink)};
    }

    /**
     * Waits (bounded) until every campaign reaches a final status; samples the sink's connections meanwhile.
     * Returns the campaigns' counters summed, and "sent" as status when all of them were.
     */
    private Map<String, Object> awaitFinished(List<Long> campaigns, int timeoutSeconds, Fleet fleet, SmtpSink sink, long sinkBase)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeoutSeconds * 1_000_000_000L;
        long lastLog = start;
        connections = 0;
        while (true) {
            Thread.sleep(500);
            connections = Math.max(connections, sink.connections());
            Map<String, Object> end = sql.row("select case when bool_and(q.status = 'sent') then 'sent' "
                    + "when bool_and(q.status in ('sent', 'completed_with_errors')) then 'completed_with_errors' else 'running' end as status, "
                    + "sum(c.pending)::int8 as pending, sum(c.sending)::int8 as sending, sum(c.sent)::int8 as sent, "
                    + "sum(c.failed)::int8 as failed, sum(c.uncertain)::int8 as uncertain from campaign_queue q "
                    + "join campaign c on c.id = q.campaign_id where c.id between ? and ?", campaigns.get(0), campaigns.get(campaigns.size() - 1));
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
