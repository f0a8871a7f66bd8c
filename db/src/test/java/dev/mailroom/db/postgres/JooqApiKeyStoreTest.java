package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.testkit.PostgresExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class JooqApiKeyStoreTest {
    private static final Instant NOW = Instant.parse("2030-05-01T12:00:00Z");

    private final DSLContext dsl = DSL.using(PostgresExtension.dataSource(), SQLDialect.POSTGRES);
    private final JooqApiKeyStore store = new JooqApiKeyStore(dsl);

    @Test
    void two_admins_revoking_each_others_key_at_once_leave_one_admin_key() throws Exception {
        for (int round = 0; round < 10; round++) {
            PostgresExtension.truncateAll();
            long a = store.create("a", "admin", "hash-a");
            long b = store.create("b", "admin", "hash-b");
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<JooqApiKeyStore.Revocation>> results = new ArrayList<>();
                for (long id : new long[] {a, b}) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.revoke(id, NOW);
                    }));
                }
                start.countDown();
                List<JooqApiKeyStore.Revocation> outcomes = new ArrayList<>();
                for (var r : results) outcomes.add(r.get());
                assertThat(outcomes).containsExactlyInAnyOrder(JooqApiKeyStore.Revocation.REVOKED,
                        JooqApiKeyStore.Revocation.LAST_ADMIN);
                assertThat(dsl.fetchCount(API_KEY, API_KEY.REVOKED_AT.isNull())).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void a_new_bootstrap_key_revokes_every_live_bootstrap_key_and_nothing_else() {
        long legacy1 = store.create("admin (MAILROOM_ADMIN_KEY)", "admin", "hash-old-1");
        long legacy2 = store.create("admin (MAILROOM_ADMIN_KEY)", "admin", "hash-old-2");
        long other = store.create("ops", "admin", "hash-ops");
        dsl.update(API_KEY).set(API_KEY.BOOTSTRAP, true).where(API_KEY.ID.in(legacy1, legacy2)).execute();

        JooqApiKeyStore.Bootstrap result = store.ensureBootstrap("admin (MAILROOM_ADMIN_KEY)", "hash-new", NOW);

        assertThat(result.revokedIds()).containsExactlyInAnyOrder(legacy1, legacy2);
        assertThat(result.configuredRevoked()).isFalse();
        assertThat(store.findByHash("hash-ops").orElseThrow().revokedAt()).isNull();
        ApiKeyRow current = store.findByHash("hash-new").orElseThrow();
        assertThat(current.bootstrap()).isTrue();
        assertThat(current.role()).isEqualTo("admin");
        assertThat(store.ensureBootstrap("admin (MAILROOM_ADMIN_KEY)", "hash-new", NOW).revokedIds()).isEmpty();
        assertThat(other).isPositive();
    }
}
