package dev.mailroom.core.secret;

import dev.mailroom.core.secret.RecipientTokens.Addressee;
import dev.mailroom.core.secret.RecipientTokens.Purpose;
import java.util.Locale;
import java.util.Optional;

/**
 * The per-message envelope sender (Return-Path) of a sender with a bounce domain:
 * {@code bounces+<token>@<bounce domain>}, whose signed token names the recipient, so a bounce that comes
 * back names whom it is about even when the report itself does not (VERP).
 */
public final class VerpAddress {
    private static final String LOCAL_PREFIX = "bounces+";

    private final RecipientTokens tokens;

    public VerpAddress(RecipientTokens tokens) {
        this.tokens = tokens;
    }

    public String of(Addressee who, String bounceDomain) {
        return LOCAL_PREFIX + tokens.issue(Purpose.BOUNCE, who) + "@" + bounceDomain.toLowerCase(Locale.ROOT);
    }

    /** The addressee named by a VERP address of ours (any case, angle brackets allowed); empty otherwise. */
    public Optional<Addressee> parse(String address) {
        if (address == null) return Optional.empty();
        String a = address.trim().toLowerCase(Locale.ROOT);
        if (a.startsWith("<") && a.endsWith(">")) a = a.substring(1, a.length() - 1);
        int at = a.lastIndexOf('@');
        if (!a.startsWith(LOCAL_PREFIX) || at < 0) return Optional.empty();
        return tokens.verify(Purpose.BOUNCE, a.substring(LOCAL_PREFIX.length(), at));
    }
}
