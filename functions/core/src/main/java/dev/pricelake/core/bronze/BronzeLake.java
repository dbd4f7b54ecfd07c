package dev.pricelake.core.bronze;

import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.Ticker;
import java.util.List;

/** The bronze layer: one Parquet file per symbol under {@code bronze/raw_ohlcv/symbol=X/data.parquet}. */
public final class BronzeLake {
    public static final String PREFIX = "bronze/raw_ohlcv/";
    private final ObjectStore store;

    public BronzeLake(ObjectStore store) {
        this.store = store;
    }

    public static String key(Ticker symbol) {
        return PREFIX + "symbol=" + symbol.value() + "/data.parquet";
    }

    public List<BronzeRow> read(Ticker symbol) {
        String key = key(symbol);
        return store.get(key).map(bytes -> BronzeParquet.read(bytes, key)).orElse(List.of());
    }

    /** Merges the rows into the symbol's file and writes it only when something changed. */
    public BronzeMerge.Result merge(Ticker symbol, List<BronzeRow> incoming) {
        for (BronzeRow row : incoming) {
            if (!row.bar().symbol().equals(symbol)) {
                throw new InvalidInputException("symbol",
                        "a " + row.bar().symbol() + " bar cannot be merged into the bronze file of " + symbol);
            }
        }
        BronzeMerge.Result result = BronzeMerge.merge(read(symbol), incoming);
        if (result.changed()) {
            store.put(key(symbol), BronzeParquet.write(result.rows()));
        }
        return result;
    }
}
