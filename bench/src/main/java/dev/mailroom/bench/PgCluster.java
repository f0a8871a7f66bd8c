package dev.mailroom.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Restarts a PostgreSQL cluster the Debian way: {@code pg_ctlcluster --skip-systemctl-redirect V NAME restart}. */
final class PgCluster {
    private PgCluster() {}

    /** @param cluster "VERSION/NAME", e.g. "15/mailroom_chaos" */
    static void restart(String cluster) throws IOException, InterruptedException {
        String[] vn = cluster.split("/", 2);
        Process p = new ProcessBuilder(List.of("pg_ctlcluster", "--skip-systemctl-redirect", vn[0], vn[1], "restart"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("pg_ctlcluster " + cluster + " restart failed: " + out.trim());
        }
    }
}
