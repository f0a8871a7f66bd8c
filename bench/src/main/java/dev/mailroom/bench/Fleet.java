package dev.mailroom.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Mailroom processes of a run, each started through {@code scripts/mailroom} (which execs the
 * JVM, so a pid is the JVM's): one web process and N workers, numbered from 1. A worker that is
 * restarted gets a new generation in its id ({@code w2.g3}), so the attempts log shows who did what.
 */
public final class Fleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Fleet.class);

    private final HarnessEnv env;
    private final String workerPrefix;
    private final int metricsPortBase;
    private final Map<String, String> workerEnv;
    private final List<ManagedProcess> workers = new ArrayList<>();
    private final List<Integer> generations = new ArrayList<>();
    private ManagedProcess web;

    /**
     * @param metricsPortBase worker i's Prometheus port is base + i
     * @param workerEnv       extra MAILROOM_* settings for every worker (concurrency, lease, ...)
     */
    public Fleet(HarnessEnv env, String workerPrefix, int metricsPortBase, Map<String, String> workerEnv) {
        this.env = env;
        this.workerPrefix = workerPrefix;
        this.metricsPortBase = metricsPortBase;
        this.workerEnv = Map.copyOf(workerEnv);
    }

    /** Starts the web process and waits until /health/ready answers 200 (it migrates the database). */
    public void startWeb(MailroomApi api, int timeoutSeconds) throws InterruptedException {
        requireFree(env.httpPort(), "HTTP");
        Map<String, String> e = common();
        e.put("MAILROOM_HTTP_HOST", "127.0.0.1");
        e.put("MAILROOM_HTTP_PORT", Integer.toString(env.httpPort()));
        e.put("MAILROOM_ADMIN_KEY", env.adminKey());
        if (!env.webJavaOpts().isBlank()) e.put("MAILROOM_JAVA_OPTS", env.webJavaOpts());
        web = ManagedProcess.start("web", List.of(script(), "web"), e, env.runDir());
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (!api.ready()) {
            if (!web.alive()) throw new IllegalStateException("web exited during start-up:\n" + web.tail(30));
            if (System.nanoTime() > deadline) throw new IllegalStateException("web not ready after " + timeoutSeconds + " s:\n" + web.tail(30));
            Thread.sleep(250);
        }
        log.info("web ready on {} (pid {})", env.baseUrl(), web.pid());
    }

    public void startWorkers(int n) {
        for (int i = 1; i <= n; i++) {
            generations.add(0);
            workers.add(null);
            startWorker(i);
        }
    }

    /** Waits until every worker's metrics endpoint answers, i.e. its JVM is up and wired. */
    public void awaitWorkers(int timeoutSeconds) throws InterruptedException {
        var http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        for (int i = 1; i <= workers.size(); i++) {
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + metricsPort(i) + "/metrics"))
                    .timeout(java.time.Duration.ofSeconds(2)).build();
            while (true) {
                try {
                    if (http.send(req, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) break;
                } catch (java.io.IOException e) {
                    // not up yet
                }
                if (!worker(i).alive()) throw new IllegalStateException("worker " + i + " exited:\n" + worker(i).tail(30));
                if (System.nanoTime() > deadline) throw new IllegalStateException("worker " + i + " not up after " + timeoutSeconds + " s");
                Thread.sleep(200);
            }
        }
        log.info("{} worker(s) up", workers.size());
    }

    /** (Re)starts worker i (1-based) under a new generation. */
    public ManagedProcess startWorker(int i) {
        requireFree(metricsPort(i), "worker metrics");
        int gen = generations.get(i - 1) + 1;
        generations.set(i - 1, gen);
        Map<String, String> e = common();
        e.putAll(workerEnv);
        if (!env.javaOpts().isBlank()) e.put("MAILROOM_JAVA_OPTS", env.javaOpts().replace("{id}", workerPrefix + i));
        e.put("MAILROOM_WORKER_ID", workerId(i));
        e.put("MAILROOM_WORKER_METRICS_PORT", Integer.toString(metricsPort(i)));
        ManagedProcess p = ManagedProcess.start(workerPrefix + i, List.of(script(), "worker"), e, env.runDir());
        workers.set(i - 1, p);
        return p;
    }

    public String workerId(int i) {
        return workerPrefix + i + ".g" + generations.get(i - 1);
    }

    public int metricsPort(int i) {
        return metricsPortBase + i;
    }

    public ManagedProcess worker(int i) {
        return workers.get(i - 1);
    }

    public int workerCount() {
        return workers.size();
    }

    /** The worker number whose current id is {@code id}, or -1. */
    public int workerNumberOf(String id) {
        for (int i = 1; i <= workers.size(); i++) if (workerId(i).equals(id)) return i;
        return -1;
    }

    public int randomWorker() {
        return 1 + ThreadLocalRandom.current().nextInt(workers.size());
    }

    public ManagedProcess web() {
        return web;
    }

    /** Workers first (they finish the message in flight), then web. */
    @Override
    public void close() {
        for (ManagedProcess w : workers) if (w != null) w.stop(20);
        if (web != null) web.stop(15);
    }

    /** A port someone else listens on would answer our health checks for us: refuse to start then. */
    private static void requireFree(int port, String what) {
        for (int attempt = 0; attempt < 20; attempt++) { // a killed worker's port is released within moments
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 300);
            } catch (java.io.IOException e) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException(what + " port " + port + " on 127.0.0.1 is in use (another bench/chaos run?)");
    }

    private Map<String, String> common() {
        Map<String, String> e = new HashMap<>();
        e.put("MAILROOM_SKIP_BUILD", "1");
        e.put("MAILROOM_DB_URL", env.processJdbcUrl());
        e.put("MAILROOM_DB_USER", env.dbUser());
        e.put("MAILROOM_DB_PASSWORD", env.dbPassword());
        e.put("MAILROOM_REDIS_URL", env.redisUrl());
        e.put("MAILROOM_REDIS_PREFIX", env.redisPrefix());
        e.put("MAILROOM_SECRET_KEY", env.secretKey());
        e.put("MAILROOM_PUBLIC_URL", "http://127.0.0.1:" + env.httpPort());
        return e;
    }

    private String script() {
        return env.processRoot().resolve("scripts/mailroom").toString();
    }
}
