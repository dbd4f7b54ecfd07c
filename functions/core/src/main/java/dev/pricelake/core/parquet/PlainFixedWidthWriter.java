package dev.pricelake.core.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.values.ValuesWriter;

/**
 * PLAIN values of INT32, INT64, DOUBLE and BOOLEAN columns, stored little-endian into one array with a single
 * store per value (booleans one bit each, as PLAIN packs them). parquet-java's PlainValuesWriter writes a double
 * as eight single-byte writes through two streams and a boolean through a bit-packing encoder, which was half of
 * the silver writer's time (see the README's resample benchmark); the bytes are the same.
 */
final class PlainFixedWidthWriter extends ValuesWriter {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    private byte[] bytes = new byte[4096];
    private int size;
    private long booleans;

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    @Override
    public void writeInteger(int v) {
        ensure(4);
        INT.set(bytes, size, v);
        size += 4;
    }

    @Override
    public void writeLong(long v) {
        ensure(8);
        LONG.set(bytes, size, v);
        size += 8;
    }

    @Override
    public void writeDouble(double v) {
        ensure(8);
        DOUBLE.set(bytes, size, v);
        size += 8;
    }

    @Override
    public void writeBoolean(boolean v) {
        int bit = (int) (booleans++ & 7);
        if (bit == 0) {
            ensure(1);
            bytes[size++] = 0;
        }
        if (v) {
            bytes[size - 1] |= (byte) (1 << bit);
        }
    }

    @Override
    public long getBufferedSize() {
        return size;
    }

    @Override
    public BytesInput getBytes() {
        // The page writer compresses (copies) these bytes before reset() lets them be overwritten.
        return BytesInput.from(bytes, 0, size);
    }

    @Override
    public Encoding getEncoding() {
        return Encoding.PLAIN;
    }

    @Override
    public void reset() {
        size = 0;
        booleans = 0;
    }

    @Override
    public long getAllocatedSize() {
        return bytes.length;
    }

    @Override
    public String memUsageString(String prefix) {
        return prefix + " PLAIN fixed-width " + size + " bytes";
    }
}
