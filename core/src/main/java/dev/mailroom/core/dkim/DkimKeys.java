package dev.mailroom.core.dkim;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * DKIM key material: new RSA-2048 pairs, PKCS#8 PEM in and out, and the public key as the DNS TXT record
 * receivers verify against. The public key is derived from the private one, so only the private key is stored.
 */
public final class DkimKeys {
    public static final int GENERATED_BITS = 2048;
    /** RFC 8301: verifiers must not accept keys under 1024 bits. */
    public static final int MIN_BITS = 1024;
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private DkimKeys() {}

    /** A new RSA-2048 private key as PKCS#8 PEM. */
    public static String generatePem() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(GENERATED_BITS);
            return toPem(g.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation unavailable", e);
        }
    }

    static String toPem(PrivateKey key) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return BEGIN + "\n" + b64 + "\n" + END + "\n";
    }

    /** The RSA key of a PKCS#8 PEM text; {@link InvalidKey} says plainly what is wrong with it. */
    public static RSAPrivateCrtKey parsePem(String pem) {
        if (pem == null || pem.isBlank()) throw new InvalidKey("is required");
        String text = pem.strip();
        if (text.startsWith("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new InvalidKey("is a PKCS#1 key; convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem");
        }
        if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
            throw new InvalidKey("must be an unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidKey("is not valid base64 inside the PEM markers");
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidKey("is not an RSA private key");
        }
        if (!(key instanceof RSAPrivateCrtKey rsa)) throw new InvalidKey("is not an RSA private key with CRT parameters");
        if (rsa.getModulus().bitLength() < MIN_BITS) {
            throw new InvalidKey("has " + rsa.getModulus().bitLength() + " bits; DKIM needs at least " + MIN_BITS);
        }
        return rsa;
    }

    /** The TXT record to publish at the selector's name: {@code v=DKIM1; k=rsa; p=<SubjectPublicKeyInfo>}. */
    public static String dnsTxt(RSAPrivateCrtKey key) {
        BigInteger n = key.getModulus();
        BigInteger e = key.getPublicExponent();
        try {
            byte[] spki = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)).getEncoded();
            return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(spki);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("RSA unavailable", ex);
        }
    }

    /** A private key text that cannot be used; the message says why, never what the key is. */
    public static final class InvalidKey extends IllegalArgumentException {
        public InvalidKey(String why) {
            super(why);
        }
    }
}
