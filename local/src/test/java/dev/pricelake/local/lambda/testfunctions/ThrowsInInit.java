package dev.pricelake.local.lambda.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;

/** A handler whose constructor fails, as one reading a missing setting in init would. */
public final class ThrowsInInit implements RequestStreamHandler {
    public ThrowsInInit() {
        throw new IllegalStateException("no setting to start with");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        throw new AssertionError("never constructed, so never invoked");
    }
}
