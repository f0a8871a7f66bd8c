package dev.mailroom.worker.webhook;

import dev.mailroom.core.net.EgressPolicy;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The HTTP client's only way from a host to addresses: each connection goes to an address the egress policy
 * has just vetted, never to a second DNS answer (no rebinding between the check and the connect). An address
 * written in the URL comes here too, so it is checked the same way. TLS still verifies the URL's host name.
 */
final class EgressResolver implements SocketAddressResolver {
    private final EgressPolicy policy;
    private final EgressPolicy.Resolver dns;

    EgressResolver(EgressPolicy policy, EgressPolicy.Resolver dns) {
        this.policy = policy;
        this.dns = dns;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        List<InetSocketAddress> vetted;
        try {
            vetted = policy.vet(host, dns).stream().map(a -> new InetSocketAddress(a, port)).toList();
        } catch (Exception e) {
            promise.failed(e);
            return;
        }
        promise.succeeded(vetted);
    }
}
