package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith({PostgresExtension.class, RedisExtension.class})
class SendPipelineTest {
    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    private final Fixtures fx = new Fixtures();

    @Test
    void I7_I9_sends_2000_recipients_each_exactly_once_with_counters_equal_to_the_server_count() throws Exception {
        long sender = fx.sender(smtp.getSmtp().getPort(), 100_000, 1_000_000);
        long campaign = fx.queuedCampaign(sender, 2000, "example.org");
        try (Worker w = WorkerHarness.start("w1")) {
            await().atMost(Duration.ofSeconds(90)).until(() -> "sent".equals(fx.status(campaign)));
        }
        MimeMessage[] received = smtp.getReceivedMessages();
        Set<String> messageIds = new HashSet<>();
        Set<String> recipients = new HashSet<>();
        for (MimeMessage m : received) {
            messageIds.add(m.getMessageID());
            recipients.add(m.getAllRecipients()[0].toString());
        }
        assertThat(received).hasSize(2000);
        assertThat(messageIds).hasSize(2000);
        assertThat(recipients).hasSize(2000);
        int[] counters = fx.counters(campaign);
        assertThat(counters[2]).isEqualTo(received.length);
        assertThat(counters).isEqualTo(fx.recount(campaign));
        assertThat(Arrays.stream(counters).limit(6).sum()).isEqualTo(counters[6]);
    }
}
