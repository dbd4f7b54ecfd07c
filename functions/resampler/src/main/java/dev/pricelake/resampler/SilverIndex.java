package dev.pricelake.resampler;

import dev.pricelake.core.ObjectStore;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** What readers of silver outside the resampler (the verifier) need of its layout and checkpoints. */
public final class SilverIndex {
    private SilverIndex() {
    }

    /** Every partition file of interval {@code k}, in key order. */
    public static List<String> partitionKeys(ObjectStore lake, int k) {
        return lake.list(SilverLayout.intervalPrefix(k));
    }

    /** The lake's last session when interval {@code k} was last resampled, or empty before its first run. */
    public static Optional<LocalDate> lastSession(ObjectStore lake, int k) {
        return Checkpoint.load(lake, k).map(Checkpoint::lastSession);
    }
}
