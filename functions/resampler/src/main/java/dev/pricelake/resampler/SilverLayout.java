package dev.pricelake.resampler;

import java.util.Locale;

/** Where silver partitions and the resampler's checkpoints live in the lake. */
final class SilverLayout {
    static final String SILVER_PREFIX = "silver/";
    static final String METADATA_PREFIX = "processing_metadata/";
    static final String PENDING_KEY = METADATA_PREFIX + "silver_pending.json";

    private SilverLayout() {
    }

    static String intervalPrefix(int k) {
        return SILVER_PREFIX + "silver_" + k + "d/";
    }

    /** {@code month} is year * 12 + month - 1. */
    static String partitionKey(int k, int month) {
        int year = month / 12;
        int m = month % 12 + 1;
        return String.format(Locale.ROOT, "%syear=%04d/month=%02d/data_%dd_%04d%02d.parquet", intervalPrefix(k), year, m, k,
                year, m);
    }

    static String checkpointKey(int k) {
        return METADATA_PREFIX + "silver_" + k + "d_checkpoint.json";
    }

    static String digestsKey(int k, long generation) {
        return String.format(Locale.ROOT, "%ssilver_%dd_digests/%012d.bin", METADATA_PREFIX, k, generation);
    }
}
