package dev.mailroom.worker.smtp;

import dev.mailroom.core.dkim.DkimSigningKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Signs the exact bytes MimeWriter wrote with a DKIM-Signature (RFC 6376: rsa-sha256, relaxed/relaxed),
 * prepended as the first header. The canonicalisation is written by hand over bytes because the message
 * is already final; no MIME parsing happens on this path.
 */
final class DkimSigner {
    /** Signed when present, in this order; a receiver's DMARC check needs From, RFC 8058 needs both List-*. */
    static final List<String> SIGNED = List.of("From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
            "Content-Type", "List-Unsubscribe", "List-Unsubscribe-Post");
    private static final byte CR = '\r', LF = '\n', SP = ' ', TAB = '\t';
    private static final int B_LINE = 72;

    private DkimSigner() {}

    /** A header field as it lies in the message: {@code [start, end)} includes its folded lines and final CRLF. */
    private record Field(String name, int start, int end) {}

    static byte[] sign(byte[] message, DkimSigningKey key, long epochSeconds) throws GeneralSecurityException {
        int headerEnd = headerEnd(message);
        int bodyStart = Math.min(message.length, headerEnd + 2);
        String bodyHash = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(relaxedBody(message, bodyStart)));

        List<Field> fields = fields(message, headerEnd);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key.privateKey());
        StringBuilder h = new StringBuilder(128);
        for (String name : SIGNED) {
            Field f = last(fields, name);
            if (f == null) continue;
            rsa.update(relaxedHeader(message, f.start(), f.end()));
            if (!h.isEmpty()) h.append(':');
            h.append(name);
        }
        String unsigned = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + key.domain() + "; s=" + key.selector()
                + ";\r\n\tt=" + epochSeconds + "; h=" + h + ";\r\n\tbh=" + bodyHash + ";\r\n\tb=";
        byte[] own = unsigned.getBytes(StandardCharsets.US_ASCII);
        byte[] canonical = relaxedHeader(own, 0, own.length);
        rsa.update(canonical, 0, canonical.length - 2); // the signature's own field is hashed without its CRLF
        String b = Base64.getEncoder().encodeToString(rsa.sign());

        StringBuilder field = new StringBuilder(unsigned.length() + b.length() + 16).append(unsigned);
        for (int i = 0; i < b.length(); i += B_LINE) {
            if (i > 0) field.append("\r\n\t");
            field.append(b, i, Math.min(b.length(), i + B_LINE));
        }
        byte[] head = field.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + message.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(message, 0, out, head.length, message.length);
        return out;
    }

    /** Index of the CRLF that ends the header section (the empty line's), or the message length. */
    private static int headerEnd(byte[] m) {
        for (int i = 0; i + 3 < m.length; i++) {
            if (m[i] == CR && m[i + 1] == LF && m[i + 2] == CR && m[i + 3] == LF) return i + 2;
        }
        return m.length;
    }

    private static List<Field> fields(byte[] m, int end) {
        List<Field> out = new ArrayList<>(12);
        int start = 0;
        while (start < end) {
            int i = start;
            while (true) { // to the CRLF that is not followed by folding whitespace
                while (i < end && m[i] != LF) i++;
                i = Math.min(end, i + 1);
                if (i >= end || (m[i] != SP && m[i] != TAB)) break;
            }
            int colon = start;
            while (colon < i && m[colon] != ':') colon++;
            out.add(new Field(new String(m, start, colon - start, StandardCharsets.US_ASCII).strip(), start, i));
            start = i;
        }
        return out;
    }

    /** The bottom-most instance of a header is the one signed (RFC 6376 5.4.2). */
    private static Field last(List<Field> fields, String name) {
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (fields.get(i).name().equalsIgnoreCase(name)) return fields.get(i);
        }
        return null;
    }

    /** RFC 6376 3.4.2: lower-case name, unfold, runs of whitespace to one space, none around the colon or at the end. */
    static byte[] relaxedHeader(byte[] m, int start, int end) {
        byte[] out = new byte[end - start + 3]; // never longer than the field plus a CRLF
        int n = 0;
        int colon = start;
        while (colon < end && m[colon] != ':') colon++;
        int nameEnd = colon;
        while (nameEnd > start && (m[nameEnd - 1] == SP || m[nameEnd - 1] == TAB)) nameEnd--;
        for (int i = start; i < nameEnd; i++) {
            byte c = m[i];
            out[n++] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
        }
        out[n++] = ':';
        boolean space = false, any = false;
        for (int i = colon + 1; i < end; i++) {
            byte c = m[i];
            if (c == CR || c == LF) continue;
            if (c == SP || c == TAB) {
                space = true;
                continue;
            }
            if (space && any) out[n++] = SP;
            space = false;
            any = true;
            out[n++] = c;
        }
        out[n++] = CR;
        out[n++] = LF;
        return Arrays.copyOf(out, n);
    }

    /**
     * RFC 6376 3.4.4: runs of whitespace within a line to one space, none at a line's end, no empty lines at
     * the end of the body, and a non-empty body ends with CRLF. Written into one array sized up front: this
     * runs over every byte of every signed message.
     */
    static byte[] relaxedBody(byte[] m, int from) {
        byte[] out = new byte[Math.max(0, m.length - from) + 2];
        int n = 0;
        int emptyLines = 0;
        int i = from;
        while (i < m.length) {
            int eol = i;
            while (eol < m.length && !(m[eol] == CR && eol + 1 < m.length && m[eol + 1] == LF)) eol++;
            boolean space = false;
            boolean wroteAny = false;
            for (int j = i; j < eol; j++) {
                byte c = m[j];
                if (c == SP || c == TAB) {
                    space = true;
                    continue;
                }
                if (!wroteAny) {
                    for (; emptyLines > 0; emptyLines--) { // empty lines count only when text follows
                        out[n++] = CR;
                        out[n++] = LF;
                    }
                }
                if (space) out[n++] = SP;
                space = false;
                wroteAny = true;
                out[n++] = c;
            }
            if (wroteAny) {
                out[n++] = CR;
                out[n++] = LF;
            } else {
                emptyLines++;
            }
            i = eol + 2;
        }
        return Arrays.copyOf(out, n);
    }
}
