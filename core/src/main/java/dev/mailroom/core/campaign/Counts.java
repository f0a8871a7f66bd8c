package dev.mailroom.core.campaign;

/** A campaign's recipient counters; {@code total} is always the sum of the others. */
public record Counts(int pending, int sending, int sent, int failed, int uncertain, int suppressed) {

    public int total() {
        return pending + sending + sent + failed + uncertain + suppressed;
    }

    /** Share of recipients that reached a final state, in percent with one decimal. */
    public double progressPct() {
        int total = total();
        if (total == 0) return 0.0;
        int done = sent + failed + suppressed + uncertain;
        return Math.round(done * 1000.0 / total) / 10.0;
    }

    /** I8: sent only when every recipient was sent or suppressed. */
    public CampaignStatus finalStatus() {
        return (failed == 0 && uncertain == 0 && pending == 0 && sending == 0)
                ? CampaignStatus.SENT : CampaignStatus.COMPLETED_WITH_ERRORS;
    }
}
