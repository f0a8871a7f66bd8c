package dev.mailroom.web.api;

import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.core.mail.EmailAddress;
import dev.mailroom.core.mail.HeaderText;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Collects every field error of a request, so the client sees them all at once. */
public final class Validation {
    private final List<InvalidInput.FieldError> errors = new ArrayList<>();

    public Validation error(String field, String message) {
        errors.add(new InvalidInput.FieldError(field, message));
        return this;
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public int size() {
        return errors.size();
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) throw new InvalidInput(errors);
    }

    public String required(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            error(field, "is required");
            return null;
        }
        if (value.length() > maxLength) error(field, "must be at most " + maxLength + " characters");
        return value;
    }

    /** Text bound for a mail header (subject, names): CR, LF or NUL would inject headers. */
    public String header(String field, String value) {
        if (!HeaderText.isSafe(value)) error(field, "must not contain CR, LF or NUL");
        return value;
    }

    public String email(String field, String value) {
        if (value == null || value.isBlank()) {
            error(field, "is required");
            return null;
        }
        EmailAddress a = EmailAddress.parseOrNull(value);
        if (a == null) {
            error(field, "is not a valid email address");
            return null;
        }
        return a.value();
    }

    public Integer range(String field, Integer value, int min, int max, boolean required) {
        if (value == null) {
            if (required) error(field, "is required");
        } else if (value < min || value > max) {
            error(field, "must be between " + min + " and " + max);
        }
        return value;
    }

    public ZoneId zone(String field, String value) {
        if (value == null) return null;
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            error(field, "is not a known time zone");
            return null;
        }
    }

    /** An optional ISO-8601 time with its offset, like {@code 2026-11-23T16:00:00Z}; null when absent. */
    public Instant time(String field, String value) {
        if (value == null) return null;
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeException e) {
            error(field, "must be an ISO-8601 time like 2026-11-23T16:00:00Z");
            return null;
        }
    }
}
