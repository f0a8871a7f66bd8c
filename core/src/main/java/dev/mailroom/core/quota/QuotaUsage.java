package dev.mailroom.core.quota;

import java.time.Instant;

/** Figures for the quota and poll endpoints. */
public record QuotaUsage(long hourUsed, int hourLimit, Instant hourResetsAt,
                         long monthUsed, int monthLimit, long monthAvailable, Instant monthResetsAt) {}
