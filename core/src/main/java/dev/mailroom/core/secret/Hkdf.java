package dev.mailroom.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA256 (RFC 5869) with an empty salt; Java 21 has no KDF API of its own. */
final class Hkdf {
    private Hkdf() {}

    static byte[] sha256(byte[] inputKey, String info, int length) {
        try {
            byte[] prk = hmac(new byte[32], inputKey);
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            byte[] infoBytes = info.getBytes(StandardCharsets.UTF_8);
            for (int done = 0, counter = 1; done < length; counter++) {
                byte[] input = new byte[block.length + infoBytes.length + 1];
                System.arraycopy(block, 0, input, 0, block.length);
                System.arraycopy(infoBytes, 0, input, block.length, infoBytes.length);
                input[input.length - 1] = (byte) counter;
                block = hmac(prk, input);
                int n = Math.min(block.length, length - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
