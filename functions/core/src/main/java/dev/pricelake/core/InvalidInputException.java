package dev.pricelake.core;

/** Input that cannot be accepted; {@link #field()} names what was wrong so a user can fix it. */
public final class InvalidInputException extends RuntimeException {
    private final String field;
    private final String problem;

    public InvalidInputException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    /** What is wrong, without the field: to report the same problem under a more precise field name. */
    public String problem() {
        return problem;
    }
}
