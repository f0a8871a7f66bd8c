package dev.mailroom.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTokenTest {
    private static final String TOKEN = "scrape-token-0123456789";

    @Test
    void without_a_token_anyone_may_scrape() {
        MetricsToken open = MetricsToken.fromEnvironment(Map.of());
        assertThat(open.required()).isFalse();
        assertThat(open.permits(null)).isTrue();
        assertThat(MetricsToken.of("  ").required()).isFalse();
    }

    @Test
    void with_a_token_only_that_bearer_token_may_scrape() {
        MetricsToken t = MetricsToken.fromEnvironment(Map.of("MAILROOM_METRICS_TOKEN", TOKEN));
        assertThat(t.permits("Bearer " + TOKEN)).isTrue();
        assertThat(t.permits("bearer " + TOKEN)).isTrue();
        assertThat(t.permits(null)).isFalse();
        assertThat(t.permits(TOKEN)).isFalse();
        assertThat(t.permits("Bearer " + TOKEN + "x")).isFalse();
        assertThat(t.permits("Bearer " + TOKEN.substring(1))).isFalse();
        assertThat(t.permits("Basic " + TOKEN)).isFalse();
        assertThat(t.toString()).doesNotContain(TOKEN);
    }

    @Test
    void refuses_a_short_token_without_printing_it() {
        assertThatThrownBy(() -> MetricsToken.of("short-one"))
                .hasMessageContaining("MAILROOM_METRICS_TOKEN").hasMessageNotContaining("short-one");
    }
}
