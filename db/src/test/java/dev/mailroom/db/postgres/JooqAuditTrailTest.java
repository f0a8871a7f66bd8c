package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.AUDIT_EVENT;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.db.postgres.JooqAuditTrail.Actor;
import dev.mailroom.db.postgres.JooqAuditTrail.Audited;
import dev.mailroom.db.postgres.JooqAuditTrail.Event;
import dev.mailroom.testkit.PostgresExtension;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A change and its audit row commit together or not at all. */
@ExtendWith(PostgresExtension.class)
class JooqAuditTrailTest {
    private final DSLContext dsl = DSL.using(PostgresExtension.dataSource(), SQLDialect.POSTGRES);
    private final JooqAuditTrail trail = new JooqAuditTrail(dsl);
    private long keyId;

    @BeforeEach
    void key() {
        keyId = new JooqApiKeyStore(dsl).create("ops", "admin", "hash-ops");
    }

    @Test
    void the_change_and_its_row_commit_together() {
        trail.change(new Actor(keyId, "ops"), tx -> Audited.of(new JooqSuppressionStore(tx).add("a@example.org", "manual"),
                Event.of("suppression.add", "suppression", "a@example.org", Map.of("reason", "manual"))));
        assertThat(dsl.fetchCount(SUPPRESSION)).isEqualTo(1);
        var row = trail.list("suppression", "a@example.org", null, null, 10).items().getFirst();
        assertThat(row.keyId()).isEqualTo(keyId);
        assertThat(row.keyName()).isEqualTo("ops");
        assertThat(row.detail().get("reason").asText()).isEqualTo("manual");
        assertThat(row.at()).isNotNull();
    }

    @Test
    void a_change_whose_row_cannot_be_written_is_rolled_back() {
        String tooLong = "x".repeat(100); // target_type is varchar(32)
        assertThatThrownBy(() -> trail.change(new Actor(keyId, "ops"),
                tx -> Audited.of(new JooqSuppressionStore(tx).add("a@example.org", "manual"),
                        Event.of("suppression.add", tooLong, "a@example.org", Map.of()))))
                .isInstanceOf(RuntimeException.class);
        assertThat(dsl.fetchCount(SUPPRESSION)).isZero();
        assertThat(dsl.fetchCount(AUDIT_EVENT)).isZero();
    }

    @Test
    void a_change_that_fails_leaves_no_row() {
        assertThatThrownBy(() -> trail.change(new Actor(keyId, "ops"), tx -> {
            new JooqSuppressionStore(tx).add("a@example.org", "manual");
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(dsl.fetchCount(SUPPRESSION)).isZero();
        assertThat(dsl.fetchCount(AUDIT_EVENT)).isZero();
    }
}
