package dev.mailroom.core.sender;

import dev.mailroom.core.net.HostLiteral;

/**
 * How to reach a sender's SMTP server. As stored, {@code password} is sealed under {@link #PASSWORD_SEAL_PURPOSE}
 * (I19); it never appears in {@link #toString()} (I14). {@code allowPlaintextAuth}: the admin accepts that AUTH
 * goes in clear ({@code tls} none) to a relay that is not on this machine; without it that is refused.
 */
public record SmtpSettings(String host, int port, Tls tls, String username, String password, boolean allowPlaintextAuth) {
    public static final String PASSWORD_SEAL_PURPOSE = "smtp_password";

    /** The same settings with another password (sealed or opened, as the caller needs). */
    public SmtpSettings withPassword(String newPassword) {
        return new SmtpSettings(host, port, tls, username, newPassword, allowPlaintextAuth);
    }

    /**
     * AUTH (there is a username) over an unencrypted connection to a relay off this machine, not allowed by the
     * sender: the password would cross the network in clear, so it is never sent.
     */
    public boolean refusesPlaintextAuth() {
        return tls == Tls.NONE && username != null && !allowPlaintextAuth && !HostLiteral.isLoopback(host);
    }

    /** Whether the password would go somewhere else than with {@code before}: another relay, account, or in clear. */
    public boolean movesPasswordFrom(SmtpSettings before) {
        return !host.equalsIgnoreCase(before.host) || port != before.port || tls != before.tls
                || !java.util.Objects.equals(username, before.username) || (allowPlaintextAuth && !before.allowPlaintextAuth);
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
                + (username == null ? "none" : "set") + ", password=" + (password == null ? "none" : "***")
                + ", allowPlaintextAuth=" + allowPlaintextAuth + "]";
    }
}
