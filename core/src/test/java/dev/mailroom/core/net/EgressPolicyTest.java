package dev.mailroom.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EgressPolicyTest {
    private static final EgressPolicy POLICY = EgressPolicy.DEFAULT;

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1                 | a loopback address
            127.255.0.9               | a loopback address
            [::1]                     | a loopback address
            0:0:0:0:0:0:0:1           | a loopback address
            [::ffff:127.0.0.1]        | a loopback address
            [::ffff:7f00:1]           | a loopback address
            0.0.0.0                   | an unspecified address
            0.1.2.3                   | an unspecified address
            [::]                      | an unspecified address
            10.0.0.5                  | a private address
            172.16.0.1                | a private address
            172.31.255.255            | a private address
            192.168.1.1               | a private address
            [fc00::1]                 | a private address
            [fd12:3456::1]            | a private address
            [fec0::1]                 | a private address
            [::ffff:10.0.0.5]         | a private address
            100.64.0.1                | a carrier-grade NAT address
            100.127.255.254           | a carrier-grade NAT address
            169.254.169.254           | a cloud metadata address
            [fd00:ec2::254]           | a cloud metadata address
            [::ffff:169.254.169.254]  | a cloud metadata address
            169.254.1.1               | a link-local address
            [fe80::1]                 | a link-local address
            [febf::1]                 | a link-local address
            224.0.0.1                 | a multicast address
            239.255.255.250           | a multicast address
            [ff02::1]                 | a multicast address
            255.255.255.255           | a reserved address
            240.0.0.1                 | a reserved address
            192.0.0.170               | a reserved address
            [::7f00:1]                | a loopback address inside an IPv6 address
            [64:ff9b::a9fe:a9fe]      | a cloud metadata address inside an IPv6 address
            [64:ff9b::10.0.0.1]       | a private address inside an IPv6 address
            [2002:7f00:1::]           | a loopback address inside an IPv6 address
            """)
    void refuses_every_address_that_is_not_public(String host, String kind) {
        assertThat(POLICY.refusalWithoutDns(host)).as(host).hasValueSatisfying(r -> assertThat(r).endsWith(" is " + kind));
        assertThatThrownBy(() -> POLICY.vet(host, noDns())).isInstanceOf(EgressPolicy.Refused.class)
                .hasMessageEndingWith(" is " + kind);
    }

    @ParameterizedTest(name = "{0} may be reached")
    @CsvSource({"93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1",
            "169.253.255.255", "11.0.0.1", "[2606:4700:4700::1111]", "[2001:4860:4860::8888]", "[64:ff9b::808:808]",
            "[::ffff:8.8.8.8]"})
    void lets_public_addresses_through(String host) throws Exception {
        assertThat(POLICY.refusalWithoutDns(host)).as(host).isEmpty();
        assertThat(POLICY.vet(host, noDns())).hasSize(1);
    }

    /**
     * The JDK reads 2130706433 as 127.0.0.1 and 0177.0.0.1 as 177.0.0.1, a C resolver reads the latter (and
     * 0x7f.1) as 127.0.0.1: none of these forms is taken, whatever it would come to.
     */
    @ParameterizedTest(name = "{0} is not a plain address")
    @CsvSource({"2130706433", "0x7f000001", "0x7f.1", "0177.0.0.1", "127.1", "127.0.1", "017700000001", "127.000.000.001",
            "1.2.3.256", "127.0.0.1.", "8.8.8.08", "example.0x10", "host.123"})
    void refuses_numeric_hosts_that_resolvers_read_differently(String host) {
        assertThat(HostLiteral.of(host)).isInstanceOf(HostLiteral.Unclear.class);
        assertThat(POLICY.refusalWithoutDns(host)).hasValueSatisfying(r -> assertThat(r).contains("not a plain dotted-quad"));
        assertThatThrownBy(() -> POLICY.vet(host, noDns())).isInstanceOf(EgressPolicy.Refused.class);
    }

    @Test
    void refuses_malformed_ipv6_without_asking_dns() {
        for (String host : new String[] {"[::1::2]", "[g::1]", "[12345::1]", ":::"}) {
            assertThat(HostLiteral.of(host)).as(host).isInstanceOf(HostLiteral.Unclear.class);
        }
    }

    @Test
    void localhost_and_names_under_it_are_loopback_before_any_dns_answer() {
        for (String host : new String[] {"localhost", "LOCALHOST", "localhost.", "api.localhost"}) {
            assertThat(POLICY.refusalWithoutDns(host)).as(host).hasValueSatisfying(r -> assertThat(r).contains("loopback"));
            assertThat(HostLiteral.isLoopback(host)).as(host).isTrue();
        }
        assertThat(HostLiteral.isLoopback("127.0.0.2")).isTrue();
        assertThat(HostLiteral.isLoopback("[::1]")).isTrue();
        assertThat(HostLiteral.isLoopback("smtp.example.com")).isFalse();
        assertThat(HostLiteral.isLoopback("10.0.0.1")).isFalse();
        assertThat(HostLiteral.isLoopback("localhost.example.com")).isFalse();
        assertThat(HostLiteral.isLoopback("2130706433")).as("unclear is not loopback for certain").isFalse();
    }

    @Test
    void a_host_name_is_decided_by_every_address_it_resolves_to() throws Exception {
        assertThat(POLICY.refusalWithoutDns("hooks.example.com")).as("needs DNS").isEmpty();
        assertThat(POLICY.vet("hooks.example.com", answers("93.184.216.34"))).extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.216.34");
        assertThatThrownBy(() -> POLICY.vet("hooks.example.com", answers("93.184.216.34", "10.0.0.5")))
                .isInstanceOf(EgressPolicy.Refused.class)
                .hasMessage("hooks.example.com resolves to 10.0.0.5, a private address");
        assertThatThrownBy(() -> POLICY.vet("Hooks.Example.COM.", answers("127.0.0.1")))
                .hasMessage("hooks.example.com resolves to 127.0.0.1, a loopback address");
        assertThatThrownBy(() -> POLICY.vet("nowhere.example", host -> new InetAddress[0]))
                .isInstanceOf(UnknownHostException.class);
    }

    @Test
    void an_address_is_never_handed_to_the_resolver() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        EgressPolicy.Resolver counting = host -> {
            asked.incrementAndGet();
            throw new UnknownHostException(host);
        };
        POLICY.vet("8.8.8.8", counting);
        POLICY.vet("[2606:4700:4700::1111]", counting);
        assertThatThrownBy(() -> POLICY.vet("0x7f.1", counting)).isInstanceOf(EgressPolicy.Refused.class);
        assertThat(asked).hasValue(0);
    }

    @Test
    void the_allow_list_opens_address_blocks_and_host_names() throws Exception {
        EgressPolicy policy = EgressPolicy.fromEnvironment(Map.of(EgressPolicy.VARIABLE,
                " 10.1.2.0/24, 127.0.0.1 ,fd12::/16, crm.internal., localhost "));
        assertThat(policy.refusalWithoutDns("10.1.2.200")).isEmpty();
        assertThat(policy.refusalWithoutDns("10.1.3.1")).hasValue("10.1.3.1 is a private address");
        assertThat(policy.refusalWithoutDns("127.0.0.1")).isEmpty();
        assertThat(policy.refusalWithoutDns("127.0.0.2")).isPresent();
        assertThat(policy.refusalWithoutDns("[fd12:ab::1]")).isEmpty();
        assertThat(policy.refusalWithoutDns("[fd13::1]")).isPresent();
        assertThat(policy.refusalWithoutDns("localhost")).isEmpty();
        assertThat(policy.vet("CRM.internal", answers("10.9.9.9"))).extracting(InetAddress::getHostAddress)
                .containsExactly("10.9.9.9");
        assertThatThrownBy(() -> policy.vet("crm2.internal", answers("10.9.9.9"))).isInstanceOf(EgressPolicy.Refused.class);
        assertThat(policy.vet("intranet.example", answers("10.1.2.3"))).hasSize(1);
        assertThat(policy.refusalWithoutDns("2130706433")).as("still unclear, whatever is allowed").isPresent();
    }

    @Test
    void an_allow_list_it_cannot_read_stops_the_process_with_the_variable_named() {
        for (String bad : List.of("10.0.0.0/33", "10.0.0.0/x", "0x7f.1", "not a host", "fe80::/129", "*.example.com")) {
            assertThatThrownBy(() -> EgressPolicy.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(EgressPolicy.VARIABLE);
        }
        assertThat(EgressPolicy.parse(" , ")).isSameAs(EgressPolicy.DEFAULT);
        assertThat(EgressPolicy.fromEnvironment(Map.of())).isSameAs(EgressPolicy.DEFAULT);
    }

    private static EgressPolicy.Resolver noDns() {
        return host -> {
            throw new AssertionError("asked DNS for " + host);
        };
    }

    private static EgressPolicy.Resolver answers(String... addresses) {
        return host -> {
            InetAddress[] out = new InetAddress[addresses.length];
            for (int i = 0; i < addresses.length; i++) out[i] = InetAddress.getByName(addresses[i]);
            return out;
        };
    }
}
