package dev.mailroom.core.delivery;

import java.nio.charset.StandardCharsets;

/** SMTP reply text as we keep it: no control characters, at most 1,024 bytes of UTF-8. */
public final class ReplyText {
    private static final int MAX_BYTES = 1024;

    private ReplyText() {}

    public static String clean(String raw) {
        if (raw == null) return null;
        String s = raw.replaceAll("\\p{Cntrl}+", " ").trim();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) return s;
        int end = MAX_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) end--; // do not cut a character in half
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
