package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.TestCertificate;
import dev.mailroom.worker.smtp.SmtpTrustStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code MAILROOM_SMTP_TRUSTSTORE}: read from the environment, and carried all the way to the SMTP client,
 * so a worker delivers a campaign through a relay that requires STARTTLS with a self-signed certificate.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class SmtpTrustStoreSettingTest {
    @RegisterExtension
    final FaultySmtpServer relay = FaultySmtpServer.start();
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);

    @Test
    void the_setting_is_read_from_the_environment_and_is_none_by_default() {
        assertThat(WorkerHarness.config("w1", Map.of()).smtpTrustStore()).isNull();
        assertThat(WorkerHarness.config("w1", Map.of("MAILROOM_SMTP_TRUSTSTORE", "/etc/mailroom/relays.p12",
                "MAILROOM_SMTP_TRUSTSTORE_PASSWORD", "changeit")).smtpTrustStore())
                .isEqualTo(new SmtpTrustStore(Path.of("/etc/mailroom/relays.p12"), "changeit"));
        assertThat(WorkerHarness.config("w1", Map.of("MAILROOM_SMTP_TRUSTSTORE", "/etc/mailroom/relays.p12")).smtpTrustStore())
                .isEqualTo(new SmtpTrustStore(Path.of("/etc/mailroom/relays.p12"), null));
        assertThatThrownBy(() -> WorkerHarness.config("w1", Map.of("MAILROOM_SMTP_TRUSTSTORE_PASSWORD", "changeit")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAILROOM_SMTP_TRUSTSTORE");
    }

    @Test
    void a_worker_given_the_trust_store_delivers_a_campaign_through_a_relay_that_requires_starttls() {
        relay.requireTls(true);
        relay.auth().require(true).accept("mailer", "s3cret");
        TestCertificate cert = relay.certificate();
        long sender = fx.sender(relay.port(), 1000, 10_000);
        fx.dsl.update(SENDER).set(SENDER.SMTP_TLS, "starttls").where(SENDER.ID.eq(sender)).execute();
        rows.smtpLogin(sender, "mailer", "s3cret");
        long campaign = fx.queuedCampaign(sender, 3, "example.org");

        try (Worker w = WorkerHarness.start("w1", Map.of("MAILROOM_SMTP_TRUSTSTORE", cert.trustStore().toString(),
                "MAILROOM_SMTP_TRUSTSTORE_PASSWORD", cert.password()))) {
            assertThat(rows.awaitFinal(campaign, Duration.ofSeconds(20))).isEqualTo("sent");
        }
        assertThat(relay.receivedCounts()).hasSize(3).allSatisfy((to, n) -> assertThat(n).isEqualTo(1));
        assertThat(relay.tlsHandshakes()).as("every connection was upgraded").isEqualTo(relay.logins()).isPositive();
    }
}
