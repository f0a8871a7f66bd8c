package dev.mailroom.core.campaign;

/**
 * What the worker re-reads before every batch: the status a user may have changed, and the controls.
 *
 * @param senderVersion the version of the sender's row, changed by every write to it: the worker reads
 *                      the sender again only when it differs from the one it holds
 */
public record BatchContext(CampaignStatus status, Controls controls, CampaignContent content, long senderVersion) {}
