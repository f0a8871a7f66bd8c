package dev.mailroom.db.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * The per-batch statements of the send loop, as SQL text that never changes run over the JDBC connection
 * of {@code ctx} (the transaction's, inside one). Nothing is rendered per batch, and PgJDBC keeps each
 * statement prepared on its connection; rendering them with jOOQ's DSL each time was the largest part of a
 * worker's CPU per batch, because code run once per batch never gets hot in the JIT.
 */
final class FixedSql {
    @FunctionalInterface
    interface Binds {
        void set(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private FixedSql() {}

    /** Binds {@code values} as a {@code text[]} parameter (the statements cast it: {@code ?::text[]}). */
    static void texts(PreparedStatement ps, int index, String[] values) throws SQLException {
        ps.setArray(index, ps.getConnection().createArrayOf("text", values));
    }

    static <T> List<T> list(DSLContext ctx, String sql, Binds binds, Row<T> row) {
        return ctx.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binds.set(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) out.add(row.read(rs));
                    return out;
                }
            }
        });
    }

    static <T> Optional<T> first(DSLContext ctx, String sql, Binds binds, Row<T> row) {
        return ctx.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binds.set(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(row.read(rs)) : Optional.<T>empty();
                }
            }
        });
    }

    static int update(DSLContext ctx, String sql, Binds binds) {
        return ctx.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binds.set(ps);
                return ps.executeUpdate();
            }
        });
    }
}
