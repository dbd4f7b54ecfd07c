package dev.pricelake.adapters.lambda;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Random numbers drawn fresh at each call, for the ids a handler makes (a run id's random part). A generator
 * seeded in the init phase would be frozen into the SnapStart snapshot, and every container restored from it
 * would draw the same ids; ids are drawn once a run, so a new SecureRandom each time costs nothing worth saving.
 */
public final class SnapshotSafeRandom implements RandomGenerator {
    @Override
    public long nextLong() {
        return new SecureRandom().nextLong();
    }
}
