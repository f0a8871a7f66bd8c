package dev.mailroom.core.dkim;

import java.security.interfaces.RSAPrivateCrtKey;

/** An opened DKIM key, ready to sign: {@code d=} domain, {@code s=} selector. Never printed (I14). */
public record DkimSigningKey(String domain, String selector, RSAPrivateCrtKey privateKey) {
    @Override
    public String toString() {
        return "DkimSigningKey[domain=" + domain + ", selector=" + selector + "]";
    }
}
