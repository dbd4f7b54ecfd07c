package dev.pricelake.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link ObjectStore} must do; each implementation runs these through a subclass. */
public abstract class ObjectStoreContract {
    protected abstract ObjectStore store();

    private static byte[] everyByte() {
        byte[] bytes = new byte[256 * 4];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    @Test
    void putThenGetReturnsTheSameBytes() {
        store().put("contract/a/data.bin", everyByte());
        assertThat(store().get("contract/a/data.bin")).hasValueSatisfying(b -> assertThat(b).isEqualTo(everyByte()));
    }

    @Test
    void aMissingKeyIsEmptyNotAnError() {
        assertThat(store().get("contract/none/missing.bin")).isEmpty();
    }

    @Test
    void putReplacesTheWholeObject() {
        store().put("contract/b/obj", "a longer first version".getBytes());
        store().put("contract/b/obj", "short".getBytes());
        assertThat(store().get("contract/b/obj")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("short"));
    }

    @Test
    void deleteRemovesAndDeletingAgainIsFine() {
        store().put("contract/c/obj", new byte[] {1});
        store().delete("contract/c/obj");
        store().delete("contract/c/obj");
        assertThat(store().get("contract/c/obj")).isEmpty();
    }

    @Test
    void emptyObjectsAreKept() {
        store().put("contract/e/empty", new byte[0]);
        assertThat(store().get("contract/e/empty")).hasValueSatisfying(b -> assertThat(b).isEmpty());
    }

    @Test
    void listReturnsEveryKeyUnderThePrefixInOrderAcrossPages() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1005; i++) {
            String key = "contract/list/symbol=S" + String.format("%04d", i) + "/data.parquet";
            store().put(key, new byte[] {(byte) i});
            expected.add(key);
        }
        store().put("contract/listing-not-this/x", new byte[] {1});
        store().put("contract/lis", new byte[] {1});
        assertThat(store().list("contract/list/")).containsExactlyElementsOf(expected);
        assertThat(store().list("contract/nothing-here/")).isEmpty();
    }
}
