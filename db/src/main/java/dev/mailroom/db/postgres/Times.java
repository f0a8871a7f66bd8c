package dev.mailroom.db.postgres;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Conversions between the instants the domain uses and the timestamptz values jOOQ reads. */
final class Times {
    private Times() {}

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime odt(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
