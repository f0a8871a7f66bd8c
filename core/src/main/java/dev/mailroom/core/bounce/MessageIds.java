package dev.mailroom.core.bounce;

import dev.mailroom.core.secret.RecipientTokens.Addressee;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads back the Message-ID our messages carry ({@code <mr.{campaign}.{recipient}@{from domain}>}, test
 * emails {@code <mr.test.{id}@…>}, as MessageFactory writes them) to the addressee it names. The ids are
 * not signed: a match found this way is confirmed against the stored Message-ID and address.
 */
public final class MessageIds {
    private static final Pattern OURS = Pattern.compile("<?mr\\.(test|\\d{1,18})\\.(\\d{1,18})@[^>\\s]+>?");

    private MessageIds() {}

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
