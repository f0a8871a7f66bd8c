package dev.mailroom.db.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.SmtpSettings;
import dev.mailroom.core.webhook.WebhookCall;
import dev.mailroom.db.ScratchDatabase;
import dev.mailroom.testkit.TestServices;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * I19 for rows from before sealing: migration V5 seals the SMTP passwords and webhook secrets stored in clear,
 * leaves sealed and empty ones alone, and the worker's ring opens them to what they were. Runs in a database of
 * its own, migrated up to V4 first, so the shared test database is untouched.
 */
class SealExistingSecretsMigrationTest {
    private static final String NAME = "i19_v5_migration";
    private static final KeyRing RING = KeyRing.parse(TestServices.SECRET_KEY);
    private static final SecretSealer SEALER = new SecretSealer(RING);

    private ScratchDatabase scratch;

    @BeforeEach
    void createDatabase() throws SQLException {
        scratch = new ScratchDatabase(NAME);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (scratch != null) scratch.close();
    }

    @Test
    void I19_migration_V5_seals_smtp_passwords_and_webhook_secrets_stored_in_clear() throws SQLException {
        scratch.flyway().target("4").load().migrate();
        String alreadySealed = SEALER.seal("was-sealed", SmtpSettings.PASSWORD_SEAL_PURPOSE);
        try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
            s.execute("insert into sender (id, name, from_email, smtp_host, smtp_port, hourly_limit, monthly_limit, smtp_password) values "
                    + "(1, 'a', 'a@example.com', 'h', 25, 1, 1, 'clear-pw'), (2, 'b', 'b@example.com', 'h', 25, 1, 1, null), "
                    + "(3, 'c', 'c@example.com', 'h', 25, 1, 1, ''), (4, 'd', 'd@example.com', 'h', 25, 1, 1, '" + alreadySealed + "')");
            s.execute("insert into webhook_endpoint (id, url, secret) values (1, 'http://127.0.0.1:9/h', 'clear-secret')");
        }

        scratch.flyway().load().migrate();

        try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("select id, smtp_password from sender order by id");
            rs.next();
            String sealed = rs.getString(2);
            assertThat(sealed).startsWith("v1:t1:").doesNotContain("clear-pw");
            assertThat(SEALER.open(sealed, SmtpSettings.PASSWORD_SEAL_PURPOSE)).isEqualTo("clear-pw");
            rs.next();
            assertThat(rs.getString(2)).as("no password stays none").isNull();
            rs.next();
            assertThat(rs.getString(2)).as("an empty password is no secret").isEmpty();
            rs.next();
            assertThat(rs.getString(2)).as("already sealed: left as it is").isEqualTo(alreadySealed);

            rs = s.executeQuery("select secret from webhook_endpoint");
            rs.next();
            assertThat(rs.getString(1)).startsWith("v1:t1:").doesNotContain("clear-secret");
            assertThat(SEALER.open(rs.getString(1), WebhookCall.SECRET_SEAL_PURPOSE)).isEqualTo("clear-secret");

            rs = s.executeQuery("select description from flyway_schema_history where version = '5'");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("seal existing secrets");
        }
        assertThat(scratch.flyway().load().info().pending()).isEmpty();
    }
}
