package dev.pricelake.adapters.dynamodb;

import dev.pricelake.core.StoreException;
import dev.pricelake.core.TransientUpstreamException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** Where DynamoDB's SDK errors become the domain's: worth a retry (throttling, 5xx) or not. */
final class DynamoDbCalls {
    private DynamoDbCalls() {
    }

    /** @param where the table and what was being done, for the message */
    static <T> T call(String where, Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkException e) {
            if (e.retryable() || (e instanceof SdkServiceException s && s.statusCode() >= 500)) {
                throw new TransientUpstreamException(where + " failed: " + e.getMessage(), e);
            }
            throw new StoreException(where + " failed: " + e.getMessage(), e);
        }
    }
}
