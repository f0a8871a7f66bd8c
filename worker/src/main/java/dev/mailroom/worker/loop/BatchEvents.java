package dev.mailroom.worker.loop;

import dev.mailroom.core.delivery.RecipientOutcome;
import dev.mailroom.core.port.LiveEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A recorded batch as live events: one per sent or failed recipient, then the batch's summary. */
final class BatchEvents {
    private BatchEvents() {}

    static List<LiveEvents.Event> of(List<RecipientOutcome> settled) {
        List<LiveEvents.Event> events = new ArrayList<>(settled.size() + 1);
        int sent = 0;
        int failed = 0;
        for (RecipientOutcome o : settled) {
            switch (o.next()) {
                case SENT -> {
                    sent++;
                    events.add(new LiveEvents.Event("sent", Map.of("recipient_id", o.recipientId())));
                }
                case FAILED -> {
                    failed++;
                    events.add(new LiveEvents.Event("failed",
                            Map.of("recipient_id", o.recipientId(), "smtp_code", o.outcome().code())));
                }
                default -> { }
            }
        }
        events.add(new LiveEvents.Event("batch", Map.of("size", settled.size(), "sent", sent, "failed", failed)));
        return events;
    }
}
