package dev.mailroom.core.bounce;

/**
 * One address's bounce or complaint, reported after the message left us (by a provider's API or a DSN or
 * ARF report in the bounce mailbox), as {@link LaterBounces} judged it.
 *
 * @param email      the address the report is about, as the report gives it (null when it gives none)
 * @param smtpCode   the remote server's reply code, when the report quotes one
 * @param diagnostic the remote server's words, cleaned and bounded ({@code ReplyText})
 * @param rule       which rule decided, for people reading the event ("dsn 5.1.1 failed: mailbox refused")
 * @param suppresses whether, once matched to a message we sent, it suppresses the address (I13, I15)
 */
public record LaterBounce(String email, BounceType type, Integer smtpCode, String diagnostic, String rule,
                          boolean suppresses) {}
