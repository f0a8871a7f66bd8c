package dev.mailroom.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import org.junit.jupiter.api.Test;

/** Which requests drop the shared poll snapshots: a refused request must not make every poll a database read. */
class PollControllerTest {
    @Test
    void only_an_api_write_that_succeeded_drops_the_snapshots() {
        assertThat(PollController.changesPolls(HandlerType.POST, HttpStatus.ACCEPTED, "/api/campaigns/7/queue")).isTrue();
        assertThat(PollController.changesPolls(HandlerType.PATCH, HttpStatus.OK, "/api/senders/1")).isTrue();
        assertThat(PollController.changesPolls(HandlerType.DELETE, HttpStatus.NO_CONTENT, "/api/circuits/1/x.org")).isTrue();

        assertThat(PollController.changesPolls(HandlerType.POST, HttpStatus.UNAUTHORIZED, "/api/campaigns")).isFalse();
        assertThat(PollController.changesPolls(HandlerType.POST, HttpStatus.BAD_REQUEST, "/api/campaigns")).isFalse();
        assertThat(PollController.changesPolls(HandlerType.POST, HttpStatus.OK, "/u/abc.def")).as("an unsubscribe click").isFalse();
        assertThat(PollController.changesPolls(HandlerType.GET, HttpStatus.OK, "/api/poll")).isFalse();
    }
}
