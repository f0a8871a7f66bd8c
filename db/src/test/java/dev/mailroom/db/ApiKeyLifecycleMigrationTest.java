package dev.mailroom.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V6 on keys stored by earlier versions: the keys they made from MAILROOM_ADMIN_KEY become bootstrap keys
 * (so the next web start revokes all but the current one), and the role check admits {@code ingest}. Runs in a
 * database of its own, migrated up to V5 first.
 */
class ApiKeyLifecycleMigrationTest {
    private static final String NAME = "v6_api_key_lifecycle";

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
    void marks_the_keys_made_from_MAILROOM_ADMIN_KEY_as_bootstrap_keys_and_admits_the_ingest_role() throws SQLException {
        scratch.flyway().target("5").load().migrate();
        try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
            s.execute("insert into api_key (name, role, key_hash) values ('admin (MAILROOM_ADMIN_KEY)', 'admin', 'h1'), "
                    + "('admin (MAILROOM_ADMIN_KEY)', 'admin', 'h2'), ('ops', 'admin', 'h3')");
        }
        scratch.flyway().target("6").load().migrate();
        try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("select key_hash, bootstrap, revoked_at, expires_at, last_used_at from api_key order by id");
            for (String hash : new String[] {"h1", "h2", "h3"}) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(hash);
                assertThat(rs.getBoolean(2)).as(hash).isEqualTo(!hash.equals("h3"));
                assertThat(rs.getObject(3)).isNull();
                assertThat(rs.getObject(4)).isNull();
                assertThat(rs.getObject(5)).isNull();
            }
            s.execute("insert into api_key (name, role, key_hash) values ('provider', 'ingest', 'h4')");
            assertThatThrownBy(() -> s.execute("insert into api_key (name, role, key_hash) values ('x', 'root', 'h5')"))
                    .hasMessageContaining("api_key_role_known");
        }
    }
}
