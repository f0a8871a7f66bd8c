package dev.mailroom.core.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.sender.SmtpSettings.Tls;
import org.junit.jupiter.api.Test;

class SmtpSettingsTest {
    private static SmtpSettings smtp(String host, Tls tls, String username, boolean allowPlaintext) {
        return new SmtpSettings(host, 587, tls, username, "v1:sealed", allowPlaintext);
    }

    @Test
    void auth_in_clear_is_refused_only_off_this_machine_and_only_unless_allowed() {
        assertThat(smtp("smtp.example.com", Tls.NONE, "mailer", false).refusesPlaintextAuth()).isTrue();
        assertThat(smtp("10.0.0.5", Tls.NONE, "mailer", false).refusesPlaintextAuth()).isTrue();
        assertThat(smtp("smtp.example.com", Tls.NONE, "mailer", true).refusesPlaintextAuth()).as("allowed").isFalse();
        assertThat(smtp("smtp.example.com", Tls.STARTTLS, "mailer", false).refusesPlaintextAuth()).isFalse();
        assertThat(smtp("smtp.example.com", Tls.TLS, "mailer", false).refusesPlaintextAuth()).isFalse();
        assertThat(smtp("smtp.example.com", Tls.NONE, null, false).refusesPlaintextAuth()).as("no AUTH").isFalse();
        for (String loopback : new String[] {"127.0.0.1", "localhost", "[::1]", "127.0.0.2"}) {
            assertThat(smtp(loopback, Tls.NONE, "mailer", false).refusesPlaintextAuth()).as(loopback).isFalse();
        }
    }

    @Test
    void the_password_moves_with_the_host_port_tls_or_username_or_when_clear_text_is_allowed() {
        SmtpSettings before = smtp("smtp.example.com", Tls.STARTTLS, "mailer", false);
        assertThat(smtp("SMTP.example.com", Tls.STARTTLS, "mailer", false).movesPasswordFrom(before)).isFalse();
        assertThat(before.withPassword("v1:other").movesPasswordFrom(before)).isFalse();
        assertThat(smtp("evil.example.net", Tls.STARTTLS, "mailer", false).movesPasswordFrom(before)).isTrue();
        assertThat(new SmtpSettings("smtp.example.com", 2525, Tls.STARTTLS, "mailer", "v1:sealed", false).movesPasswordFrom(before))
                .isTrue();
        assertThat(smtp("smtp.example.com", Tls.NONE, "mailer", false).movesPasswordFrom(before)).isTrue();
        assertThat(smtp("smtp.example.com", Tls.STARTTLS, "other", false).movesPasswordFrom(before)).isTrue();
        assertThat(smtp("smtp.example.com", Tls.STARTTLS, "mailer", true).movesPasswordFrom(before)).isTrue();
        assertThat(before.movesPasswordFrom(smtp("smtp.example.com", Tls.STARTTLS, "mailer", true)))
                .as("turning clear text off sends it nowhere new").isFalse();
    }
}
