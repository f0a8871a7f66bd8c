package dev.mailroom.core.campaign;

/** What the worker re-reads before every batch: the status a user may have changed, and the controls. */
public record BatchContext(CampaignStatus status, Controls controls, CampaignContent content) {}
