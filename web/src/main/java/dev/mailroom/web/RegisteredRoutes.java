package dev.mailroom.web;

import dev.mailroom.web.auth.Role;
import io.javalin.Javalin;
import io.javalin.security.Roles;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The HTTP routes an app has registered, as its router holds them: the API reference is checked against these. */
final class RegisteredRoutes {
    /** {@code method} upper-case, {@code path} as registered ({@code /api/senders/{id}}), roles by their wire names. */
    record Route(String method, String path, Set<String> roles) {}

    private RegisteredRoutes() {}

    static List<Route> of(Javalin app) {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint)
                .filter(e -> e.method.isHttpMethod())
                .map(e -> new Route(e.method.name(), e.path, roles(e.metadata(Roles.class))))
                .sorted(Comparator.comparing(Route::path).thenComparing(Route::method))
                .toList();
    }

    private static Set<String> roles(Roles roles) {
        Set<String> wire = new TreeSet<>();
        if (roles != null) roles.getRoles().forEach(r -> wire.add(r instanceof Role role ? role.wire() : r.toString()));
        return wire;
    }
}
