package dev.pricelake.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock that stands still until the test moves it (or, if told to, moves on a step every time it is read). */
public final class MovableClock extends Clock {
    private volatile Instant now;
    private volatile Duration stepPerRead = Duration.ZERO;

    public MovableClock(Instant now) {
        this.now = now;
    }

    public MovableClock(String now) {
        this(Instant.parse(now));
    }

    public void set(String instant) {
        now = Instant.parse(instant);
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    /** From now on each reading moves the clock on by the step after it: time that passes with the work under test. */
    public void advanceOnEveryRead(Duration step) {
        stepPerRead = step;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant read = now;
        now = read.plus(stepPerRead);
        return read;
    }
}
