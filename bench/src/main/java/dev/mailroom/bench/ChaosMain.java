package dev.mailroom.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;

/**
 * {@code scripts/chaos}: a campaign sent by 3 workers through SIGKILLs, a Redis flush and a PostgreSQL
 * restart, against a sink that records every message; then the invariants. Prints the result as JSON on
 * stdout (also chaos-result.json in the run directory) and a table on stderr. Exit status 0 when every
 * invariant holds, 1 when one breaks or the run could not complete, 2 for a usage error.
 */
public final class ChaosMain {
    private ChaosMain() {}

    public static void main(String[] args) throws Exception {
        HarnessEnv env = HarnessEnv.fromEnvironment(System.getenv(), "mailroom_chaos", 13, "mrchaos:", 7172, "chaos");
        ChaosOptions o;
        try {
            o = ChaosOptions.parse(args, System.getenv("BENCH_PG_CLUSTER"));
        } catch (BenchOptions.UsageException e) {
            if (e.getMessage() != null) System.err.println("chaos: " + e.getMessage());
            System.err.print(ChaosOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        RunDir.prepare(env.runDir());
        HarnessLog.alsoTo(env.runDir().resolve("logs/harness.log"));
        Chaos chaos = new Chaos(env, o);
        boolean completed = true;
        try {
            chaos.run();
        } catch (Exception e) {
            completed = false;
            System.err.println("chaos: the run could not complete: " + e);
            System.err.println("chaos: logs in " + env.runDir().resolve("logs"));
        }
        var checks = chaos.invariants().checks();
        chaos.result().put("invariants", checks);
        boolean ok = completed && !checks.isEmpty() && chaos.invariants().allHold();
        chaos.result().put("passed", ok);
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(chaos.result());
        Files.writeString(env.runDir().resolve("chaos-result.json"), text + "\n");
        System.out.println(text);
        System.err.println();
        for (Invariants.Check c : checks) {
            System.err.printf("%-4s %-70s %s%n", c.ok() ? "ok" : "FAIL", c.name(), c.detail());
        }
        System.err.println(ok ? "chaos: every invariant holds" : "chaos: INVARIANT BROKEN (or the run did not complete); see above and "
                + env.runDir().resolve("logs"));
        System.exit(ok ? 0 : 1);
    }
}
