package dev.mailroom.bench;

import java.nio.file.Path;

/**
 * scripts/bench options.
 *
 * @param concurrency null: the worker's default (MAILROOM_WORKER_CONCURRENCY unset)
 * @param batchSize   null: the campaign's default controls (not patched)
 * @param dkim        the bench sender signs every message with a generated RSA-2048 DKIM key
 */
record BenchOptions(long n, int workers, int senders, Integer concurrency, Integer batchSize, boolean quick, int pollRate,
                    int sinkPort, int metricsPortBase, Path plot, boolean profile, int timeoutSeconds, boolean dkim) {

    static final String USAGE = """
            usage: scripts/bench [--quick] [--n N] [--workers N] [--senders N] [--concurrency N] [--batch-size N]
                                 [--poll-rate R] [--sink-port P] [--plot FILE.png] [--profile] [--timeout S] [--dkim]
              --quick         20,000 recipients, the same measurements, under two minutes
              --n N           recipients in the campaign (default 1,000,000)
              --workers N     worker processes (default 1; one sender is served by one worker at a time)
              --senders N     senders, each sending a campaign of its share of the recipients at once
                              (default 1); /api/poll is asked about the first
              --concurrency N MAILROOM_WORKER_CONCURRENCY (default: the worker's own default)
              --batch-size N  the campaign's batch_size control (default: the campaign default)
              --poll-rate R   GET /api/poll requests per second while sending (default 200)
              --sink-port P   smtp-sink port on 127.0.0.1 (default 2626)
              --plot FILE     where the messages/s plot goes (default docs/bench-throughput.png;
                              bench/target/bench/throughput.png with --quick)
              --profile       record the workers with JFR and print where their CPU time goes
              --timeout S     give up sending after S seconds (default 120 + N/300)
              --dkim          the sender signs every message (generated RSA-2048 key): compare
                              cpu_per_message with a run without it for the cost of signing
            """;

    static BenchOptions parse(String[] args, Path root) {
        Long n = null;
        int workers = 1;
        int senders = 1;
        Integer concurrency = null;
        Integer batch = null;
        boolean quick = false;
        boolean profile = false;
        boolean dkim = false;
        int rate = 200;
        int sinkPort = 2626;
        Path plot = null;
        Integer timeout = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
            String k = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            switch (k) {
                case "--quick" -> quick = true;
                case "--profile" -> profile = true;
                case "--dkim" -> dkim = true;
                case "--n" -> n = number(v != null ? v : args[++i]);
                case "--workers" -> workers = (int) number(v != null ? v : args[++i]);
                case "--senders" -> senders = (int) number(v != null ? v : args[++i]);
                case "--concurrency" -> concurrency = (int) number(v != null ? v : args[++i]);
                case "--batch-size" -> batch = (int) number(v != null ? v : args[++i]);
                case "--poll-rate" -> rate = (int) number(v != null ? v : args[++i]);
                case "--sink-port" -> sinkPort = (int) number(v != null ? v : args[++i]);
                case "--plot" -> plot = Path.of(v != null ? v : args[++i]);
                case "--timeout" -> timeout = (int) number(v != null ? v : args[++i]);
                case "-h", "--help" -> throw new UsageException(null);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        long count = n != null ? n : quick ? 20_000 : 1_000_000;
        if (count < 1 || workers < 1 || senders < 1 || rate < 1) {
            throw new UsageException("--n, --workers, --senders and --poll-rate must be positive");
        }
        if (plot == null) plot = quick ? root.resolve("bench/target/bench/throughput.png") : root.resolve("docs/bench-throughput.png");
        int t = timeout != null ? timeout : (int) Math.min(Integer.MAX_VALUE, 120 + count / 300);
        return new BenchOptions(count, workers, senders, concurrency, batch, quick, rate, sinkPort, 9170, plot, profile, t, dkim);
    }

    /** True when the worker and the campaign run with their own defaults, unsigned (the targets are for those). */
    boolean defaults() {
        return concurrency == null && batchSize == null && !dkim;
    }

    static long number(String s) {
        try {
            return Long.parseLong(s.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("not a number: " + s);
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
