package dev.mailroom.core.mail;

import java.util.Locale;
import java.util.regex.Pattern;

/** A validated, normalised (lower-case, trimmed) mailbox address: the form we store and de-duplicate on. */
public record EmailAddress(String value) {
    // Pragmatic RFC 5321 subset: dot-atom local part, a domain of LDH labels with a dot.
    private static final Pattern VALID = Pattern.compile(
            "^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

    public EmailAddress {
        if (!isValid(value)) throw new IllegalArgumentException("not a valid email address");
    }

    /** Null when the text is not a valid address. */
    public static EmailAddress parseOrNull(String raw) {
        if (raw == null) return null;
        String v = raw.trim().toLowerCase(Locale.ROOT);
        return isValid(v) ? new EmailAddress(v) : null;
    }

    private static boolean isValid(String v) {
        return v != null && v.length() <= 254 && v.indexOf('@') <= 64 && VALID.matcher(v).matches();
    }

    public String domain() {
        return value.substring(value.indexOf('@') + 1);
    }

    @Override
    public String toString() {
        return value;
    }
}
