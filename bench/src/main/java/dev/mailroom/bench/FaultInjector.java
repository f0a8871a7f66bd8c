package dev.mailroom.bench;

import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects one fault: SIGKILL of a worker (every other kill the one holding the campaign's claim, the
 * others at random) followed by its restart; FLUSHDB of the service's Redis database; a restart of the
 * PostgreSQL cluster; behind a Sentinel set, a forced failover (the replica becomes the master, the old
 * master its replica; writes the replica had not yet received are lost).
 */
final class FaultInjector {
    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

    private final HarnessEnv env;
    private final Fleet fleet;
    private final Sql sql;
    private final Random random;
    private final long campaign;
    private final String pgCluster;
    private int kills;

    FaultInjector(HarnessEnv env, Fleet fleet, Sql sql, Random random, long campaign, String pgCluster) {
        this.env = env;
        this.fleet = fleet;
        this.sql = sql;
        this.random = random;
        this.campaign = campaign;
        this.pgCluster = pgCluster;
    }

    void inject(String kind, FaultLog faults, long sinkCount) throws Exception {
        switch (kind) {
            case "kill" -> kill(faults, sinkCount);
            case "redis_flush" -> {
                faults.add("redis_flush", "FLUSHDB on Redis db " + env.redisDb() + " (locks, quota counters, circuits)", sinkCount);
                RedisCommand.flushDb(env);
                log.info("fault: Redis db {} flushed", env.redisDb());
            }
            case "redis_failover" -> {
                faults.add("redis_failover", "SENTINEL FAILOVER", sinkCount);
                log.info("fault: Redis failover {}", RedisCommand.failover(env));
            }
            case "pg_restart" -> {
                faults.add("pg_restart", "pg_ctlcluster " + pgCluster + " restart", sinkCount);
                log.info("fault: restarting PostgreSQL {}", pgCluster);
                PgCluster.restart(pgCluster);
                log.info("fault: PostgreSQL {} back", pgCluster);
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    private void kill(FaultLog faults, long sinkCount) throws InterruptedException {
        int active = activeWorker();
        boolean targetActive = kills++ % 2 == 0 && active > 0;
        int victim = targetActive ? active : 1 + random.nextInt(fleet.workerCount());
        String id = fleet.workerId(victim);
        faults.add(victim == active ? "kill_active" : "kill_standby", "SIGKILL " + id + " (pid " + fleet.worker(victim).pid() + ")", sinkCount);
        fleet.worker(victim).kill();
        log.info("fault: SIGKILL {} ({}), restarting it", id, victim == active ? "it held the claim" : "standby");
        Thread.sleep(200);
        fleet.startWorker(victim);
    }

    /** The worker number holding the campaign's claim now, or -1. */
    private int activeWorker() {
        try {
            Object by = sql.row("select claimed_by from campaign_queue where campaign_id = ? and status = 'processing'", campaign)
                    .get("claimed_by");
            return by == null ? -1 : fleet.workerNumberOf((String) by);
        } catch (IllegalStateException e) {
            return -1;
        }
    }
}
