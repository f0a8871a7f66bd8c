package dev.mailroom.core.dkim;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names a DKIM key hangs on. The selector is one or more DNS labels; the signing domain must be the
 * From domain or a parent of it, else DMARC does not count the signature as aligned and it buys nothing.
 */
public final class DkimNames {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    public static final int MAX_SELECTOR = 63;
    public static final int MAX_DOMAIN = 253;

    private DkimNames() {}

    public static String normalise(String name) {
        return name == null ? null : name.strip().toLowerCase(Locale.ROOT);
    }

    /** Why {@code selector} (normalised) is not usable, or empty when it is. */
    public static Optional<String> selectorProblem(String selector) {
        if (selector == null || selector.isEmpty()) return Optional.of("is required");
        if (selector.length() > MAX_SELECTOR) return Optional.of("must be at most " + MAX_SELECTOR + " characters");
        return labels(selector) ? Optional.empty() : Optional.of("must be DNS labels (letters, digits, hyphens) joined by dots, like mr1");
    }

    /** Why {@code domain} (normalised) is not usable for a sender whose From domain is {@code fromDomain}. */
    public static Optional<String> domainProblem(String domain, String fromDomain) {
        if (domain == null || domain.isEmpty()) return Optional.of("is required");
        if (domain.length() > MAX_DOMAIN || !labels(domain) || domain.indexOf('.') < 0) {
            return Optional.of("must be a domain name like example.com");
        }
        if (!aligned(domain, fromDomain)) {
            return Optional.of("must be the From domain " + fromDomain + " or a parent of it (DMARC alignment)");
        }
        return Optional.empty();
    }

    public static boolean aligned(String domain, String fromDomain) {
        return fromDomain.equals(domain) || fromDomain.endsWith("." + domain);
    }

    private static boolean labels(String name) {
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) return false;
        }
        return true;
    }
}
