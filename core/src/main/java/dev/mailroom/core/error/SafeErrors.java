package dev.mailroom.core.error;

/**
 * An exception as it may appear in a log (I14): its class, its root cause's class and where it was
 * thrown, never its message, which can quote an address ("Key (email)=(…)"), a URL or a reply.
 */
public final class SafeErrors {
    private SafeErrors() {}

    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        StringBuilder b = new StringBuilder(e.getClass().getName());
        if (root != e) b.append(" caused by ").append(root.getClass().getName());
        StackTraceElement[] frames = e.getStackTrace();
        for (StackTraceElement f : frames) {
            if (f.getClassName().startsWith("dev.mailroom.")) {
                b.append(" at ").append(f);
                return b.toString();
            }
        }
        if (frames.length > 0) b.append(" at ").append(frames[0]);
        return b.toString();
    }
}
