package dev.mailroom.bench;

/**
 * scripts/chaos options.
 *
 * @param kills       SIGKILLs of a worker (each followed by a restart)
 * @param pgCluster   "VERSION/NAME" of the PostgreSQL cluster restarted once (pg_ctlcluster)
 * @param quotaRound  also run the round with a binding hourly limit
 * @param relayRound  also run the round with relays that answer back (AUTH outage, policy refusals)
 * @param authOutageSeconds how long the relay round's relay refuses AUTH
 * @param sentinel    Redis is a Sentinel set (--redis sentinel): the main and quota rounds also force a failover
 */
record ChaosOptions(long n, int workers, int kills, long seed, boolean quick, String pgCluster, boolean quotaRound,
                    int hourlyLimit, int timeoutSeconds, int delayMs, boolean relayRound, int authOutageSeconds,
                    boolean sentinel) {

    static final String USAGE = """
            usage: scripts/chaos [--short] [--n N] [--kills K] [--seed S] [--no-quota-round] [--no-relay-round]
                                 [--auth-outage S] [--timeout S] [--delay-ms D] [--redis single|sentinel]
              --short           a few thousand recipients, a few faults, a 15 s AUTH outage: under 4 minutes
                                (run by scripts/test)
              --n N             recipients of the main round (default 20,000; --short 3,000)
              --kills K         SIGKILLs of a worker, each restarted (default 10; --short 3)
              --seed S          the random seed (which worker dies, the fault order); printed in the result
              --no-quota-round  skip the round with a binding hourly limit
              --no-relay-round  skip the round with relays that refuse AUTH or refuse by policy
              --auth-outage S   how long the relay round's relay refuses AUTH (default 60; --short 15)
              --timeout S       give up a round after S seconds (default 600; --short 150)
              --delay-ms D      the campaigns' delay_ms control: pacing, so the faults land while they send
                                (default 20: at most ~400 messages/s over 8 lanes)
              --redis sentinel  run against a Sentinel set (one master, one replica, three Sentinels, started by
                                scripts/chaos) and force a failover (SENTINEL FAILOVER) in the main and quota rounds
            Environment: BENCH_PG_CLUSTER=VERSION/NAME the cluster restarted once (scripts/chaos sets it to
            its own cluster, never the shared one unless told so).
            """;

    static ChaosOptions parse(String[] args, String pgCluster) {
        boolean quick = false;
        Long n = null;
        Integer kills = null;
        Integer timeout = null;
        long seed = System.currentTimeMillis() % 100_000;
        boolean quota = true;
        boolean relay = true;
        Integer outage = null;
        int delay = 20;
        boolean sentinel = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
            String k = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            switch (k) {
                case "--short" -> quick = true;
                case "--no-quota-round" -> quota = false;
                case "--no-relay-round" -> relay = false;
                case "--auth-outage" -> outage = (int) BenchOptions.number(v != null ? v : args[++i]);
                case "--delay-ms" -> delay = (int) BenchOptions.number(v != null ? v : args[++i]);
                case "--n" -> n = BenchOptions.number(v != null ? v : args[++i]);
                case "--kills" -> kills = (int) BenchOptions.number(v != null ? v : args[++i]);
                case "--seed" -> seed = BenchOptions.number(v != null ? v : args[++i]);
                case "--redis" -> {
                    String shape = v != null ? v : args[++i];
                    if (!shape.equals("single") && !shape.equals("sentinel")) throw new BenchOptions.UsageException("--redis takes single or sentinel");
                    sentinel = shape.equals("sentinel");
                }
                case "--timeout" -> timeout = (int) BenchOptions.number(v != null ? v : args[++i]);
                case "-h", "--help" -> throw new BenchOptions.UsageException(null);
                default -> throw new BenchOptions.UsageException("unknown option " + a);
            }
        }
        if (pgCluster == null || !pgCluster.matches("\\d+/[A-Za-z0-9_-]+")) {
            throw new BenchOptions.UsageException("BENCH_PG_CLUSTER must be VERSION/NAME (scripts/chaos sets it)");
        }
        if (sentinel && System.getenv("BENCH_REDIS_SENTINEL") == null) {
            throw new BenchOptions.UsageException("--redis sentinel needs BENCH_REDIS_SENTINEL (scripts/chaos sets it)");
        }
        if (outage != null && outage < 1) throw new BenchOptions.UsageException("--auth-outage must be at least 1 (seconds)");
        long count = n != null ? n : quick ? 3_000 : 20_000;
        int k = kills != null ? kills : quick ? 3 : 10;
        return new ChaosOptions(count, 3, k, seed, quick, pgCluster, quota, quick ? 600 : 2_000,
                timeout != null ? timeout : quick ? 150 : 600, delay, relay, outage != null ? outage : quick ? 15 : 60, sentinel);
    }
}
