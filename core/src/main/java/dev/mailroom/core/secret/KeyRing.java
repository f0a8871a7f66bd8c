package dev.mailroom.core.secret;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The server's secret keys, {@code MAILROOM_SECRET_KEY = kid:base64(32 bytes)[,kid:base64…]}. The first key
 * seals new secrets and signs new tokens; every key opens and verifies, so a key can rotate without
 * breaking links already delivered or secrets already stored. Each purpose uses its own HKDF subkey, so a
 * token of one kind is never valid as another. Key bytes never appear in {@link #toString()} (I14).
 */
public final class KeyRing {
    public static final String VARIABLE = "MAILROOM_SECRET_KEY";
    private static final Pattern KID = Pattern.compile("[a-z0-9]{1,16}");
    private static final int KEY_BYTES = 32;

    private final Map<String, byte[]> keys;
    private final Map<String, byte[]> subkeys = new java.util.concurrent.ConcurrentHashMap<>();
    private final String currentKid;

    private KeyRing(Map<String, byte[]> keys) {
        this.keys = keys;
        this.currentKid = keys.keySet().iterator().next();
    }

    /**
     * Reads the ring from the environment. Without {@code MAILROOM_SECRET_KEY} only {@code MAILROOM_ENV=dev}
     * may run, on a random key of this process alone (tokens it signs die with it).
     */
    public static KeyRing fromEnvironment(Map<String, String> env) {
        String value = env.get(VARIABLE);
        if (value != null && !value.isBlank()) return parse(value);
        if ("dev".equals(env.get("MAILROOM_ENV"))) return generated("dev");
        throw new IllegalArgumentException(VARIABLE + " is not set: give it kid:base64(32 random bytes), e.g. k1:"
                + "$(openssl rand -base64 32), or set MAILROOM_ENV=dev for a throw-away development key");
    }

    public static KeyRing parse(String value) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String e = entry.trim();
            int colon = e.indexOf(':');
            if (colon < 0) throw invalid("each key is kid:base64(32 bytes)");
            String kid = e.substring(0, colon);
            if (!KID.matcher(kid).matches()) throw invalid("a kid is 1-16 lower-case letters or digits");
            byte[] key;
            try {
                key = Base64.getDecoder().decode(e.substring(colon + 1).trim());
            } catch (IllegalArgumentException bad) {
                throw invalid("the key of " + kid + " is not base64");
            }
            if (key.length != KEY_BYTES) throw invalid("the key of " + kid + " must be 32 bytes, not " + key.length);
            if (keys.putIfAbsent(kid, key) != null) throw invalid("kid " + kid + " appears twice");
        }
        if (keys.isEmpty()) throw invalid("it holds no key");
        return new KeyRing(keys);
    }

    public static KeyRing generated(String kid) {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return parse(kid + ":" + Base64.getEncoder().encodeToString(key));
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException(VARIABLE + " is invalid: " + why);
    }

    /** The kid new secrets are sealed and new tokens signed with. */
    public String currentKid() {
        return currentKid;
    }

    /** The subkey of {@code purpose} under the current key. */
    byte[] currentSubkey(String purpose) {
        return derived(currentKid, keys.get(currentKid), purpose);
    }

    /** The subkey of {@code purpose} under {@code kid}, if the ring still holds that key. */
    Optional<byte[]> subkey(String kid, String purpose) {
        byte[] key = keys.get(kid);
        return key == null ? Optional.empty() : Optional.of(derived(kid, key, purpose));
    }

    /** Derived once per (kid, purpose): every outgoing message signs a token or two with it. */
    private byte[] derived(String kid, byte[] key, String purpose) {
        return subkeys.computeIfAbsent(kid + "\n" + purpose, k -> Hkdf.sha256(key, "mailroom/" + purpose, KEY_BYTES)).clone();
    }

    @Override
    public String toString() {
        return "KeyRing[kids=" + keys.keySet() + "]";
    }
}
