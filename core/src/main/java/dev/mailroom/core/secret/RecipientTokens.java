package dev.mailroom.core.secret;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Signed, stateless tokens that name one message's addressee: a campaign recipient, or a test email.
 * Nothing is stored per message — the token carries the ids and a 96-bit HMAC under the purpose's subkey
 * of a key ring's key, whose kid it also carries, so tokens survive a key rotation while the old key stays
 * in the ring. The text is {@code <kid>.<base32 lower-case>}: safe in a URL path and, case-insensitively,
 * in a VERP local part ({@code bounces+<token>@…}), which some relays lower-case.
 */
public final class RecipientTokens {
    /** What a token may be used for; a token of one purpose never verifies as another. */
    public enum Purpose {
        UNSUBSCRIBE, BOUNCE;

        String info() {
            return "token/" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** Who a token names: {@code campaignId} 0 is a test email whose id is {@code id}; else a recipient id. */
    public record Addressee(long campaignId, long id) {
        public static Addressee recipient(long campaignId, long recipientId) {
            return new Addressee(campaignId, recipientId);
        }

        public static Addressee testEmail(long testEmailId) {
            return new Addressee(0, testEmailId);
        }

        public boolean isTestEmail() {
            return campaignId == 0;
        }
    }

    private static final int MAC_BYTES = 12;
    private static final int MAX_TOKEN_CHARS = 80;

    private final KeyRing ring;

    public RecipientTokens(KeyRing ring) {
        this.ring = ring;
    }

    public String issue(Purpose purpose, Addressee who) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream(32);
        writeVarLong(payload, who.campaignId());
        writeVarLong(payload, who.id());
        byte[] ids = payload.toByteArray();
        byte[] mac = mac(ring.currentSubkey(purpose.info()), ids);
        byte[] all = Arrays.copyOf(ids, ids.length + MAC_BYTES);
        System.arraycopy(mac, 0, all, ids.length, MAC_BYTES);
        return ring.currentKid() + "." + Base32.encode(all);
    }

    /** The addressee of a genuine token of {@code purpose}; empty for anything altered, foreign or malformed. */
    public Optional<Addressee> verify(Purpose purpose, String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) return Optional.empty();
        String t = token.toLowerCase(Locale.ROOT);
        int dot = t.indexOf('.');
        if (dot <= 0) return Optional.empty();
        Optional<byte[]> key = ring.subkey(t.substring(0, dot), purpose.info());
        byte[] all = Base32.decode(t.substring(dot + 1));
        if (key.isEmpty() || all == null || all.length <= MAC_BYTES) return Optional.empty();
        byte[] ids = Arrays.copyOf(all, all.length - MAC_BYTES);
        byte[] given = Arrays.copyOfRange(all, ids.length, all.length);
        if (!MessageDigest.isEqual(Arrays.copyOf(mac(key.get(), ids), MAC_BYTES), given)) return Optional.empty();
        long[] read = readVarLongs(ids);
        return read == null ? Optional.empty() : Optional.of(new Addressee(read[0], read[1]));
    }

    private static byte[] mac(byte[] key, byte[] data) {
        try {
            return Hkdf.hmac(key, data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static void writeVarLong(ByteArrayOutputStream out, long v) {
        if (v < 0) throw new IllegalArgumentException("ids are not negative");
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Exactly two var-longs, or null. */
    private static long[] readVarLongs(byte[] in) {
        long[] out = new long[2];
        int pos = 0;
        for (int i = 0; i < 2; i++) {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                if (pos >= in.length || shift > 56) return null;
                int b = in[pos++] & 0xFF;
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) break;
            }
            out[i] = v;
        }
        return pos == in.length ? out : null;
    }

    /** RFC 4648 base32, lower-case, unpadded. */
    static final class Base32 {
        private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

        private Base32() {}

        static String encode(byte[] data) {
            StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
            int buffer = 0, bits = 0;
            for (byte b : data) {
                buffer = (buffer << 8) | (b & 0xFF);
                bits += 8;
                while (bits >= 5) {
                    sb.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                    bits -= 5;
                }
            }
            if (bits > 0) sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
            return sb.toString();
        }

        /** Null for a character outside the alphabet or non-zero trailing bits (one text per value). */
        static byte[] decode(String text) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 5 / 8);
            int buffer = 0, bits = 0;
            for (int i = 0; i < text.length(); i++) {
                int v = ALPHABET.indexOf(text.charAt(i));
                if (v < 0) return null;
                buffer = (buffer << 5) | v;
                bits += 5;
                if (bits >= 8) {
                    out.write((buffer >> (bits - 8)) & 0xFF);
                    bits -= 8;
                }
            }
            if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) return null;
            return out.toByteArray();
        }
    }
}
