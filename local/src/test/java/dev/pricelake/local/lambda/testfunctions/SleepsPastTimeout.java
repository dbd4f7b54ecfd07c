package dev.pricelake.local.lambda.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends "started" to the file the event names, sleeps far past any test timeout, then appends "finished": a
 * "finished" line means the timed-out work was not stopped.
 */
public final class SleepsPastTimeout implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String text = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        Path marker = Path.of(text.replaceAll(".*\"marker\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
        Files.writeString(marker, "started\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        try {
            Thread.sleep(8_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.writeString(marker, "finished\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        output.write("{}".getBytes(StandardCharsets.UTF_8));
    }
}
