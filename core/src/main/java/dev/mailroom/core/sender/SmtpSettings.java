package dev.mailroom.core.sender;

/** How to reach a sender's SMTP server. The password never appears in {@link #toString()} (I14). */
public record SmtpSettings(String host, int port, Tls tls, String username, String password) {
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
