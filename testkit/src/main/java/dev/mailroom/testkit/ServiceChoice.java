package dev.mailroom.testkit;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Where the tests get a service from: the local one when its URL answers; otherwise a container, when a
 * Docker engine is reachable; otherwise nowhere, with a message that says what is missing and how to fix
 * it. Docker is asked only when the local service failed, so the usual path never waits on it.
 */
public final class ServiceChoice {
    public enum Source { LOCAL, CONTAINER }

    /**
     * @param service  what it is, e.g. "PostgreSQL"
     * @param variable the environment variable that sets {@code url}
     */
    public record Service(String service, String variable, String url) {}

    private ServiceChoice() {}

    /**
     * @param localProblem    why {@code url} did not answer, or null when it did
     * @param dockerReachable whether a Docker engine answers (Testcontainers' own check)
     */
    public static Source choose(Service s, Supplier<String> localProblem, BooleanSupplier dockerReachable) {
        String problem = localProblem.get();
        if (problem == null) return Source.LOCAL;
        if (dockerReachable.getAsBoolean()) return Source.CONTAINER;
        throw new IllegalStateException(s.service() + " for the tests is missing: " + s.url() + " (" + s.variable()
                + ", or its default) did not answer (" + problem + "), and no Docker engine is reachable for the"
                + " Testcontainers fallback. Fix: start " + s.service() + " there, set " + s.variable()
                + " to one that answers, or start Docker (or point DOCKER_HOST at one).");
    }
}
