package dev.mailroom.core.campaign;

/** Live pacing controls, re-read before every batch. */
public record Controls(int batchSize, int delayMs, int cooldownSeconds) {
    public static final Controls DEFAULT = new Controls(50, 0, 0);
}
