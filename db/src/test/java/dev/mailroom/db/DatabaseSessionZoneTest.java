package dev.mailroom.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every statement of the pool's connections runs in UTC, whichever server connection it lands on: directly, and
 * behind PgBouncer in transaction pooling mode, where the server connections are shared with clients of another zone
 * (the test pool works in Asia/Kathmandu) and the zone is set by a statement, not the refused startup "options".
 */
@ExtendWith(PostgresExtension.class)
class DatabaseSessionZoneTest {
    @Test
    void every_transaction_runs_in_utc_even_on_a_server_connection_another_zone_used() throws SQLException {
        DataSource other = PostgresExtension.dataSource();
        try (Database db = Database.connect(new DbConfig(TestServices.dbUrl(), TestServices.dbUser(), TestServices.dbPassword(), 2),
                "zone-test")) {
            for (int i = 0; i < 10; i++) {
                try (Connection o = other.getConnection(); Statement s = o.createStatement()) {
                    assertThat(zone(s)).isEqualTo("Asia/Kathmandu");
                    assertThat(db.dsl().fetchValue("select current_setting('TimeZone')")).isEqualTo("UTC");
                    // The other client holds a server connection in a transaction while this pool takes another.
                    o.setAutoCommit(false);
                    assertThat(zone(s)).isEqualTo("Asia/Kathmandu");
                    assertThat(db.dsl().fetchValue("select '2024-01-01 00:00:00+00'::timestamptz::text"))
                            .isEqualTo("2024-01-01 00:00:00+00");
                    o.commit();
                }
                db.dsl().transaction(tx -> assertThat(tx.dsl().fetchValue("select current_setting('TimeZone')")).isEqualTo("UTC"));
            }
        }
    }

    private static String zone(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("select current_setting('TimeZone')")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
