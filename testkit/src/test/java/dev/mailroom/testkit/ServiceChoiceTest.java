package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.testkit.ServiceChoice.Service;
import dev.mailroom.testkit.ServiceChoice.Source;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The choice between the local service, a container and a clear failure (this machine has no Docker). */
class ServiceChoiceTest {
    private static final Service DB = new Service("PostgreSQL", "MAILROOM_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test_x");
    private final AtomicInteger dockerAsked = new AtomicInteger();

    @Test
    void a_local_service_that_answers_is_used_and_docker_is_never_asked() {
        assertThat(ServiceChoice.choose(DB, () -> null, () -> docker(true))).isEqualTo(Source.LOCAL);
        assertThat(dockerAsked).hasValue(0);
    }

    @Test
    void a_local_service_that_does_not_answer_gives_way_to_a_container_when_docker_is_reachable() {
        assertThat(ServiceChoice.choose(DB, () -> "Connection refused", () -> docker(true))).isEqualTo(Source.CONTAINER);
        assertThat(dockerAsked).hasValue(1);
    }

    @Test
    void with_neither_the_failure_says_which_url_did_not_answer_why_that_docker_is_missing_and_how_to_fix_it() {
        assertThatThrownBy(() -> ServiceChoice.choose(DB, () -> "Connection refused", () -> docker(false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PostgreSQL for the tests is missing")
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:5432/test_x")
                .hasMessageContaining("MAILROOM_TEST_DB_URL")
                .hasMessageContaining("Connection refused")
                .hasMessageContaining("no Docker engine is reachable")
                .hasMessageContaining("start Docker");
    }

    @Test
    void on_this_machine_the_local_services_answer() {
        // The usual path: the services the run was given (or the defaults) are used as they are.
        assertThat(TestServices.dbUrl()).isEqualTo(System.getenv().getOrDefault("MAILROOM_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
        assertThat(TestServices.redisUrl()).isEqualTo(System.getenv().getOrDefault("MAILROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"));
    }

    private boolean docker(boolean reachable) {
        dockerAsked.incrementAndGet();
        return reachable;
    }
}
