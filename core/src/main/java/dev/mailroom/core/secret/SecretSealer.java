package dev.mailroom.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets at rest (I19): AES-256-GCM under the purpose's subkey of the ring's current key, stored as
 * {@code v1:<kid>:<base64url(nonce ‖ ciphertext ‖ tag)>}. The purpose (say {@code dkim_private_key}) is also
 * the associated data, so a sealed value copied into another column does not open.
 */
public final class SecretSealer {
    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyRing ring;

    public SecretSealer(KeyRing ring) {
        this.ring = ring;
    }

    public String seal(String plaintext, String purpose) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, ring.currentSubkey("seal/" + purpose), nonce,
                plaintext.getBytes(StandardCharsets.UTF_8), purpose);
        byte[] out = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
        return PREFIX + ring.currentKid() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** The plaintext; throws {@link SealedSecretUnreadable} when the key is gone or the value was altered. */
    public String open(String sealed, String purpose) {
        if (sealed == null || !sealed.startsWith(PREFIX)) throw new SealedSecretUnreadable(purpose, "it is not sealed");
        int colon = sealed.indexOf(':', PREFIX.length());
        if (colon < 0) throw new SealedSecretUnreadable(purpose, "it is malformed");
        String kid = sealed.substring(PREFIX.length(), colon);
        byte[] key = ring.subkey(kid, "seal/" + purpose)
                .orElseThrow(() -> new SealedSecretUnreadable(purpose, "key " + kid + " is no longer in " + KeyRing.VARIABLE));
        byte[] all;
        try {
            all = Base64.getUrlDecoder().decode(sealed.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new SealedSecretUnreadable(purpose, "it is malformed");
        }
        if (all.length <= NONCE_BYTES) throw new SealedSecretUnreadable(purpose, "it is malformed");
        byte[] nonce = java.util.Arrays.copyOf(all, NONCE_BYTES);
        byte[] body = java.util.Arrays.copyOfRange(all, NONCE_BYTES, all.length);
        try {
            return new String(crypt(Cipher.DECRYPT_MODE, key, nonce, body, purpose), StandardCharsets.UTF_8);
        } catch (IllegalStateException e) {
            throw new SealedSecretUnreadable(purpose, "it does not open under key " + kid);
        }
    }

    /** Whether {@code value} is sealed (as opposed to a legacy plaintext column value). */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** The kid a sealed value is sealed under, or null when {@code value} is not sealed or malformed. */
    public static String kidOf(String value) {
        if (!isSealed(value)) return null;
        int colon = value.indexOf(':', PREFIX.length());
        return colon < 0 ? null : value.substring(PREFIX.length(), colon);
    }

    private static byte[] crypt(int mode, byte[] key, byte[] nonce, byte[] input, String purpose) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /** A stored secret that cannot be opened; the message never holds the secret itself. */
    public static final class SealedSecretUnreadable extends RuntimeException {
        public SealedSecretUnreadable(String purpose, String why) {
            super("sealed " + purpose + " cannot be opened: " + why);
        }
    }
}
