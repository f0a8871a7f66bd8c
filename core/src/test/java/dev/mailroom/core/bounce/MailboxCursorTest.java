package dev.mailroom.core.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MailboxCursorTest {
    @Test
    void a_uid_counts_only_under_the_uidvalidity_it_was_read_in() {
        MailboxCursor cursor = new MailboxCursor(1796254267L, 508);
        assertThat(cursor.startIn(1796254267L)).isEqualTo(508);
        assertThat(cursor.startIn(1796254268L)).as("the folder was re-created: its UIDs start over").isEqualTo(1);
    }
}
