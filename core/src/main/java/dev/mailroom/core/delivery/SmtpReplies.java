package dev.mailroom.core.delivery;

import dev.mailroom.core.defer.DeferReason;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * I15, the one home of the rules: what an SMTP refusal refuses. The stage decides first, then the
 * enhanced status code, then the text. Only a refusal of the mailbox itself, at RCPT, is about the
 * recipient's address; a refusal of our credentials or our sender waits at the sender level; everything
 * else refuses this message on this route and never suppresses anyone.
 *
 * <p>The outcome keeps the reply code, the enhanced status code that follows it, and our words for what
 * was refused ("550 5.1.1 mailbox refused"), never the server's text: whatever a relay (or a service that
 * is no relay at all) says must not reach what the API shows. The text is read to decide, then dropped.
 */
public final class SmtpReplies {
    private static final Pattern ENHANCED = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");
    /** The enhanced status code right after the reply code ("550 5.1.1 …", "550-5.1.1 …"), the only one we keep. */
    private static final Pattern LEADING_ENHANCED = Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})\\b");
    /** Texts that say the mailbox does not exist (Yandex: "550 5.7.1 No such user!"). */
    private static final Pattern NO_MAILBOX = Pattern.compile(
            "user unknown|unknown user|no such user|user not found|no such (mailbox|recipient)|mailbox unavailable"
                    + "|mailbox not found|mailbox does not exist|does not exist|doesn't exist|doesn't have an? .*account"
                    + "|recipient not found|address not found|invalid (mailbox|recipient)|account (is )?disabled");
    private static final Pattern NAMES_SENDER = Pattern.compile(
            "sender address rejected|sender verify failed|sender rejected|sender not (allowed|authorized|permitted)"
                    + "|not owned by (the )?(authenticated )?user|from address not (allowed|verified)|send as this sender");
    private static final Pattern NAMES_AUTHENTICATION = Pattern.compile(
            "authentication (required|failed|unsuccessful|credentials)|not authenticated|must authenticate|auth(entication)? is required");

    private SmtpReplies() {}

    /** A refusal the server answered with a code (4xx or 5xx) at {@code stage}. */
    public static DeliveryOutcome refusal(SmtpStage stage, int code, String reply) {
        String text = reply == null ? "" : reply.toLowerCase(Locale.ROOT);
        String enhanced = enhanced(text);
        boolean permanent = code >= 500;
        if (stage == SmtpStage.AUTH || aboutCredentials(stage, code, enhanced, text)) {
            String what = stage != SmtpStage.AUTH ? "authentication required" : permanent ? "authentication failed" : "authentication deferred";
            return relay(permanent ? DeferReason.SMTP_AUTH : DeferReason.TRANSIENT_ERROR, code, ours(code, text, what),
                    RelayFault.AUTH_REFUSED);
        }
        if (stage == SmtpStage.MAIL || namesSender(enhanced, text)) {
            return relay(permanent ? DeferReason.SENDER_REFUSED : DeferReason.TRANSIENT_ERROR, code,
                    ours(code, text, permanent ? "sender refused" : "sender deferred"), RelayFault.SENDER_REFUSED);
        }
        if (stage == SmtpStage.CONNECT) { // e.g. a 554 greeting
            return relay(DeferReason.TRANSIENT_ERROR, code, ours(code, text, "connection refused by the server"),
                    RelayFault.SMTP_REPLY);
        }
        if (!permanent) return new DeliveryOutcome.RetryLater(code, ours(code, text, "message deferred"));
        if (stage == SmtpStage.RCPT && refusesMailbox(enhanced, text)) {
            return new DeliveryOutcome.MailboxRefused(code, ours(code, text, "mailbox refused"));
        }
        return new DeliveryOutcome.MessageRefused(code, ours(code, text, "message refused"));
    }

    /** The relay took the message: {@code 250 2.0.0 accepted}, whatever else its reply said (a queue id, a banner). */
    public static DeliveryOutcome accepted(int code, String reply) {
        String text = reply == null ? "" : reply.toLowerCase(Locale.ROOT);
        return new DeliveryOutcome.Sent(code, ours(code, text, "accepted"));
    }

    /**
     * The server never answered: the connection failed, broke or timed out ({@code fault} says which). Before
     * the whole message went out, nothing was delivered and the relay is unreachable; after it, we cannot know (I7).
     */
    public static DeliveryOutcome noAnswer(boolean messageWritten, RelayFault fault, String detail) {
        return messageWritten ? new DeliveryOutcome.Unknown(0, detail) : relay(DeferReason.TRANSIENT_ERROR, 0, detail, fault);
    }

    /**
     * Before RCPT only (after it, "authentication" means SPF/DKIM/DMARC of the message): 530, or a reply
     * whose code or text is about authenticating us (Office 365's 5.7.57).
     */
    private static boolean aboutCredentials(SmtpStage stage, int code, String enhanced, String text) {
        if (stage != SmtpStage.MAIL && stage != SmtpStage.CONNECT) return false;
        return code == 530 || "5.7.57".equals(enhanced) || "5.7.8".equals(enhanced) || NAMES_AUTHENTICATION.matcher(text).find();
    }

    /** 5.1.7 (bad sender mailbox), 5.1.8 (bad sender system), or the text names the sender. */
    private static boolean namesSender(String enhanced, String text) {
        return enhanced != null && (enhanced.endsWith(".1.7") || enhanced.endsWith(".1.8")) || NAMES_SENDER.matcher(text).find();
    }

    /** 5.1.x (but not the sender's 5.1.7/5.1.8), 5.2.1 (mailbox disabled), or a text saying it does not exist. */
    private static boolean refusesMailbox(String enhanced, String text) {
        if (enhanced != null && (enhanced.startsWith("5.1.") || enhanced.equals("5.2.1"))) return true;
        return NO_MAILBOX.matcher(text).find();
    }

    /** The reply code, the enhanced status code that follows it, and {@code what}: "550 5.1.1 mailbox refused". */
    private static String ours(int code, String text, String what) {
        return prefix(code, text) + what;
    }

    private static String prefix(int code, String text) {
        Matcher m = LEADING_ENHANCED.matcher(text);
        return (code > 0 ? code + " " : "") + (m.find() ? m.group(1) + " " : "");
    }

    private static String enhanced(String text) {
        Matcher m = ENHANCED.matcher(text);
        return m.find() ? m.group() : null;
    }

    private static DeliveryOutcome relay(DeferReason reason, int code, String reply, RelayFault fault) {
        return new DeliveryOutcome.RelayRefused(reason, code, reply, fault);
    }
}
