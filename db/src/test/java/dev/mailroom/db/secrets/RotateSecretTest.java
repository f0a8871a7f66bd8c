package dev.mailroom.db.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.db.RotateSecretMain;
import dev.mailroom.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** I19 key rotation: {@code scripts/mailroom rotate-secret} re-seals every sealed column under the ring's first key. */
@ExtendWith(PostgresExtension.class)
class RotateSecretTest {
    private static final String K1 = "k1:" + Base64.getEncoder().encodeToString("rotation-test-key-number-one-32b".getBytes());
    private static final String K2 = "k2:" + Base64.getEncoder().encodeToString("rotation-test-key-number-two-32b".getBytes());

    private static final Map<SealedColumns.Column, String> PLAIN = Map.of(
            SealedColumns.SMTP_PASSWORD, "smtp-pw", SealedColumns.DKIM_PRIVATE_KEY, "-----BEGIN PRIVATE KEY-----",
            SealedColumns.BOUNCE_IMAP_PASSWORD, "imap-pw", SealedColumns.WEBHOOK_SECRET, "hook-secret");

    private void insertSealedUnder(KeyRing ring) throws SQLException {
        SecretSealer k1 = new SecretSealer(ring);
        try (Connection c = PostgresExtension.dataSource().getConnection();
             PreparedStatement sender = c.prepareStatement("insert into sender (name, from_email, smtp_host, smtp_port, "
                     + "hourly_limit, monthly_limit, smtp_password, dkim_domain, dkim_selector, dkim_private_key, bounce_imap_password) "
                     + "values (?, 'a@example.com', 'h', 25, 1, 1, ?, 'example.com', 's1', ?, ?)");
             PreparedStatement hook = c.prepareStatement("insert into webhook_endpoint (url, secret) values ('http://127.0.0.1:9/h', ?)")) {
            for (int i = 0; i < 2; i++) {
                sender.setString(1, "s" + i);
                sender.setString(2, k1.seal(PLAIN.get(SealedColumns.SMTP_PASSWORD), SealedColumns.SMTP_PASSWORD.purpose()));
                sender.setString(3, k1.seal(PLAIN.get(SealedColumns.DKIM_PRIVATE_KEY), SealedColumns.DKIM_PRIVATE_KEY.purpose()));
                sender.setString(4, k1.seal(PLAIN.get(SealedColumns.BOUNCE_IMAP_PASSWORD), SealedColumns.BOUNCE_IMAP_PASSWORD.purpose()));
                sender.executeUpdate();
            }
            hook.setString(1, k1.seal(PLAIN.get(SealedColumns.WEBHOOK_SECRET), SealedColumns.WEBHOOK_SECRET.purpose()));
            hook.executeUpdate();
        }
    }

    private static List<String> values(SealedColumns.Column column) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = PostgresExtension.dataSource().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("select " + column.column() + " from " + column.table() + " order by id")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    @Test
    void I19_rotate_secret_reseals_every_sealed_column_under_the_first_key_so_the_old_key_can_leave() throws SQLException {
        insertSealedUnder(KeyRing.parse(K1));

        Map<SealedColumns.Column, Integer> counts = RotateSecretMain.rotate(PostgresExtension.dataSource(), KeyRing.parse(K2 + "," + K1));

        assertThat(counts).containsEntry(SealedColumns.SMTP_PASSWORD, 2).containsEntry(SealedColumns.DKIM_PRIVATE_KEY, 2)
                .containsEntry(SealedColumns.BOUNCE_IMAP_PASSWORD, 2).containsEntry(SealedColumns.WEBHOOK_SECRET, 1);
        SecretSealer k2Alone = new SecretSealer(KeyRing.parse(K2));
        for (SealedColumns.Column column : SealedColumns.ALL) {
            assertThat(values(column)).as(column.toString()).isNotEmpty().allSatisfy(v -> {
                assertThat(v).startsWith("v1:k2:");
                assertThat(k2Alone.open(v, column.purpose())).isEqualTo(PLAIN.get(column));
            });
        }
        assertThat(RotateSecretMain.rotate(PostgresExtension.dataSource(), KeyRing.parse(K2 + "," + K1)).values())
                .as("a second run finds nothing left under k1").containsOnly(0);
    }

    @Test
    void I19_a_value_no_key_of_the_ring_opens_aborts_the_rotation_and_changes_nothing() throws SQLException {
        insertSealedUnder(KeyRing.parse(K1));
        try (Connection c = PostgresExtension.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("update webhook_endpoint set secret = '" + new SecretSealer(KeyRing.generated("lost"))
                    .seal("x", SealedColumns.WEBHOOK_SECRET.purpose()) + "'");
        }
        List<String> before = values(SealedColumns.SMTP_PASSWORD);

        assertThatThrownBy(() -> RotateSecretMain.rotate(PostgresExtension.dataSource(), KeyRing.parse(K2 + "," + K1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("webhook_endpoint.secret")
                .hasMessageContaining("key lost is no longer in MAILROOM_SECRET_KEY");
        assertThat(values(SealedColumns.SMTP_PASSWORD)).as("rolled back").isEqualTo(before);
    }
}
