package dev.pricelake.local.lambda.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Says where and how it runs: its process, how many invocations this container has served (static state), the
 * remaining time and memory the context reports, its heap, and its environment's variable names. The event may ask
 * it to sleep first ({@code "sleep_ms"}), to answer {@code "pad"} bytes of padding, or to fail ({@code "fail"}).
 */
public final class Reports implements RequestStreamHandler {
    private static final AtomicInteger INVOCATIONS = new AtomicInteger();

    /** The exception it throws when asked to fail: its class name is the errorType Step Functions matches. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        long sleep = number(event, "sleep_ms");
        long pad = number(event, "pad");
        if (event.contains("\"fail\"")) {
            throw new Refused("asked to fail");
        }
        if (sleep > 0) {
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        StringBuilder env = new StringBuilder();
        for (String name : new TreeSet<>(System.getenv().keySet())) {
            env.append(env.isEmpty() ? "" : ",").append('"').append(name).append('"');
        }
        String json = "{\"pid\":" + ProcessHandle.current().pid()
                + ",\"invocation\":" + INVOCATIONS.incrementAndGet()
                + ",\"remaining_ms\":" + context.getRemainingTimeInMillis()
                + ",\"memory_mb\":" + context.getMemoryLimitInMB()
                + ",\"function\":\"" + context.getFunctionName() + "\""
                + ",\"max_heap\":" + Runtime.getRuntime().maxMemory()
                + ",\"timezone\":\"" + java.util.TimeZone.getDefault().getID() + "\""
                + ",\"env\":[" + env + "]"
                + ",\"padding\":\"" + "x".repeat((int) pad) + "\"}";
        output.write(json.getBytes(StandardCharsets.UTF_8));
    }

    private static long number(String event, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(event);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
