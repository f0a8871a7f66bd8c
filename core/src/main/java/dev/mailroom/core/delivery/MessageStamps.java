package dev.mailroom.core.delivery;

import dev.mailroom.core.dkim.OpenedDkimKeys;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.RecipientTokens;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.secret.VerpAddress;

/**
 * What every outgoing message is stamped with besides its content, one per worker process: its one-click
 * unsubscribe link (I18), its VERP envelope sender and the sender's opened DKIM key.
 */
public record MessageStamps(PublicUrl publicUrl, RecipientTokens tokens, VerpAddress verp, OpenedDkimKeys dkimKeys) {
    public static MessageStamps of(KeyRing keys, PublicUrl publicUrl) {
        RecipientTokens tokens = new RecipientTokens(keys);
        return new MessageStamps(publicUrl, tokens, new VerpAddress(tokens), new OpenedDkimKeys(new SecretSealer(keys)));
    }
}
