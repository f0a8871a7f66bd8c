package dev.mailroom.core.config;

import java.util.Map;

/** Whole numbers from the environment: absent or blank → the default; anything else not a number names the variable. */
public final class EnvNumbers {
    private EnvNumbers() {}

    public static int intOf(Map<String, String> env, String name, int fallback) {
        long v = longOf(env, name, fallback);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) throw new IllegalArgumentException(name + " is too large");
        return (int) v;
    }

    public static long longOf(Map<String, String> env, String name, long fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number");
        }
    }
}
