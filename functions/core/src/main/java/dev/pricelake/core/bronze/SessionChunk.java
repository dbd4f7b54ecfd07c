package dev.pricelake.core.bronze;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Sessions staged together and cut per batch. They are usually consecutive but need not be (a retried attempt stages
 * only the sessions its earlier chunks lack), so the chunk lists them; its name, from its first and last session, is
 * unique within an attempt because chunks never share a session.
 */
public record SessionChunk(List<LocalDate> sessions) {
    public SessionChunk {
        sessions = List.copyOf(sessions);
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException("a chunk holds at least one session");
        }
        for (int i = 1; i < sessions.size(); i++) {
            if (!sessions.get(i).isAfter(sessions.get(i - 1))) {
                throw new IllegalArgumentException("a chunk's sessions are in ascending order without repeats, not "
                        + sessions.get(i - 1) + " then " + sessions.get(i));
            }
        }
    }

    String name() {
        return sessions.getFirst() + "_" + sessions.getLast();
    }

    String toText() {
        return sessions.stream().map(LocalDate::toString).collect(Collectors.joining("\n", "", "\n"));
    }

    static SessionChunk parse(String text, String key) {
        try {
            return new SessionChunk(text.lines().filter(line -> !line.isBlank()).map(LocalDate::parse).toList());
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalStateException(key + " is not a list of sessions: " + e.getMessage(), e);
        }
    }
}
