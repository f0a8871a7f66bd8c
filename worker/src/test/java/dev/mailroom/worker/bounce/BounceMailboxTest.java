package dev.mailroom.worker.bounce;

import static dev.mailroom.db.generated.Tables.BOUNCE_EVENT;
import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static dev.mailroom.db.generated.Tables.WEBHOOK_ENDPOINT;
import static dev.mailroom.db.generated.Tables.WEBHOOK_OUTBOX;
import static dev.mailroom.db.generated.Tables.WEBHOOK_SUBSCRIPTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.core.bounce.BounceMailbox;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.RecipientTokens;
import dev.mailroom.core.secret.RecipientTokens.Addressee;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.secret.VerpAddress;
import dev.mailroom.db.postgres.JooqBounceMailboxStore;
import dev.mailroom.testkit.LogCapture;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.TestServices;
import dev.mailroom.worker.Fixtures;
import dev.mailroom.worker.Worker;
import dev.mailroom.worker.WorkerHarness;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A campaign sent by a real worker to GreenMail, then reports dropped into the sender's bounce mailbox
 * (GreenMail's IMAP server) and read by one poll: a later bounce suppresses (I13, I15) but never changes a
 * recipient's delivery status or the campaign's counts.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class BounceMailboxTest {
    private static final String BOUNCE_DOMAIN = "bounces.example.com";
    private static final String IMAP_USER = "bounce-reader";
    private static final String IMAP_PASSWORD = "imap-Secret-73";
    private static final String PROCESSED = "Mailroom/Processed";

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort(), new ServerSetup(0, "127.0.0.1", "imap").dynamicPort()});

    private final Fixtures fx = new Fixtures();
    private final KeyRing keys = KeyRing.parse(TestServices.SECRET_KEY);
    private final VerpAddress verp = new VerpAddress(new RecipientTokens(keys));
    private GreenMailUser mailbox;
    private long sender;

    @BeforeEach
    void bounceMailbox() {
        mailbox = mail.setUser("bounces@" + BOUNCE_DOMAIN, IMAP_USER, IMAP_PASSWORD);
        sender = fx.sender(mail.getSmtp().getPort(), 1000, 10000);
    }

    @Test
    void I13_a_dsn_for_one_recipient_suppresses_it_after_one_poll_and_leaves_its_delivery_status_and_counts_alone()
            throws Exception {
        long campaign = sentCampaign(List.of("ok1@example.org", "gone@example.org", "ok2@example.org"));
        long gone = recipientId(campaign, "gone@example.org");
        int[] countsBefore = fx.counters(campaign);
        String dsn = postfixDsnFor(campaign, gone, "gone@example.org");
        deliver(dsn);
        deliver("From: friend@example.net\r\nTo: bounces@" + BOUNCE_DOMAIN + "\r\nSubject: lunch?\r\n"
                + "Message-ID: <lunch.1@example.net>\r\n\r\nAre you free on Friday?\r\n");

        pollOnce(IMAP_PASSWORD);

        var suppression = fx.dsl.selectFrom(SUPPRESSION).where(SUPPRESSION.EMAIL.eq("gone@example.org")).fetchOne();
        assertThat(suppression.getReason()).isEqualTo("hard_bounce");
        assertThat(suppression.getCampaignId()).isEqualTo(campaign);
        var event = fx.dsl.selectFrom(BOUNCE_EVENT).fetchSingle();
        assertThat(event.getSource()).isEqualTo("mailbox");
        assertThat(event.getType()).isEqualTo("hard");
        assertThat(event.getRule()).isEqualTo("dsn 5.1.1 failed: mailbox refused");
        assertThat(event.getSmtpCode()).isEqualTo(550);
        assertThat(event.getDiagnostic()).contains("User unknown in virtual mailbox table").doesNotContain("\n");
        assertThat(event.getReportId()).isEqualTo("<20261202101502.4F1A2B3C4D@mail.example.com>");
        assertThat(event.getRecipientId()).isEqualTo(gone);
        assertThat(event.getCampaignId()).isEqualTo(campaign);
        assertThat(event.getSenderId()).isEqualTo(sender);
        assertThat(folder("INBOX")).containsExactly("lunch?");
        assertThat(folder(PROCESSED)).containsExactly("Undelivered Mail Returned to Sender");

        assertThat(fx.count(campaign, "sent")).isEqualTo(3);
        assertThat(fx.counters(campaign)).containsExactly(countsBefore);
        assertThat(fx.status(campaign)).isEqualTo("sent");
        assertThat(reputation(campaign)).containsExactly(1, 0);
        var checked = fx.dsl.select(SENDER.BOUNCE_CHECKED_AT, SENDER.BOUNCE_LAST_ERROR).from(SENDER).where(SENDER.ID.eq(sender)).fetchOne();
        assertThat(checked.value1()).isNotNull();
        assertThat(checked.value2()).isNull();
    }

    /**
     * The reader goes on from where it stopped (the folder's UIDs): messages it leaves in the folder are not
     * read again, so more of them than one poll reads cannot hide the reports behind them. (Seen failing
     * with the reader starting from the folder's first message on every poll: the report stayed unread.)
     */
    @Test
    void I15_a_report_behind_more_unmatched_messages_than_one_poll_reads_is_reached_by_the_next_poll() throws Exception {
        long campaign = sentCampaign(List.of("gone@example.org"));
        for (int i = 0; i < ImapBounceMailbox.MAX_PER_POLL + 5; i++) {
            deliver("From: friend@example.net\r\nTo: bounces@" + BOUNCE_DOMAIN + "\r\nSubject: out of office " + i
                    + "\r\nMessage-ID: <ooo." + i + "@example.net>\r\n\r\nBack on Monday.\r\n");
        }
        deliver(postfixDsnFor(campaign, recipientId(campaign, "gone@example.org"), "gone@example.org"));

        pollOnce(IMAP_PASSWORD);
        assertThat(fx.dsl.fetchCount(SUPPRESSION)).as("the first poll reads the oldest " + ImapBounceMailbox.MAX_PER_POLL).isZero();
        pollOnce(IMAP_PASSWORD);
        assertThat(fx.dsl.selectFrom(SUPPRESSION).where(SUPPRESSION.EMAIL.eq("gone@example.org")).fetchOne()).isNotNull();
        assertThat(folder(PROCESSED)).containsExactly("Undelivered Mail Returned to Sender");
        assertThat(folder("INBOX")).hasSize(ImapBounceMailbox.MAX_PER_POLL + 5);

        // A new report arrives behind them all: the next poll reads it alone.
        long again = sentCampaign(List.of("gone2@example.org"));
        deliver(postfixDsnFor(again, recipientId(again, "gone2@example.org"), "gone2@example.org")
                .replace("<20261202101502.4F1A2B3C4D@mail.example.com>", "<20261202111502.5A@mail.example.com>"));
        pollOnce(IMAP_PASSWORD);
        assertThat(fx.dsl.selectFrom(SUPPRESSION).where(SUPPRESSION.EMAIL.eq("gone2@example.org")).fetchOne()).isNotNull();
    }

    @Test
    void a_report_read_again_is_recorded_and_counted_once() throws Exception {
        long campaign = sentCampaign(List.of("gone@example.org"));
        String dsn = postfixDsnFor(campaign, recipientId(campaign, "gone@example.org"), "gone@example.org");
        deliver(dsn);
        pollOnce(IMAP_PASSWORD);
        // As after a crash between recording and moving: the same report is in the folder again.
        deliver(dsn);
        pollOnce(IMAP_PASSWORD);
        assertThat(fx.dsl.fetchCount(BOUNCE_EVENT)).isEqualTo(1);
        assertThat(reputation(campaign)).containsExactly(1, 0);
        assertThat(folder(PROCESSED)).hasSize(2);
        assertThat(folder("INBOX")).isEmpty();
    }

    @Test
    void a_started_worker_reads_each_due_mailbox_by_itself_every_MAILROOM_BOUNCE_POLL_MS() throws Exception {
        long campaign = sentCampaign(List.of("gone@example.org"));
        deliver(postfixDsnFor(campaign, recipientId(campaign, "gone@example.org"), "gone@example.org"));
        configure(IMAP_PASSWORD);
        try (Worker w = WorkerHarness.start("w1", Map.of("MAILROOM_BOUNCE_POLL_MS", "1000"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> fx.dsl.fetchExists(SUPPRESSION));
        }
        assertThat(folder(PROCESSED)).hasSize(1);
    }

    @Test
    void an_arf_complaint_matched_by_message_id_suppresses_and_raises_one_complaint_rate_alert_until_the_rate_falls()
            throws Exception {
        long endpoint = webhookEndpoint("bounced", "sender.complaint_rate");
        long campaign = sentCampaign(List.of("angry@example.net", "calm@example.net"));
        long angry = recipientId(campaign, "angry@example.net");
        String arf = BounceReportParserTest.text("arf-abuse.eml")
                .replace("bounces+v1.mnopqr@" + BOUNCE_DOMAIN, "postmaster@" + BOUNCE_DOMAIN) // no VERP: the Message-ID decides
                .replace("<mr.7.43@example.com>", messageId(angry));
        deliver(arf);
        try (Worker w = idleWorker()) {
            configure(IMAP_PASSWORD);
            w.pollBounceMailboxesOnce();
            assertThat(fx.dsl.fetchOne(SUPPRESSION, SUPPRESSION.EMAIL.eq("angry@example.net")).getReason()).isEqualTo("complaint");
            assertThat(reputation(campaign)).containsExactly(0, 1);
            assertThat(alertAt()).isNotNull();
            assertThat(outbox(endpoint, "sender.complaint_rate")).isEqualTo(1);
            assertThat(outbox(endpoint, "bounced")).isEqualTo(1);
            assertThat(folder(PROCESSED)).hasSize(1);

            // A week on, the complaint has left the window: the next tick clears the alert.
            fx.dsl.update(BOUNCE_EVENT).set(BOUNCE_EVENT.CREATED_AT, OffsetDateTime.now().minusDays(8)).execute();
            w.pollBounceMailboxesOnce();
            assertThat(alertAt()).isNull();
        }
        assertThat(outbox(endpoint, "sender.complaint_rate")).isEqualTo(1);
    }

    @Test
    void I15_a_report_that_matches_nothing_of_ours_is_recorded_not_acted_on_and_stays_in_the_mailbox() throws Exception {
        long campaign = sentCampaign(List.of("gone@example.org"));
        long gone = recipientId(campaign, "gone@example.org");
        String forged = postfixDsnFor(campaign, gone, "gone@example.org");
        String token = verp.of(Addressee.recipient(campaign, gone), BOUNCE_DOMAIN);
        String altered = token.replace("bounces+", "bounces+x"); // a token that does not verify
        deliver(forged.replace(token, altered).replace(messageId(gone), "<CAF123=other@mail.example.com>"));
        pollOnce(IMAP_PASSWORD);
        assertThat(fx.dsl.fetchCount(SUPPRESSION)).isZero();
        var event = fx.dsl.selectFrom(BOUNCE_EVENT).fetchSingle();
        assertThat(event.getRecipientId()).isNull();
        assertThat(event.getSenderId()).isEqualTo(sender);
        assertThat(reputation(campaign)).containsExactly(0, 0);
        assertThat(folder("INBOX")).hasSize(1);
    }

    @Test
    void I14_a_refused_imap_login_is_the_mailboxes_last_error_and_no_log_line_names_the_user_or_password() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            pollOnce("not-the-password");
            assertThat(logs.all()).contains("bounce mailbox of sender " + sender)
                    .doesNotContain(IMAP_USER).doesNotContain("not-the-password").doesNotContain(IMAP_PASSWORD);
        }
        assertThat(fx.dsl.select(SENDER.BOUNCE_LAST_ERROR).from(SENDER).where(SENDER.ID.eq(sender)).fetchOne().value1())
                .isEqualTo("the IMAP server refused the login");
    }

    /**
     * Sets the bounce mailbox up (which makes it due at once) and reads it once with a worker that was never
     * started, so no background tick of any worker races the poll under test.
     */
    private void pollOnce(String password) {
        try (Worker w = idleWorker()) {
            configure(password);
            w.pollBounceMailboxesOnce();
        }
    }

    private static Worker idleWorker() {
        return new Worker(WorkerHarness.config("reader", Map.of()), Clock.systemUTC(), new SimpleMeterRegistry());
    }

    private void configure(String password) {
        new JooqBounceMailboxStore(fx.dsl).save(new BounceMailbox(sender, BOUNCE_DOMAIN, "127.0.0.1", mail.getImap().getPort(),
                "none", IMAP_USER, new SecretSealer(keys).seal(password, BounceMailbox.PASSWORD_PURPOSE), "INBOX", PROCESSED,
                null, null));
    }

    private long sentCampaign(List<String> emails) {
        long campaign = fx.queuedCampaign(sender, emails);
        try (Worker w = WorkerHarness.start("sender")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> "sent".equals(fx.status(campaign)));
        }
        return campaign;
    }

    /** The Postfix sample, about {@code email}, sent back to its VERP address and quoting its Message-ID. */
    private String postfixDsnFor(long campaign, long recipient, String email) throws Exception {
        return BounceReportParserTest.text("postfix-user-unknown.eml")
                .replace("bounces+v1.abcdef@" + BOUNCE_DOMAIN, verp.of(Addressee.recipient(campaign, recipient), BOUNCE_DOMAIN))
                .replace("<mr.7.42@example.com>", messageId(recipient))
                .replace("gone@example.org", email);
    }

    private void deliver(String raw) throws Exception {
        mailbox.deliver(BounceReportParserTest.message(raw));
    }

    private long recipientId(long campaign, String email) {
        return fx.dsl.select(CAMPAIGN_RECIPIENT.ID).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaign), CAMPAIGN_RECIPIENT.EMAIL.eq(email)).fetchSingle().value1();
    }

    private String messageId(long recipient) {
        return fx.dsl.select(CAMPAIGN_RECIPIENT.MESSAGE_ID).from(CAMPAIGN_RECIPIENT).where(CAMPAIGN_RECIPIENT.ID.eq(recipient))
                .fetchSingle().value1();
    }

    /** campaign.bounced, campaign.complained. */
    private int[] reputation(long campaign) {
        var r = fx.dsl.select(CAMPAIGN.BOUNCED, CAMPAIGN.COMPLAINED).from(CAMPAIGN).where(CAMPAIGN.ID.eq(campaign)).fetchSingle();
        return new int[] {r.value1(), r.value2()};
    }

    private OffsetDateTime alertAt() {
        return fx.dsl.select(SENDER.COMPLAINT_ALERT_AT).from(SENDER).where(SENDER.ID.eq(sender)).fetchSingle().value1();
    }

    private long webhookEndpoint(String... events) {
        long id = fx.dsl.insertInto(WEBHOOK_ENDPOINT).set(WEBHOOK_ENDPOINT.URL, "http://127.0.0.1:9/hook")
                .set(WEBHOOK_ENDPOINT.SECRET, "s").returning(WEBHOOK_ENDPOINT.ID).fetchOne(WEBHOOK_ENDPOINT.ID);
        for (String e : events) {
            fx.dsl.insertInto(WEBHOOK_SUBSCRIPTION).set(WEBHOOK_SUBSCRIPTION.ENDPOINT_ID, id).set(WEBHOOK_SUBSCRIPTION.EVENT, e).execute();
        }
        return id;
    }

    private int outbox(long endpoint, String event) {
        return fx.dsl.fetchCount(WEBHOOK_OUTBOX, WEBHOOK_OUTBOX.ENDPOINT_ID.eq(endpoint).and(WEBHOOK_OUTBOX.EVENT.eq(event)));
    }

    /** The subjects in an IMAP folder of the bounce mailbox, read as any mail client would (empty when it does not exist). */
    private List<String> folder(String name) throws Exception {
        Session session = Session.getInstance(new Properties());
        try (Store store = session.getStore("imap")) {
            store.connect("127.0.0.1", mail.getImap().getPort(), IMAP_USER, IMAP_PASSWORD);
            Folder f = store.getFolder(name);
            if (!f.exists()) return List.of();
            f.open(Folder.READ_ONLY);
            try {
                List<String> subjects = new java.util.ArrayList<>();
                for (var m : f.getMessages()) subjects.add(m.getSubject());
                return subjects;
            } finally {
                f.close(false);
            }
        }
    }
}
