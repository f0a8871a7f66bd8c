package dev.mailroom.worker.bounce;

import dev.mailroom.core.bounce.BounceReport;
import dev.mailroom.core.bounce.LaterBounce;
import dev.mailroom.core.bounce.LaterBounces;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a message in a bounce mailbox says: a DSN (RFC 3464, {@code multipart/report;
 * report-type=delivery-status}) or an ARF feedback report (RFC 5965, {@code report-type=feedback-report}),
 * wherever it sits in the MIME tree (some gateways wrap it in {@code multipart/mixed}). Anything else reads
 * as a report with no bounces, which is left alone. Parts are parsed from their bytes, never through the
 * mailcap content handlers, so a malformed part cannot turn into a surprise object.
 */
public final class BounceReportParser {
    /** A DSN or ARF part is a few lines; a larger one is cut here rather than held in memory. */
    private static final int MAX_FIELDS_BYTES = 64 * 1024;
    private static final int MAX_DEPTH = 5;
    /** RFC 5321's limit on a path, and the width of the address columns. */
    private static final int MAX_ADDRESS_CHARS = 254;
    private static final List<String> DELIVERED_TO = List.of("To", "Delivered-To", "X-Original-To", "Envelope-To",
            "X-Envelope-To", "X-Rcpt-To");

    /** What the report's parts said, before it is judged. */
    private static final class Parts {
        final List<InternetHeaders> dsnRecipients = new ArrayList<>();
        InternetHeaders feedback;
        InternetHeaders original;
    }

    public BounceReport parse(MimeMessage message) throws MessagingException, IOException {
        List<String> returnAddresses = new ArrayList<>();
        for (String name : DELIVERED_TO) addAddresses(returnAddresses, message.getHeader(name));
        Parts parts = new Parts();
        findReport(message, parts, 0);
        String originalId = parts.original == null ? null : unfolded(parts.original, "Message-ID");
        String originalTo = parts.original == null ? null : firstAddress(unfolded(parts.original, "To"));
        if (parts.original != null) addAddresses(returnAddresses, parts.original.getHeader("Return-Path"));
        List<LaterBounce> bounces = new ArrayList<>();
        for (InternetHeaders r : parts.dsnRecipients) {
            String email = Optional.ofNullable(typedAddress(unfolded(r, "Original-Recipient")))
                    .orElseGet(() -> Optional.ofNullable(typedAddress(unfolded(r, "Final-Recipient"))).orElse(originalTo));
            LaterBounces.fromDsn(email, unfolded(r, "Action"), unfolded(r, "Status"), unfolded(r, "Diagnostic-Code"))
                    .ifPresent(bounces::add);
        }
        if (parts.feedback != null) {
            addAddresses(returnAddresses, parts.feedback.getHeader("Original-Mail-From"));
            String email = Optional.ofNullable(firstAddress(unfolded(parts.feedback, "Original-Rcpt-To"))).orElse(originalTo);
            LaterBounces.fromFeedback(email, unfolded(parts.feedback, "Feedback-Type")).ifPresent(bounces::add);
        }
        return new BounceReport(reportId(message), returnAddresses, originalId, bounces);
    }

    private void findReport(Part part, Parts out, int depth) throws MessagingException, IOException {
        if (depth > MAX_DEPTH) return;
        if (part.isMimeType("multipart/*")) {
            MimeMultipart mp = new MimeMultipart(part.getDataHandler().getDataSource());
            for (int i = 0; i < mp.getCount(); i++) findReport(mp.getBodyPart(i), out, depth + 1);
        } else if (part.isMimeType("message/delivery-status") || part.isMimeType("message/global-delivery-status")) {
            List<InternetHeaders> blocks = blocks(part);
            if (!blocks.isEmpty()) out.dsnRecipients.addAll(blocks.subList(1, blocks.size())); // the first is per-message
        } else if (part.isMimeType("message/feedback-report")) {
            List<InternetHeaders> blocks = blocks(part);
            if (!blocks.isEmpty() && out.feedback == null) out.feedback = blocks.get(0);
        } else if (out.original == null && (part.isMimeType("message/rfc822") || part.isMimeType("message/global")
                || part.isMimeType("text/rfc822-headers") || part.isMimeType("message/rfc822-headers")
                || part.isMimeType("message/global-headers"))) {
            try (InputStream in = part.getInputStream()) {
                out.original = new InternetHeaders(in);
            }
        }
    }

    /** Header blocks separated by blank lines, as DSN and ARF fields are written. */
    private static List<InternetHeaders> blocks(Part part) throws MessagingException, IOException {
        String text;
        try (InputStream in = part.getInputStream()) {
            text = new String(in.readNBytes(MAX_FIELDS_BYTES), StandardCharsets.UTF_8);
        }
        List<InternetHeaders> out = new ArrayList<>();
        for (String block : text.replace("\r\n", "\n").split("\n[ \t]*\n")) {
            if (block.isBlank()) continue;
            String normalised = block.strip().replace("\n", "\r\n") + "\r\n\r\n";
            out.add(new InternetHeaders(new ByteArrayInputStream(normalised.getBytes(StandardCharsets.UTF_8))));
        }
        return out;
    }

    private static String unfolded(InternetHeaders h, String name) {
        String v = h.getHeader(name, null);
        return v == null ? null : MimeUtility.unfold(v).trim();
    }

    /** "rfc822; ann@example.com" (or "utf-8; …") → "ann@example.com". */
    private static String typedAddress(String value) {
        if (value == null) return null;
        int semi = value.indexOf(';');
        return firstAddress(semi >= 0 ? value.substring(semi + 1) : value);
    }

    private static String firstAddress(String value) {
        List<String> found = new ArrayList<>();
        addAddresses(found, value == null ? null : new String[] {value});
        return found.isEmpty() ? null : found.get(0);
    }

    /** Bare addresses out of header values, leniently: a display name, angle brackets or a comma list. */
    private static void addAddresses(List<String> out, String[] values) {
        if (values == null) return;
        for (String value : values) {
            for (String piece : MimeUtility.unfold(value).split(",")) {
                String a = piece.trim();
                int lt = a.lastIndexOf('<'), gt = a.lastIndexOf('>');
                if (lt >= 0 && gt > lt) a = a.substring(lt + 1, gt).trim();
                if (a.indexOf('@') > 0 && !a.contains(" ") && a.length() <= MAX_ADDRESS_CHARS) out.add(a);
            }
        }
    }

    /** The report's own Message-ID, or a digest of its bytes when it has none: read twice, recorded once. */
    private static String reportId(MimeMessage message) throws MessagingException, IOException {
        String id = message.getMessageID();
        if (id != null && !id.isBlank() && id.length() <= 900) return id.trim();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
                message.writeTo(out);
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
