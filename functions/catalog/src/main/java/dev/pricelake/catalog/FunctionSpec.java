package dev.pricelake.catalog;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One Lambda function as AWS runs it.
 *
 * @param name           short name; the function is {@code pricelake-{name}}
 * @param module         the Maven module under {@code functions/} whose shaded jar holds the handler
 * @param handler        the handler class, built by its no-argument constructor in the init phase
 * @param memoryMb       Lambda memory (128 to 10,240 MB)
 * @param timeoutSeconds Lambda timeout (1 to 900 s)
 * @param needs          grants, and the environment that comes with each
 * @param state          the ASL placeholder that carries the function's ARN, or null when no state calls it
 */
public record FunctionSpec(String name, String module, String handler, int memoryMb, int timeoutSeconds, Set<Need> needs,
                           String state) {
    /** The project version, which names every function jar. */
    static final String VERSION = "0.1.0-SNAPSHOT";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,40}");
    private static final Pattern CLASS = Pattern.compile("([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("[A-Z][A-Za-z0-9]*FunctionArn");

    public FunctionSpec {
        require(NAME.matcher(name).matches(), "name '" + name + "' is not lower-case letters, digits and dashes");
        require(NAME.matcher(module).matches(), name + ": module '" + module + "' is not a module name");
        require(CLASS.matcher(handler).matches(), name + ": handler '" + handler + "' is not a class name");
        require(memoryMb >= 128 && memoryMb <= 10_240, name + ": memory_mb " + memoryMb + " is outside Lambda's 128 to 10240");
        require(timeoutSeconds >= 1 && timeoutSeconds <= 900,
                name + ": timeout_seconds " + timeoutSeconds + " is outside Lambda's 1 to 900");
        require(state == null || PLACEHOLDER.matcher(state).matches(),
                name + ": state '" + state + "' is not a ...FunctionArn placeholder");
        needs = needs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(needs));
        require(!needs.contains(Need.POLYGON) || needs.contains(Need.PROGRESS),
                name + ": needs POLYGON without PROGRESS, but the Polygon rate limit every container shares is in the progress table");
    }

    /** The environment variables the function's needs give it, in a stable order. */
    public Set<String> environment() {
        Set<String> names = new java.util.TreeSet<>();
        needs.forEach(need -> names.addAll(need.environment()));
        return names;
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("functions.json: " + problem);
        }
    }

    /** The deployed function's name, the same locally and in AWS. */
    public String functionName() {
        return "pricelake-" + name;
    }

    /** The deployment package, built by mvn package. */
    public Path jar(Path repository) {
        return jar(repository, module);
    }

    /** functions/{module}/target/pricelake-{module}-VERSION-lambda.jar: the shaded jar of a function module. */
    public static Path jar(Path repository, String module) {
        return repository.resolve("functions").resolve(module).resolve("target")
                .resolve("pricelake-" + module + "-" + VERSION + "-lambda.jar");
    }

    public Optional<String> statePlaceholder() {
        return Optional.ofNullable(state);
    }
}
