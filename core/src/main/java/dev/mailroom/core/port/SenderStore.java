package dev.mailroom.core.port;

import dev.mailroom.core.sender.Sender;
import java.util.Optional;

public interface SenderStore {
    Optional<Sender> find(long senderId);
}
