package dev.mailroom.worker.loop;

final class Sleep {
    private Sleep() {}

    /** False when interrupted (shutdown); the interrupt flag is kept. */
    static boolean interruptibly(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
