package dev.mailroom.core.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DkimNamesTest {
    @Test
    void the_signing_domain_is_the_from_domain_or_a_parent_on_a_label_boundary() {
        assertThat(DkimNames.domainProblem("example.com", "example.com")).isEmpty();
        assertThat(DkimNames.domainProblem("example.com", "mail.example.com")).isEmpty();
        assertThat(DkimNames.domainProblem("mail.example.com", "example.com")).get().asString().contains("DMARC");
        assertThat(DkimNames.domainProblem("ample.com", "example.com")).get().asString().contains("DMARC");
        assertThat(DkimNames.domainProblem("com", "example.com")).get().asString().contains("domain name");
        assertThat(DkimNames.domainProblem("exa_mple.com", "exa_mple.com")).get().asString().contains("domain name");
    }

    @Test
    void a_selector_is_dns_labels_of_at_most_63_characters() {
        assertThat(DkimNames.selectorProblem("mr1")).isEmpty();
        assertThat(DkimNames.selectorProblem("2026-12.mail")).isEmpty();
        assertThat(DkimNames.selectorProblem("-mr1")).isPresent();
        assertThat(DkimNames.selectorProblem("mr1.")).isPresent();
        assertThat(DkimNames.selectorProblem("a".repeat(64))).isPresent();
        assertThat(DkimNames.selectorProblem("")).isPresent();
    }
}
