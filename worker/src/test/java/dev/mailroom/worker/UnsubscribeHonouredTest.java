package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.secret.RecipientTokens.Addressee;
import dev.mailroom.db.postgres.JooqUnsubscribeStore;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** I18, I13: once someone unsubscribes, no later campaign mails the address. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class UnsubscribeHonouredTest {
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();

    @Test
    void I18_an_unsubscribed_address_is_suppressed_by_the_next_campaign_without_smtp() {
        long sender = fx.sender(smtp.port(), 1000, 10_000);
        long first = fx.queuedCampaign(sender, List.of("leaving@example.org", "staying@example.org"));
        try (Worker w = WorkerHarness.start("w1")) {
            assertThat(rows.awaitFinal(first, Duration.ofSeconds(15))).isEqualTo("sent");
            long leaving = fx.dsl.select(CAMPAIGN_RECIPIENT.ID).from(CAMPAIGN_RECIPIENT)
                    .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(first), CAMPAIGN_RECIPIENT.EMAIL.eq("leaving@example.org"))
                    .fetchOne(CAMPAIGN_RECIPIENT.ID);
            assertThat(new JooqUnsubscribeStore(fx.dsl).unsubscribe(Addressee.recipient(first, leaving)))
                    .hasValue(JooqUnsubscribeStore.Outcome.UNSUBSCRIBED);

            long second = fx.queuedCampaign(sender, List.of("leaving@example.org", "staying@example.org"));
            assertThat(rows.awaitFinal(second, Duration.ofSeconds(15))).isEqualTo("sent");
            assertThat(rows.statuses(second)).containsEntry("leaving@example.org", "suppressed")
                    .containsEntry("staying@example.org", "sent");
            assertThat(fx.dsl.fetchCount(DELIVERY_ATTEMPT, DELIVERY_ATTEMPT.CAMPAIGN_ID.eq(second))).isEqualTo(1);
            rows.assertCountersMatchRows(second);
        }
        assertThat(smtp.receivedBy("leaving@example.org")).as("the first campaign only").isEqualTo(1);
        assertThat(smtp.receivedBy("staying@example.org")).isEqualTo(2);
    }
}
