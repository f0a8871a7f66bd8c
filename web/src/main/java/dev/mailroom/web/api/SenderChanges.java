package dev.mailroom.web.api;

import dev.mailroom.core.sender.Sender;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The names of the fields a sender update changed, for the audit trail: names only, never values — the
 * password and the DKIM key are secrets, and the rest is on the sender itself. A password given again is
 * listed even if it is the same (its sealed form differs each time; the clear one is never compared).
 */
final class SenderChanges {
    private SenderChanges() {}

    static List<String> between(Sender before, Sender after) {
        List<String> changed = new ArrayList<>();
        check(changed, "name", before.name(), after.name());
        check(changed, "from_email", before.fromEmail(), after.fromEmail());
        check(changed, "from_name", before.fromName(), after.fromName());
        check(changed, "smtp.host", before.smtp().host(), after.smtp().host());
        check(changed, "smtp.port", before.smtp().port(), after.smtp().port());
        check(changed, "smtp.tls", before.smtp().tls(), after.smtp().tls());
        check(changed, "smtp.username", before.smtp().username(), after.smtp().username());
        check(changed, "smtp.password", before.smtp().password(), after.smtp().password());
        check(changed, "smtp.allow_plaintext_auth", before.smtp().allowPlaintextAuth(), after.smtp().allowPlaintextAuth());
        check(changed, "hourly_limit", before.hourlyLimit(), after.hourlyLimit());
        check(changed, "monthly_limit", before.monthlyLimit(), after.monthlyLimit());
        check(changed, "test_reserve_per_hour", before.testReservePerHour(), after.testReservePerHour());
        check(changed, "quota_timezone", before.quotaZone(), after.quotaZone());
        check(changed, "window", before.window(), after.window());
        check(changed, "enabled", before.enabled(), after.enabled());
        check(changed, "dkim", before.dkim(), after.dkim());
        return changed;
    }

    private static void check(List<String> changed, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) changed.add(field);
    }
}
