package dev.mailroom.db.postgres;

/**
 * A validated recipient: {@code email} already normalised (EmailAddress), {@code varsJson} a JSON object
 * of strings or null. {@code line} is where it came from (1-based), used to keep the upload's order.
 */
public record NewRecipient(long line, String email, String name, String varsJson) {}
