package dev.mailroom.core.defer;

import java.time.Instant;

/** Why something must wait, and until when: what {@link DeferService} records. */
public record Wait(DeferReason reason, Instant until) {}
