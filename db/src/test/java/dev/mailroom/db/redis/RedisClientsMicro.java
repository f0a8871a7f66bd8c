package dev.mailroom.db.redis;

import dev.mailroom.testkit.TestServices;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.redisson.api.RScript;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

/**
 * A rough comparison of the two Redis clients for the per-batch calls, on whatever machine runs it: not a
 * test and not JMH, a main. The quota reservation script by SHA and a PUBLISH, through Redisson (as before)
 * and through Jedis (as now), from 1 and from 8 threads; rounds alternate between the clients so both
 * meet the same machine, and each figure is the median round: calls per second, and this process's CPU
 * per call (every thread: Redisson's Netty event loops too), which a busy machine disturbs less than the
 * rate. Compare the clients within one run only.
 *
 * <pre>mvn -q -pl db dependency:build-classpath -Dmdep.outputFile=/tmp/cp -Dmdep.includeScope=test
 * java -cp db/target/classes:db/target/test-classes:$(cat /tmp/cp) dev.mailroom.db.redis.RedisClientsMicro [redis-url] [calls]</pre>
 */
public final class RedisClientsMicro {
    private static final int ROUNDS = 7;

    public static void main(String[] args) throws Exception {
        // As the worker logs (INFO); logback's default, DEBUG, would bill each Redisson command a log line.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        String url = args.length > 0 ? args[0] : TestServices.redisUrl();
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        String prefix = "mrmicro:" + System.nanoTime() + ":";
        try (Redis redis = Redis.connect(new RedisConfig(url, prefix), 30_000)) {
            List<String> keys = List.of(prefix + "h", prefix + "m", prefix + "s");
            redis.call(j -> j.mset(keys.get(0), "0", keys.get(1), "0", keys.get(2), "0"));
            Object[] reserveArgs = {1, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, -1};

            RScript redissonScript = redis.client().getScript(StringCodec.INSTANCE);
            String sha = redissonScript.scriptLoad(source("reserve_quota.lua"));
            List<Object> redissonKeys = new ArrayList<>(keys);
            Object[] redissonArgs = Arrays.stream(reserveArgs).map(String::valueOf).toArray();
            Runnable reserveByRedisson = () -> redissonScript.evalSha(RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST,
                    redissonKeys, redissonArgs);
            LuaScript jedisScript = new LuaScript(redis, "reserve_quota.lua");
            Runnable reserveByJedis = () -> jedisScript.call(keys, reserveArgs);

            RTopic topic = redis.client().getTopic(prefix + "events", StringCodec.INSTANCE);
            String message = "{\"type\":\"batch\",\"campaign_id\":1,\"size\":50,\"sent\":50,\"failed\":0}";
            Runnable publishByRedisson = () -> topic.publish(message);
            Runnable publishByJedis = () -> redis.publish(prefix + "events", message);

            System.out.printf("%-26s %7s %14s %11s %14s %11s%n", "call", "threads", "Redisson ops/s", "CPU us/op",
                    "Jedis ops/s", "CPU us/op");
            for (int threads : new int[] {1, 8}) {
                compare("EVALSHA reserve_quota.lua", threads, calls, reserveByRedisson, reserveByJedis);
                compare("PUBLISH (no subscriber)", threads, calls, publishByRedisson, publishByJedis);
            }
            redis.call(j -> j.del(keys.toArray(String[]::new)));
        }
    }

    private static void compare(String name, int threads, int calls, Runnable redisson, Runnable jedis) throws Exception {
        run(redisson, threads, calls / 4); // warm-up
        run(jedis, threads, calls / 4);
        double[][] a = new double[2][ROUNDS], b = new double[2][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            double[] x = run(redisson, threads, calls / ROUNDS), y = run(jedis, threads, calls / ROUNDS);
            a[0][r] = x[0];
            a[1][r] = x[1];
            b[0][r] = y[0];
            b[1][r] = y[1];
        }
        System.out.printf("%-26s %7d %,14.0f %11.1f %,14.0f %11.1f%n", name, threads, median(a[0]), median(a[1]),
                median(b[0]), median(b[1]));
    }

    /** @return calls per second, and microseconds of this process's CPU per call */
    private static double[] run(Runnable op, int threads, int calls) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int each = Math.max(1, calls / threads);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            long cpu = os.getProcessCpuTime(), start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) op.run();
                }));
            }
            for (Future<?> f : done) f.get();
            int n = each * threads;
            return new double[] {n / ((System.nanoTime() - start) / 1e9), (os.getProcessCpuTime() - cpu) / 1e3 / n};
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String source(String resource) throws IOException {
        try (InputStream in = RedisClientsMicro.class.getResourceAsStream("/lua/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
