package dev.mailroom.worker.quota;

import dev.mailroom.core.quota.SenderQuota;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.db.redis.RedisQuotaGate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;

/**
 * The second process of the two-process quota test: args redisUrl prefix senderId hourly monthly threads
 * nowEpochSecond. Prints "ready", waits for a line on stdin, hammers, prints "going" once its first grant is
 * in (so the parent's threads, which start on that line, cannot drain the hour before this process is
 * scheduled on a busy machine) and "granted N" at the end.
 */
public final class QuotaHammerMain {
    public static void main(String[] args) throws Exception {
        try (Redis redis = Redis.connect(new RedisConfig(args[0], args[1]), 5_000)) {
            // No sends were ever attempted, so a rebuild from the ledger finds zero, as the parent's does.
            RedisQuotaGate gate = new RedisQuotaGate(redis, (senderId, from) -> 0);
            SenderQuota quota = new SenderQuota(Long.parseLong(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), ZoneId.of("UTC"), null, null);
            Instant now = Instant.ofEpochSecond(Long.parseLong(args[6]));
            QuotaHammer.warmUp(gate, quota, now);
            CountDownLatch go = new CountDownLatch(1);
            QuotaHammer hammer = new QuotaHammer(gate, quota, now, Integer.parseInt(args[5]), go);
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in)).readLine();
            go.countDown();
            hammer.awaitFirstGrant();
            System.out.println("going");
            System.out.flush();
            System.out.println("granted " + hammer.join());
        }
    }
}
