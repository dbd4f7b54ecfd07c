package dev.pricelake.local.lambda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One function as the local Lambda runs it: what AWS runs (the handler class from the function's own jar, its
 * memory and timeout) and the environment AWS would give it.
 *
 * @param name           the function's name, as the state machine's ARNs name it ({@code pricelake-fetch-prices})
 * @param handler        the handler class, built by its no-argument constructor in the init phase
 * @param code           the deployment package: the shaded jar, as uploaded to Lambda
 * @param memoryMb       Lambda memory; the JVM gets the heap AWS's java21 runtime gives it
 * @param timeoutSeconds Lambda timeout: an invocation running longer is stopped and reported as AWS reports it
 * @param environment    the function's environment variables (Lambda's own are added by the runner)
 */
public record LocalFunction(String name, String handler, Path code, int memoryMb, int timeoutSeconds,
                            Map<String, String> environment) {
    public LocalFunction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        if (!Files.isRegularFile(code)) {
            throw new IllegalStateException(code + " is missing: run ./pricelake again, which builds the function jars"
                    + " (or mvn package -DskipTests)");
        }
        if (memoryMb < 128 || memoryMb > 10_240) {
            throw new IllegalArgumentException(name + ": memory " + memoryMb + " MB is outside Lambda's 128 to 10240");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 900) {
            throw new IllegalArgumentException(name + ": timeout " + timeoutSeconds + " s is outside Lambda's 1 to 900");
        }
        environment = Map.copyOf(environment);
    }

    /** The same function with another timeout: a test or a user rehearsing a shorter one. */
    public LocalFunction withTimeout(int seconds) {
        return new LocalFunction(name, handler, code, memoryMb, seconds, environment);
    }
}
