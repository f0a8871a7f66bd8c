package dev.mailroom.worker.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.delivery.OutgoingMessage;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What MimeWriter writes must read back, through Jakarta Mail's own parser, as what was meant. */
class MimeWriterTest {
    private final Session session = Session.getInstance(new Properties());

    private MimeMessage roundTrip(OutgoingMessage m) throws Exception {
        byte[] bytes = MimeWriter.write(m, ZonedDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.UTC));
        return new MimeMessage(session, new ByteArrayInputStream(bytes));
    }

    @Test
    void writes_text_and_html_as_multipart_alternative_with_non_ascii_headers_encoded() throws Exception {
        MimeMessage m = roundTrip(new OutgoingMessage(7, "<mr.1.7@example.com>", "news@example.com", "Пример Ltd",
                "ann@example.org", "Привет, Ann — 50% off", "<p>Hi Ann, naïve café</p>", "Hi Ann\nline two"));
        assertThat(m.getMessageID()).isEqualTo("<mr.1.7@example.com>");
        assertThat(m.getSubject()).isEqualTo("Привет, Ann — 50% off");
        assertThat(((InternetAddress) m.getFrom()[0]).getPersonal()).isEqualTo("Пример Ltd");
        assertThat(m.getAllRecipients()[0].toString()).isEqualTo("ann@example.org");
        MimeMultipart alt = (MimeMultipart) m.getContent();
        assertThat(alt.getContentType()).startsWith("multipart/alternative");
        assertThat(alt.getBodyPart(0).getContent().toString().replace("\r\n", "\n")).isEqualTo("Hi Ann\nline two");
        assertThat(alt.getBodyPart(1).getContent().toString()).isEqualTo("<p>Hi Ann, naïve café</p>");
        assertThat(alt.getBodyPart(1).getHeader("Content-Transfer-Encoding")[0]).isEqualTo("base64");
    }

    @Test
    void writes_a_single_ascii_part_as_7bit_and_a_missing_body_as_empty_text() throws Exception {
        MimeMessage html = roundTrip(new OutgoingMessage(1, "<a@b.c>", "n@example.com", null, "x@example.org", "Hi",
                "<p>plain ascii</p>", null));
        assertThat(html.getContentType()).startsWith("text/html");
        assertThat(html.getHeader("Content-Transfer-Encoding")[0]).isEqualTo("7bit");
        assertThat(html.getContent().toString().trim()).isEqualTo("<p>plain ascii</p>");
        MimeMessage empty = roundTrip(new OutgoingMessage(2, "<b@b.c>", "n@example.com", "", "x@example.org", "Hi", null, null));
        assertThat(empty.getContentType()).startsWith("text/plain");
        assertThat(empty.getFrom()[0].toString()).isEqualTo("n@example.com");
    }

    /** Seen to fail with I18 broken on purpose: with the List-Unsubscribe-Post header left out, it was missing. */
    @Test
    void I18_a_message_with_an_unsubscribe_link_carries_both_one_click_headers_and_a_bare_one_none() throws Exception {
        MimeMessage m = roundTrip(new OutgoingMessage(3, "<c@b.c>", "n@example.com", null, "x@example.org", "Hi", null, "t",
                "https://mail.example.com/u/k1.abc", null, null));
        assertThat(m.getHeader("List-Unsubscribe")).containsExactly("<https://mail.example.com/u/k1.abc>");
        assertThat(m.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        MimeMessage bare = roundTrip(new OutgoingMessage(4, "<d@b.c>", "n@example.com", null, "x@example.org", "Hi", null, "t"));
        assertThat(bare.getHeader("List-Unsubscribe")).isNull();
    }

    @Test
    void a_line_longer_than_998_characters_goes_base64() {
        assertThat(MimeWriter.isShortLineAscii("a".repeat(998))).isTrue();
        assertThat(MimeWriter.isShortLineAscii("a".repeat(999))).isFalse();
        assertThat(MimeWriter.isShortLineAscii("ok\n" + "a".repeat(998))).isTrue();
    }
}
