package dev.mailroom.core.delivery;

import dev.mailroom.core.defer.DeferReason;
import java.util.Locale;

/**
 * What went wrong between us and a relay, named: a stable code the API shows ({@link #wire()}) and a sentence
 * for people ({@link #describe(String)}). A fault is either no SMTP conversation at all (nothing listens, no
 * answer in time, TLS or DNS failed), a refusal of us by the relay (our credentials, our sender, a 4xx/5xx
 * before we said who we are), or this side refusing to use the settings — never a reply about a recipient.
 */
public enum RelayFault {
    UNKNOWN_HOST("The mail server's host name was not found (DNS): check its spelling.", false),
    CONNECTION_REFUSED("Nothing accepted the connection (connection refused): the mail server is not running on this "
            + "host and port, or a firewall rejects it.", false),
    CONNECTION_TIMEOUT("The mail server did not answer in time (timed out): a firewall may drop the connection, "
            + "or the host or port is wrong.", false),
    NETWORK_UNREACHABLE("There is no network route to the mail server's host.", false),
    TLS_FAILED("The TLS handshake failed: the server's certificate or host name is not trusted, or it does not "
            + "speak TLS as this sender's encryption setting expects", true),
    NOT_SMTP("Something answered, but it is not a mail server (its greeting is not SMTP): check the port.", false),
    CONNECTION_CLOSED("The mail server closed the connection before answering.", false),
    /** The connection broke after the message went out: the server may or may not have it (I7). */
    CONNECTION_LOST("The connection to the mail server was lost after the message was sent.", false),
    AUTH_REFUSED("The mail server refused this sender's username or password", true),
    SENDER_REFUSED("The mail server refused this sender's From address", true),
    /** A 4xx/5xx before we said who we are (a 554 or 421 greeting): the server answered, and said no. */
    SMTP_REPLY("The mail server answered, refusing the connection", true),
    /** This side refused to use the settings (a password or DKIM key it cannot open, AUTH in clear). */
    SETTINGS_UNUSABLE("Nothing was sent: this sender's settings cannot be used", true),
    CONNECTION_FAILED("The connection to the mail server failed", true);

    private final String sentence;
    /** Whether our words for the specific case (a reply code, which TLS step) add to the sentence. */
    private final boolean withReply;

    RelayFault(String sentence, boolean withReply) {
        this.sentence = sentence;
        this.withReply = withReply;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Null for null or a code no version wrote. */
    public static RelayFault fromWire(String s) {
        if (s == null) return null;
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The sentence people read, with {@code reply} (our own words, e.g. "535 5.7.8 authentication failed",
     * never a server's text: I15) where the specific case matters.
     */
    public String describe(String reply) {
        if (!withReply || reply == null || reply.isBlank()) return withReply ? sentence + "." : sentence;
        return sentence + ": " + reply + ".";
    }

    /**
     * The fault of a relay refusal known only by its wait and its code: the server's refusal of our credentials
     * or sender, a reply before either, or — without any code — this side refusing the settings, or a connection
     * that failed for a reason nobody named.
     */
    static RelayFault of(DeferReason reason, int code) {
        return switch (reason) {
            case SMTP_AUTH -> AUTH_REFUSED;
            case SENDER_REFUSED -> code > 0 ? SENDER_REFUSED : SETTINGS_UNUSABLE;
            default -> code > 0 ? SMTP_REPLY : CONNECTION_FAILED;
        };
    }
}
