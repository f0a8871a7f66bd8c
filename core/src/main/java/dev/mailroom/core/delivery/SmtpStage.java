package dev.mailroom.core.delivery;

/** Where in the SMTP conversation a reply came: the first thing that decides what it refuses (I15). */
public enum SmtpStage {
    /** Greeting, EHLO, STARTTLS: before we said who we are. */
    CONNECT,
    AUTH,
    MAIL,
    RCPT,
    /** The DATA command or the end of the message. */
    DATA
}
