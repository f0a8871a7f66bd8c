package dev.mailroom.core.quota;

/**
 * What a reservation is for. A sender's {@code test_reserve_per_hour} keeps that many of each hour's sends for
 * test emails: a campaign's reservations stop below it, a test email's may use the whole hourly limit (I5).
 */
public enum QuotaUse {
    CAMPAIGN,
    TEST_EMAIL
}
