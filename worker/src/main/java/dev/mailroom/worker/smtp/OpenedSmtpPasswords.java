package dev.mailroom.worker.smtp;

import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.SmtpSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens sealed SMTP passwords (I19) once and keeps each while the stored value stays the same: lanes reconnect
 * often (a relay closes idle connections) and the sender is re-read every batch. A new password is a new
 * sealed value, so a changed one is opened afresh; the old entry is simply never asked for again.
 */
final class OpenedSmtpPasswords {
    /** Far above the senders one worker serves; past it the cache starts over rather than grow. */
    private static final int MAX_ENTRIES = 10_000;

    private final SecretSealer sealer;
    private final Map<String, String> bySealed = new ConcurrentHashMap<>();

    OpenedSmtpPasswords(SecretSealer sealer) {
        this.sealer = sealer;
    }

    /**
     * The settings with the password opened, or as they are when there is none. Throws
     * {@link SecretSealer.SealedSecretUnreadable} when it cannot be opened: it must never be sent as stored.
     */
    SmtpSettings open(SmtpSettings stored) {
        String sealed = stored.password();
        if (sealed == null || sealed.isEmpty()) return stored;
        String opened = bySealed.get(sealed);
        if (opened == null) {
            opened = sealer.open(sealed, SmtpSettings.PASSWORD_SEAL_PURPOSE);
            if (bySealed.size() >= MAX_ENTRIES) bySealed.clear();
            bySealed.put(sealed, opened);
        }
        return stored.withPassword(opened);
    }
}
