package dev.mailroom.core.dkim;

import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.DkimKey;
import dev.mailroom.core.sender.Sender;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens each sender's sealed DKIM key once and keeps it while the stored key stays the same: unsealing and
 * parsing an RSA key costs far more than a message, and the sender is re-read every batch. A changed or
 * removed key is noticed at the next batch, as every other sender setting is.
 */
public final class OpenedDkimKeys {
    private record Opened(DkimKey stored, DkimSigningKey key) {}

    private final SecretSealer sealer;
    private final Map<Long, Opened> bySender = new ConcurrentHashMap<>();

    public OpenedDkimKeys(SecretSealer sealer) {
        this.sealer = sealer;
    }

    /**
     * The sender's signing key, or null when it does not sign. Throws {@link SecretSealer.SealedSecretUnreadable}
     * when the key cannot be opened: its mail must not leave unsigned.
     */
    public DkimSigningKey forSender(Sender sender) {
        DkimKey stored = sender.dkim();
        if (stored == null) {
            bySender.remove(sender.id());
            return null;
        }
        Opened o = bySender.get(sender.id());
        if (o != null && o.stored().equals(stored)) return o.key();
        DkimSigningKey key;
        try {
            key = new DkimSigningKey(stored.domain(), stored.selector(),
                    DkimKeys.parsePem(sealer.open(stored.sealedPrivateKey(), DkimKey.SEAL_PURPOSE)));
        } catch (DkimKeys.InvalidKey e) {
            throw new SecretSealer.SealedSecretUnreadable(DkimKey.SEAL_PURPOSE, "the key inside " + e.getMessage());
        }
        bySender.put(sender.id(), new Opened(stored, key));
        return key;
    }
}
