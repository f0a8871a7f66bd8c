package dev.mailroom.core.mail;

/** Rules for text that ends up in a mail header (subject, names): CR or LF there would inject headers. */
public final class HeaderText {
    private HeaderText() {}

    public static boolean isSafe(String s) {
        return s == null || (s.indexOf('\r') < 0 && s.indexOf('\n') < 0 && s.indexOf('\0') < 0);
    }
}
