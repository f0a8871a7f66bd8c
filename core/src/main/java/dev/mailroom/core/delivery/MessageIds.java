package dev.mailroom.core.delivery;

import dev.mailroom.core.secret.RecipientTokens.Addressee;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one home of our Message-IDs: {@code <mr.{campaign}.{recipient}@{from domain}>}, test emails
 * {@code <mr.test.{id}@…>}. The same addressee always gets the same id, so a receiver can de-duplicate a
 * retry; a bounce report's id reads back to whom it was about. The ids are not signed: a match found this
 * way is confirmed against the stored Message-ID and address.
 */
public final class MessageIds {
    private static final Pattern OURS = Pattern.compile("<?mr\\.(test|\\d{1,18})\\.(\\d{1,18})@[^>\\s]+>?");

    private MessageIds() {}

    public static String of(Addressee who, String fromDomain) {
        return "<mr." + (who.isTestEmail() ? "test" : Long.toString(who.campaignId())) + "." + who.id() + "@" + fromDomain + ">";
    }

    public static Optional<Addressee> parse(String messageId) {
        if (messageId == null) return Optional.empty();
        Matcher m = OURS.matcher(messageId.trim());
        if (!m.matches()) return Optional.empty();
        long id = Long.parseLong(m.group(2));
        if ("test".equals(m.group(1))) return Optional.of(Addressee.testEmail(id));
        long campaign = Long.parseLong(m.group(1));
        return campaign == 0 ? Optional.empty() : Optional.of(Addressee.recipient(campaign, id));
    }

    /** {@code <…>} whatever the report did with the angle brackets, so it compares with the stored one. */
    public static String bracketed(String messageId) {
        if (messageId == null || messageId.isBlank()) return null;
        String s = messageId.trim();
        if (!s.startsWith("<")) s = "<" + s;
        if (!s.endsWith(">")) s = s + ">";
        return s;
    }
}
