package dev.mailroom.core.sender;

/**
 * A sender's DKIM key as stored: the signing domain ({@code d=}), the selector ({@code s=}) and the private
 * key sealed under purpose {@link #SEAL_PURPOSE} (I19). The sealed text never appears in {@link #toString()}.
 */
public record DkimKey(String domain, String selector, String sealedPrivateKey) {
    public static final String SEAL_PURPOSE = "dkim_private_key";

    /** Where the public key is published: {@code <selector>._domainkey.<domain>}. */
    public String dnsName() {
        return selector + "._domainkey." + domain;
    }

    @Override
    public String toString() {
        return "DkimKey[domain=" + domain + ", selector=" + selector + ", privateKey=***]";
    }
}
