package dev.mailroom.core.error;

import java.util.List;

/** Input that breaks a rule; {@code errors} names each offending field. */
public final class InvalidInput extends MailroomException {
    public record FieldError(String field, String message) {}

    public final List<FieldError> errors;

    public InvalidInput(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid input" : errors.get(0).field() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public static InvalidInput of(String field, String message) {
        return new InvalidInput(List.of(new FieldError(field, message)));
    }
}
