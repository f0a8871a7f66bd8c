package dev.mailroom.core.bounce;

import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.ReplyText;
import dev.mailroom.core.delivery.SmtpReplies;
import dev.mailroom.core.delivery.SmtpStage;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a bounce or complaint reported after delivery means (I13, I15). A remote server's permanent
 * refusal is judged by the same rules as a refusal at RCPT ({@link SmtpReplies}): only a refusal of the
 * mailbox itself suppresses; a refused message (policy, spam, relaying) is recorded as a hard bounce that
 * suppresses nobody. A delay, or a failure whose status is temporary, is a soft bounce; an ARF abuse report
 * is a complaint, which suppresses.
 */
public final class LaterBounces {
    private static final Pattern REPLY_CODE = Pattern.compile("^([245]\\d\\d)(?:[ -]|$)");
    private static final Pattern STATUS = Pattern.compile("^([245])\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern ENHANCED = Pattern.compile("\\b[245]\\.\\d{1,3}\\.\\d{1,3}\\b");

    private LaterBounces() {}

    /**
     * One recipient block of a DSN (RFC 3464): {@code Action}, {@code Status} and {@code Diagnostic-Code}
     * ("smtp; 550 5.1.1 …"). Empty for an action that is not a bounce (delivered, relayed, expanded).
     */
    public static Optional<LaterBounce> fromDsn(String email, String action, String status, String diagnosticCode) {
        String act = action == null ? "" : action.trim().toLowerCase(Locale.ROOT);
        String st = statusOf(status);
        String diagnostic = ReplyText.clean(withoutType(diagnosticCode));
        Integer code = replyCode(diagnostic);
        String said = "dsn " + (st != null ? st : code != null ? code.toString() : "") + (st != null || code != null ? " " : "");
        if (act.equals("delayed")) return Optional.of(new LaterBounce(email, BounceType.SOFT, code, diagnostic, said + "delayed", false));
        if (!act.equals("failed")) return Optional.empty();
        boolean temporary = st != null ? st.startsWith("4") : code != null && code < 500;
        if (temporary) {
            return Optional.of(new LaterBounce(email, BounceType.SOFT, code, diagnostic, said + "failed: temporary, recorded only", false));
        }
        String text = (diagnostic == null ? "" : diagnostic) + (st == null ? "" : " " + st);
        boolean mailbox = refusesMailbox(code, text);
        return Optional.of(new LaterBounce(email, BounceType.HARD, code, diagnostic,
                said + (mailbox ? "failed: mailbox refused" : "failed: message refused, not suppressed (I15)"), mailbox));
    }

    /** An ARF feedback report (RFC 5965): {@code Feedback-Type: abuse} is a complaint; other types are not ours to act on. */
    public static Optional<LaterBounce> fromFeedback(String email, String feedbackType) {
        String type = feedbackType == null ? "" : feedbackType.trim().toLowerCase(Locale.ROOT);
        if (!type.equals("abuse")) return Optional.empty();
        return Optional.of(new LaterBounce(email, BounceType.COMPLAINT, null, null, "arf abuse", true));
    }

    /**
     * A provider's own report ({@code POST /api/events/bounces}). A hard bounce that quotes a reply is judged
     * by that reply; one that quotes none is taken at the provider's word as a refused mailbox.
     */
    public static LaterBounce reported(String email, BounceType type, Integer smtpCode, String diagnostic) {
        String clean = ReplyText.clean(diagnostic);
        return switch (type) {
            case SOFT -> new LaterBounce(email, type, smtpCode, clean, "api soft", false);
            case COMPLAINT -> new LaterBounce(email, type, smtpCode, clean, "api complaint", true);
            case HARD -> {
                boolean quotesReply = smtpCode != null || (clean != null && ENHANCED.matcher(clean).find());
                boolean mailbox = !quotesReply || refusesMailbox(smtpCode, clean == null ? "" : clean);
                yield new LaterBounce(email, type, smtpCode, clean,
                        mailbox ? "api hard: mailbox refused" : "api hard: message refused, not suppressed (I15)", mailbox);
            }
        };
    }

    /** The remote server refused the recipient as it would at RCPT: the one home of that judgement is {@link SmtpReplies}. */
    private static boolean refusesMailbox(Integer code, String text) {
        int permanent = code != null && code >= 500 ? code : 550;
        return SmtpReplies.refusal(SmtpStage.RCPT, permanent, text) instanceof DeliveryOutcome.MailboxRefused;
    }

    /** "smtp; 550 …" → "550 …" (RFC 3464 diagnostic-type; "X-Postfix;" and the like too), folding undone. */
    private static String withoutType(String diagnosticCode) {
        if (diagnosticCode == null) return null;
        String d = diagnosticCode.replaceAll("\\s+", " ").trim();
        int semi = d.indexOf(';');
        if (semi > 0 && semi < 16 && d.substring(0, semi).trim().matches("[A-Za-z0-9-]+")) return d.substring(semi + 1).trim();
        return d;
    }

    private static String statusOf(String status) {
        if (status == null) return null;
        Matcher m = STATUS.matcher(status.trim());
        return m.find() ? m.group() : null;
    }

    private static Integer replyCode(String diagnostic) {
        if (diagnostic == null) return null;
        Matcher m = REPLY_CODE.matcher(diagnostic);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}
