package dev.pricelake.local.runner;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.UUID;

/**
 * The Lambda context a locally invoked handler sees: its function's name, a fresh request id, and a logger
 * that appends to {@code {data-dir}/logs/functions.log} (in AWS, CloudWatch Logs) rather than the screen.
 */
final class LocalContext implements Context {
    private final String function;
    private final String requestId = UUID.randomUUID().toString();
    private final java.nio.file.Path logFile;

    LocalContext(String function, java.nio.file.Path logFile) {
        this.function = function;
        this.logFile = logFile;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + function;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return function;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return LocalLambdaEndpoint.arn(function);
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return 900_000;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                log(message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void log(byte[] message) {
                synchronized (LocalContext.class) {
                    try {
                        java.nio.file.Files.createDirectories(logFile.getParent());
                        java.nio.file.Files.write(logFile, message, java.nio.file.StandardOpenOption.CREATE,
                                java.nio.file.StandardOpenOption.APPEND);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException("writing " + logFile, e);
                    }
                }
            }
        };
    }
}
