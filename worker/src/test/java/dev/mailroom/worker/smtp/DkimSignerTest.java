package dev.mailroom.worker.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.core.dkim.DkimKeys;
import dev.mailroom.core.dkim.DkimSigningKey;
import dev.mailroom.worker.delivery.DkimPy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hand-written RFC 6376 canonicalisation on the shapes of message that are hardest to get right,
 * each verified by dkimpy rather than by our own code.
 */
class DkimSignerTest {
    private static DkimSigningKey key;
    private static String dnsTxt;

    @BeforeAll
    static void key() {
        var rsa = DkimKeys.parsePem(DkimKeys.generatePem());
        key = new DkimSigningKey("example.com", "mr1", rsa);
        dnsTxt = DkimKeys.dnsTxt(rsa);
    }

    private static final String HEADERS = "Date: Wed, 2 Dec 2026 18:00:00 GMT\r\nFROM: Example <news@example.com>\r\n"
            + "To: ann@example.org\r\nMessage-ID: <mr.1.1@example.com>\r\n"
            + "Subject:   a  subject\r\n\tfolded  with\t tabs  \r\n MIME-Version: 1.0\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n";

    @Test
    void verifies_with_folded_headers_and_whitespace_runs_trailing_blanks_and_empty_lines_at_the_end() throws Exception {
        assertVerifies(HEADERS + "\r\n  leading\t\ttabs   and  runs  \r\n \t \r\n\r\nlast line \t\r\n\r\n\r\n \r\n");
    }

    @Test
    void verifies_a_body_without_a_final_crlf_and_an_empty_body() throws Exception {
        assertVerifies(HEADERS + "\r\nno final line break");
        assertVerifies(HEADERS + "\r\n");
    }

    @Test
    void signs_only_the_listed_headers_that_are_present() throws Exception {
        JsonNode seen = assertVerifies(HEADERS + "X-Other: not signed\r\n\r\nbody\r\n");
        assertThat(seen.get("signature_tags").get("h").asText())
                .isEqualTo("From:To:Subject:Date:Message-ID:MIME-Version:Content-Type");
    }

    @Test
    void relaxed_body_keeps_inner_lines_collapses_whitespace_and_drops_trailing_empty_lines() {
        byte[] body = "  a \t b  \r\n\r\n \r\nc\r\n\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(DkimSigner.relaxedBody(body, 0), StandardCharsets.US_ASCII)).isEqualTo(" a b\r\n\r\n\r\nc\r\n");
        assertThat(DkimSigner.relaxedBody(new byte[0], 0)).isEmpty();
    }

    private static JsonNode assertVerifies(String message) throws Exception {
        byte[] signed = DkimSigner.sign(message.getBytes(StandardCharsets.US_ASCII), key, 1_796_000_000L);
        JsonNode seen = DkimPy.check(signed, dnsTxt);
        assertThat(seen.get("verified").asBoolean()).as(new String(signed, StandardCharsets.US_ASCII)).isTrue();
        return seen;
    }
}
