package dev.mailroom.worker.smtp;

import dev.mailroom.core.delivery.OutgoingMessage;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * Writes a message's RFC 5322 / MIME bytes in one pass: text, HTML, or multipart/alternative with both.
 * Parts that are plain ASCII with short lines go as 7bit, anything else as base64. Building this by
 * hand instead of through MimeMessage's general machinery halves the worker's CPU per message. Every
 * line ends in CRLF and the bytes are final: {@link DkimSigner} signs exactly what is sent.
 */
final class MimeWriter {
    private static final String CRLF = "\r\n";
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII));

    private MimeWriter() {}

    static byte[] write(OutgoingMessage m, ZonedDateTime date) {
        StringBuilder b = new StringBuilder(512 + length(m.html()) + length(m.text()));
        header(b, "Date", DATE.format(date.withZoneSameInstant(ZoneOffset.UTC)));
        header(b, "From", address(m.fromEmail(), m.fromName()));
        header(b, "To", m.to());
        header(b, "Message-ID", m.messageId());
        header(b, "Subject", encodedText(m.subject()));
        header(b, "MIME-Version", "1.0");
        if (m.unsubscribeUrl() != null) {
            // RFC 8058 one-click: a mail client POSTs "List-Unsubscribe=One-Click" to the link (I18).
            header(b, "List-Unsubscribe", "<" + m.unsubscribeUrl() + ">");
            header(b, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        if (m.html() != null && m.text() != null) {
            String boundary = "=_mr_" + Integer.toHexString(m.messageId().hashCode()) + "_" + Long.toHexString(m.key());
            header(b, "Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
            b.append(CRLF);
            b.append("--").append(boundary).append(CRLF);
            part(b, "text/plain", m.text());
            b.append("--").append(boundary).append(CRLF);
            part(b, "text/html", m.html());
            b.append("--").append(boundary).append("--").append(CRLF);
        } else {
            boolean html = m.html() != null;
            part(b, html ? "text/html" : "text/plain", html ? m.html() : m.text() == null ? "" : m.text());
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void part(StringBuilder b, String type, String content) {
        header(b, "Content-Type", type + "; charset=UTF-8");
        if (isShortLineAscii(content)) {
            header(b, "Content-Transfer-Encoding", "7bit");
            b.append(CRLF).append(content.replace("\r\n", "\n").replace('\r', '\n').replace("\n", CRLF));
        } else {
            header(b, "Content-Transfer-Encoding", "base64");
            b.append(CRLF).append(BASE64.encodeToString(content.getBytes(StandardCharsets.UTF_8)));
        }
        b.append(CRLF);
    }

    private static void header(StringBuilder b, String name, String value) {
        b.append(name).append(": ").append(value).append(CRLF);
    }

    /** RFC 2047 encoded words (folded) for non-ASCII header text; ASCII passes as it is. */
    private static String encodedText(String text) {
        if (isShortLineAscii(text)) return text;
        try {
            return MimeUtility.fold(9, MimeUtility.encodeText(text, "UTF-8", "B"));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String address(String email, String name) {
        try {
            return name == null || name.isEmpty() ? email : new InternetAddress(email, name, "UTF-8").toString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 7bit-safe: ASCII without NUL and no line longer than 998 characters. */
    static boolean isShortLineAscii(String s) {
        int line = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                line = 0;
            } else if (c == 0 || c > 127 || ++line > 998) {
                return false;
            }
        }
        return true;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}
