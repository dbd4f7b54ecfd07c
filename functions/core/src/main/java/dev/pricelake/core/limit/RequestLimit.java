package dev.pricelake.core.limit;

import java.time.Clock;
import java.time.Instant;

/**
 * Port to a request limit that every process calling one API account shares: Polygon's free plan allows 5
 * requests a minute for the whole account, however many Lambda containers send them. Each call books one
 * request's slot; the caller waits until then and sends it. In AWS the slots live in the progress table
 * (DynamoDB, conditional writes); within one process a map will do.
 */
public interface RequestLimit {
    /**
     * Books the key's next free slot, no earlier than the clock's time at the moment of booking, and moves the
     * key's next free slot on by the spacing's interval, so requests booked through any process sharing this
     * limit are spaced by it. The time is read as late as possible (after any read of the store): a slot booked
     * in the past would let the request go out later than its slot, closer to the next one than the spacing.
     *
     * @return when the caller may send its request
     */
    Instant reserve(String key, RequestSpacing spacing, Clock clock);
}
