package dev.mailroom.web.api;

import dev.mailroom.core.dkim.DkimKeys;
import dev.mailroom.core.dkim.DkimNames;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.DkimKey;
import dev.mailroom.core.sender.Sender;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sender's DKIM key as the API handles it: generated or imported, checked (names, DMARC alignment with
 * the From domain, at least 1024 bits), sealed before it is stored (I19), and shown as the DNS record to
 * publish — never as the key itself.
 */
final class SenderDkim {
    /** POST /api/senders/{id}/dkim. */
    record Generate(String domain, String selector) {}

    /** The {@code dkim} object of PATCH /api/senders/{id}. */
    record Import(String domain, String selector, String privateKey) {}

    /** What a sender view shows of its key. */
    record DkimView(String domain, String selector, String dnsName, String dnsTxt) {}

    /** The key's names, normalised (lower-case). */
    private record Names(String domain, String selector) {}

    private static final int MAX_CACHED_VIEWS = 1000;

    private final SecretSealer sealer;
    /** dns_txt by sealed key: deriving it means opening the key, which a listing should not do per sender each time. */
    private final Map<String, String> dnsTxtBySealed = new ConcurrentHashMap<>();

    SenderDkim(SecretSealer sealer) {
        this.sealer = sealer;
    }

    DkimKey generate(Generate r, Sender sender) {
        Validation v = new Validation();
        Names names = names(v, "", r.domain(), r.selector(), sender);
        v.throwIfAny();
        return seal(names, DkimKeys.generatePem());
    }

    DkimKey importKey(Import r, Sender sender) {
        Validation v = new Validation();
        Names names = names(v, "dkim.", r.domain(), r.selector(), sender);
        try {
            DkimKeys.parsePem(r.privateKey());
        } catch (DkimKeys.InvalidKey e) {
            v.error("dkim.private_key", e.getMessage());
        }
        v.throwIfAny();
        return seal(names, r.privateKey().strip() + "\n");
    }

    /** A From address that moves away from the key's domain would leave every signature unaligned. */
    void checkStillAligned(Sender s) {
        if (s.dkim() != null && !DkimNames.aligned(s.dkim().domain(), s.fromDomain())) {
            new Validation().error("from_email", "its domain " + s.fromDomain() + " is not covered by the DKIM domain "
                    + s.dkim().domain() + "; change or remove the DKIM key in the same request").throwIfAny();
        }
    }

    /** Null for a sender that does not sign; {@code dns_txt} is null only when the stored key cannot be opened. */
    DkimView view(DkimKey k) {
        if (k == null) return null;
        String txt = dnsTxtBySealed.get(k.sealedPrivateKey());
        if (txt == null) {
            try {
                txt = DkimKeys.dnsTxt(DkimKeys.parsePem(sealer.open(k.sealedPrivateKey(), DkimKey.SEAL_PURPOSE)));
            } catch (SecretSealer.SealedSecretUnreadable | DkimKeys.InvalidKey e) {
                return new DkimView(k.domain(), k.selector(), k.dnsName(), null);
            }
            if (dnsTxtBySealed.size() >= MAX_CACHED_VIEWS) dnsTxtBySealed.clear();
            dnsTxtBySealed.put(k.sealedPrivateKey(), txt);
        }
        return new DkimView(k.domain(), k.selector(), k.dnsName(), txt);
    }

    private static Names names(Validation v, String prefix, String rawDomain, String rawSelector, Sender sender) {
        String domain = DkimNames.normalise(rawDomain);
        String selector = DkimNames.normalise(rawSelector);
        DkimNames.domainProblem(domain, sender.fromDomain()).ifPresent(m -> v.error(prefix + "domain", m));
        DkimNames.selectorProblem(selector).ifPresent(m -> v.error(prefix + "selector", m));
        return new Names(domain, selector);
    }

    private DkimKey seal(Names names, String pem) {
        RSAPrivateCrtKey parsed = DkimKeys.parsePem(pem); // the view derives its record from what is stored
        String sealed = sealer.seal(pem, DkimKey.SEAL_PURPOSE);
        dnsTxtBySealed.put(sealed, DkimKeys.dnsTxt(parsed));
        return new DkimKey(names.domain(), names.selector(), sealed);
    }
}
