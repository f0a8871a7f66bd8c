package dev.mailroom.core.recipient;

public enum RecipientStatus {
    PENDING, SENDING, SENT, FAILED, UNCERTAIN, SUPPRESSED;

    public String wire() {
        return name().toLowerCase();
    }

    public static RecipientStatus fromWire(String s) {
        return valueOf(s.toUpperCase());
    }
}
