package dev.pricelake.local.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.catalog.ScheduleCatalog;
import dev.pricelake.core.MovableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployed schedules run by serve, on a clock the test moves; expected instants are written out in UTC. */
class LocalScheduleTest {
    private static final ZoneId NEW_YORK = ZoneId.of(ScheduleCatalog.TIMEZONE);

    @TempDir
    Path temp;

    private final List<String> fired = new ArrayList<>();

    private LocalSchedule schedule(Clock clock) {
        List<LocalSchedule.Job> jobs = List.of(
                new LocalSchedule.Job("daily", AwsCron.parse(ScheduleCatalog.DAILY, NEW_YORK),
                        at -> fired.add("daily " + at.toInstant())),
                new LocalSchedule.Job("retention", AwsCron.parse(ScheduleCatalog.WEEKLY_RETENTION, NEW_YORK),
                        at -> fired.add("retention " + at.toInstant())),
                new LocalSchedule.Job("verify", AwsCron.parse(ScheduleCatalog.WEEKLY_VERIFY, NEW_YORK),
                        at -> fired.add("verify " + at.toInstant())));
        return new LocalSchedule(clock, temp.resolve("schedule.json"), jobs, new PrintWriter(new StringWriter()));
    }

    @Test
    void theDailyRunFiresAt0600NewYorkOnWeekdaysAcrossTheSpringDaylightSavingChange() {
        // Friday 2026-0306 is EST (06:00 = 11:00Z); Monday 2026-03-09 is EDT (06:00 = 10:00Z).
        MovableClock clock = new MovableClock("2026-03-06T10:00:00Z");
        LocalSchedule schedule = schedule(clock);
        assertThat(schedule.tick()).isEmpty();
        clock.set("2026-03-06T10:59:59Z");
        assertThat(schedule.tick()).isEmpty();
        clock.set("2026-03-06T11:00:00Z");
        assertThat(schedule.tick()).containsExactly("daily");
        assertThat(schedule.tick()).isEmpty();
        assertThat(schedule.next().toInstant()).isEqualTo(Instant.parse("2026-03-08T07:00:00Z")); // Sunday 03:00 EDT: retention
        clock.set("2026-03-08T07:00:00Z");
        assertThat(schedule.tick()).containsExactly("retention");
        clock.set("2026-03-08T08:00:00Z");
        assertThat(schedule.tick()).containsExactly("verify");
        clock.set("2026-03-09T09:59:00Z");
        assertThat(schedule.tick()).isEmpty();
        clock.set("2026-03-09T10:00:00Z");
        assertThat(schedule.tick()).containsExactly("daily");
        assertThat(fired).containsExactly("daily 2026-03-06T11:00:00Z", "retention 2026-03-08T07:00:00Z",
                "verify 2026-03-08T08:00:00Z", "daily 2026-03-09T10:00:00Z");
    }

    @Test
    void weekendsHaveNoDailyRunAndAutumnsChangeMovesItBack() {
        MovableClock clock = new MovableClock("2026-10-30T12:00:00Z"); // Friday, after its run
        LocalSchedule schedule = schedule(clock);
        schedule.tick();
        clock.set("2026-11-01T09:00:00Z"); // Sunday 04:00 EST (the change was at 02:00 EDT)
        assertThat(schedule.tick()).containsExactly("retention", "verify");
        clock.set("2026-11-02T10:30:00Z"); // Monday 05:30 EST: not yet
        assertThat(schedule.tick()).isEmpty();
        clock.set("2026-11-02T11:00:00Z");
        assertThat(schedule.tick()).containsExactly("daily");
        assertThat(fired).containsExactly("retention 2026-11-01T08:00:00Z", "verify 2026-11-01T09:00:00Z",
                "daily 2026-11-02T11:00:00Z");
    }

    @Test
    void missedTimesRunOnceWhenServeComesBackAndARestartDoesNotRepeatThem() {
        MovableClock clock = new MovableClock("2026-06-01T09:00:00Z"); // Monday before 06:00 EDT
        schedule(clock).tick();
        // Asleep from Monday to Thursday noon: Monday, Tuesday, Wednesday and Thursday 06:00 passed.
        clock.set("2026-06-04T16:00:00Z");
        LocalSchedule woken = schedule(clock);
        assertThat(woken.tick()).containsExactly("daily");
        assertThat(fired).containsExactly("daily 2026-06-04T10:00:00Z");
        // Restarted the same day: what already fired is remembered under the data dir.
        assertThat(schedule(clock).tick()).isEmpty();
        assertThat(fired).hasSize(1);
    }

    @Test
    void aNewScheduleDoesNotFireForTimesBeforeItExisted() {
        MovableClock clock = new MovableClock("2026-06-03T15:00:00Z"); // Wednesday, after 06:00
        assertThat(schedule(clock).tick()).isEmpty();
        assertThat(fired).isEmpty();
    }

    @Test
    void expressionsOutsideWhatTheLocalSchedulerRunsAreRefused() {
        assertThatThrownBy(() -> AwsCron.parse("cron(0 6 1 * ? *)", NEW_YORK)).hasMessageContaining("cron(0 6 1 * ? *)");
        assertThatThrownBy(() -> AwsCron.parse("rate(5 minutes)", NEW_YORK)).hasMessageContaining("rate(5 minutes)");
        assertThat(AwsCron.parse(ScheduleCatalog.DAILY, NEW_YORK).nextAfter(ZonedDateTime.parse("2026-12-04T12:00:00Z"))
                .toInstant()).isEqualTo(Instant.parse("2026-12-07T11:00:00Z"));
    }
}
