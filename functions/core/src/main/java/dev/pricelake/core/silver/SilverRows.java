package dev.pricelake.core.silver;

import java.util.Arrays;

/**
 * Rows of silver k-session bars in columns, growable. A row's bucket is implied by its start date, so
 * rows can be recomputed, dropped or merged by (symbol, bucket) without a separate key column.
 */
public final class SilverRows {
    String[] symbol;
    int[] startDay;
    int[] endDay;
    double[] open;
    double[] high;
    double[] low;
    double[] close;
    double[] volume;
    int[] barCount;
    boolean[] complete;
    private int size;

    public SilverRows(int capacity) {
        int c = Math.max(capacity, 4);
        symbol = new String[c];
        startDay = new int[c];
        endDay = new int[c];
        open = new double[c];
        high = new double[c];
        low = new double[c];
        close = new double[c];
        volume = new double[c];
        barCount = new int[c];
        complete = new boolean[c];
    }

    public int size() {
        return size;
    }

    /** Empties the rows, keeping their capacity. */
    public void clear() {
        size = 0;
    }

    public String symbol(int row) {
        return symbol[row];
    }

    /** Start date as days since 1970-01-01. */
    public int startDay(int row) {
        return startDay[row];
    }

    public int endDay(int row) {
        return endDay[row];
    }

    public double open(int row) {
        return open[row];
    }

    public double high(int row) {
        return high[row];
    }

    public double low(int row) {
        return low[row];
    }

    public double close(int row) {
        return close[row];
    }

    public double volume(int row) {
        return volume[row];
    }

    public int barCount(int row) {
        return barCount[row];
    }

    public boolean complete(int row) {
        return complete[row];
    }

    public void setComplete(int row, boolean value) {
        complete[row] = value;
    }

    public void add(String sym, int start, int end, double o, double h, double l, double c, double v, int count,
            boolean done) {
        if (size == symbol.length) {
            grow();
        }
        symbol[size] = sym;
        startDay[size] = start;
        endDay[size] = end;
        open[size] = o;
        high[size] = h;
        low[size] = l;
        close[size] = c;
        volume[size] = v;
        barCount[size] = count;
        complete[size] = done;
        size++;
    }

    /** Appends row {@code row} of {@code other}. */
    public void addFrom(SilverRows other, int row) {
        add(other.symbol[row], other.startDay[row], other.endDay[row], other.open[row], other.high[row], other.low[row],
                other.close[row], other.volume[row], other.barCount[row], other.complete[row]);
    }

    private void grow() {
        int c = symbol.length * 2;
        symbol = Arrays.copyOf(symbol, c);
        startDay = Arrays.copyOf(startDay, c);
        endDay = Arrays.copyOf(endDay, c);
        open = Arrays.copyOf(open, c);
        high = Arrays.copyOf(high, c);
        low = Arrays.copyOf(low, c);
        close = Arrays.copyOf(close, c);
        volume = Arrays.copyOf(volume, c);
        barCount = Arrays.copyOf(barCount, c);
        complete = Arrays.copyOf(complete, c);
    }

    /** The rows ordered by (symbol, start date), as partition files keep them. */
    public SilverRows sorted() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = symbol[a].compareTo(symbol[b]);
            return c != 0 ? c : Integer.compare(startDay[a], startDay[b]);
        });
        SilverRows out = new SilverRows(size);
        for (int i : order) {
            out.addFrom(this, i);
        }
        return out;
    }
}
