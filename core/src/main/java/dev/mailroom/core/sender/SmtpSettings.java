package dev.mailroom.core.sender;

/**
 * How to reach a sender's SMTP server. As stored, {@code password} is sealed under {@link #PASSWORD_SEAL_PURPOSE}
 * (I19); it never appears in {@link #toString()} (I14).
 */
public record SmtpSettings(String host, int port, Tls tls, String username, String password) {
    public static final String PASSWORD_SEAL_PURPOSE = "smtp_password";

    /** The same settings with another password (sealed or opened, as the caller needs). */
    public SmtpSettings withPassword(String newPassword) {
        return new SmtpSettings(host, port, tls, username, newPassword);
    }

    public enum Tls {
        NONE, STARTTLS, TLS;

        public String wire() {
            return name().toLowerCase();
        }

        public static Tls fromWire(String s) {
            return valueOf(s.toUpperCase());
        }
    }

    @Override
    public String toString() {
        return "SmtpSettings[host=" + host + ", port=" + port + ", tls=" + tls + ", username="
                + (username == null ? "none" : "set") + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
