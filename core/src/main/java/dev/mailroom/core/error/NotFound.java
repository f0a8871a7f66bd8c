package dev.mailroom.core.error;

public final class NotFound extends MailroomException {
    public final String what;
    public final Object id;

    public NotFound(String what, Object id) {
        super(what + " " + id + " not found");
        this.what = what;
        this.id = id;
    }
}
