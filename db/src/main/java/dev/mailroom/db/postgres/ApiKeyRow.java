package dev.mailroom.db.postgres;

public record ApiKeyRow(long id, String name, String role) {}
