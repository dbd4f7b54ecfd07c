package dev.pricelake.core;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Input that cannot be accepted; {@link #field()} names what was wrong so a user can fix it. A problem that names
 * another field writes it as {@link #ref(String)}, so each caller can show field names as its user typed them
 * ({@code start} in the state machine's input, {@code --start} on the command line).
 */
public final class InvalidInputException extends RuntimeException {
    private static final Pattern REF = Pattern.compile("\\{field:([a-z0-9_.\\[\\]]+)}");
    private final String field;
    private final String problem;

    public InvalidInputException(String field, String problem) {
        super(field + ": " + named(problem, UnaryOperator.identity()));
        this.field = field;
        this.problem = problem;
    }

    /** Another field, as a problem's text mentions it. */
    public static String ref(String field) {
        return "{field:" + field + "}";
    }

    public String field() {
        return field;
    }

    /** What is wrong, without the field: to report the same problem under a more precise field name. */
    public String problem() {
        return problem;
    }

    /** The problem with every field it mentions named by {@code naming}. */
    public String problem(UnaryOperator<String> naming) {
        return named(problem, naming);
    }

    private static String named(String problem, UnaryOperator<String> naming) {
        Matcher m = REF.matcher(problem);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(naming.apply(m.group(1))));
        }
        return m.appendTail(out).toString();
    }
}
