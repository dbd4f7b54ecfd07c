package dev.pricelake.core;

/** Input that cannot be accepted; {@link #field()} names what was wrong so a user can fix it. */
public final class InvalidInputException extends RuntimeException {
    private final String field;

    public InvalidInputException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
