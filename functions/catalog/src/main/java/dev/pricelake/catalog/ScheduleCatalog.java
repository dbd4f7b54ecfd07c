package dev.pricelake.catalog;

/**
 * When the deployed scheduler (EventBridge Scheduler, in CDK) and {@code pricelake serve} start each job: the same
 * expressions, in New York time so 06:00 stays 06:00 across daylight saving.
 */
public final class ScheduleCatalog {
    public static final String TIMEZONE = "America/New_York";
    public static final String DAILY = "cron(0 6 ? * MON-FRI *)";
    public static final String WEEKLY_RETENTION = "cron(0 3 ? * SUN *)";
    public static final String WEEKLY_VERIFY = "cron(0 4 ? * SUN *)";
    public static final String WEEKDAY_REFERENCE = "cron(0 5 ? * MON-FRI *)";
    /** Scheduler puts the scheduled time into a target's input where this appears. */
    public static final String SCHEDULED_TIME = "<aws.scheduler.scheduled-time>";

    private ScheduleCatalog() {
    }
}
