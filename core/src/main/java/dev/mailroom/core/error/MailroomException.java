package dev.mailroom.core.error;

/** The one unchecked hierarchy of domain errors; only the web tier maps them to HTTP. */
public abstract sealed class MailroomException extends RuntimeException
        permits NotFound, InvalidInput, InvalidTransition, LostClaim {
    protected MailroomException(String message) {
        super(message);
    }
}
