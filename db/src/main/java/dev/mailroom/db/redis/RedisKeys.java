package dev.mailroom.db.redis;

/**
 * Every Redis key and channel name, each under the configured prefix. The keys one script or one MGET
 * touches together carry the same hash tag, {@code {s:N}} for sender N, so that on a Redis Cluster they sit
 * in one slot (a script's keys must; otherwise Redis answers CROSSSLOT).
 */
public record RedisKeys(String prefix) {

    public String senderLock(long senderId) {
        return prefix + "lock:sender:" + senderId;
    }

    public String quotaHour(long senderId, String hourKey) {
        return prefix + "quota:" + senderTag(senderId) + ":h:" + hourKey;
    }

    public String quotaMonth(long senderId, String monthKey) {
        return prefix + "quota:" + senderTag(senderId) + ":m:" + monthKey;
    }

    /**
     * Our sends since the provider's sync at {@code syncedAt} (I6), a plain counter; the remaining figure
     * itself lives in PostgreSQL. One key per sync: a new sync starts a new count from its own moment,
     * and a worker still reserving on the previous figures counts on the previous key, never the new one.
     */
    public String quotaSync(long senderId, java.time.Instant syncedAt) {
        return prefix + "quota:" + senderTag(senderId) + ":sync:" + (syncedAt == null ? "never" : Long.toString(syncedAt.toEpochMilli()));
    }

    /**
     * Which life of a sender's quota counters is current: the server that rebuilt them from PostgreSQL and
     * when. A reservation gives back only to the life it was taken from; counters rebuilt on another
     * server (a failover) are rebuilt again before use.
     */
    public String quotaGeneration(long senderId) {
        return prefix + "quota:" + senderTag(senderId) + ":gen";
    }

    /** A sender's open routes (I16). */
    public String circuits(long senderId) {
        return prefix + "cb:" + senderTag(senderId) + ":open";
    }

    /** Per route state: {@code tried}, {@code failed}, {@code info}, {@code probe} (and the sender's {@code rebuilt} marker). */
    public String circuit(long senderId, String part, String domain) {
        return prefix + "cb:" + senderTag(senderId) + ":" + part + ":" + domain;
    }

    /** Workers listen here for "a sender has ready work". */
    public String wakeChannel() {
        return prefix + "wake";
    }

    /** Pause and cancel reach the worker sending a campaign before its next message. */
    public String controlChannel() {
        return prefix + "control";
    }

    /** Web processes drop their cached API key lookups when a key is revoked. */
    public String keyRevocationChannel() {
        return prefix + "keys:revoked";
    }

    /** Failed authentications of one client address in the current window. */
    public String authFailures(String clientAddress) {
        return prefix + "authfail:" + clientAddress;
    }

    /** Live events of one campaign, for SSE. */
    public String campaignEvents(long campaignId) {
        return prefix + "events:campaign:" + campaignId;
    }

    private static String senderTag(long senderId) {
        return "{s:" + senderId + "}";
    }
}
