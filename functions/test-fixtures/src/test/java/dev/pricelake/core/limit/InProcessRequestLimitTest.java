package dev.pricelake.core.limit;

/** The in-process limit: its "other process" is another thread of the same process, as within one container. */
class InProcessRequestLimitTest extends RequestLimitContract {
    private final InProcessRequestLimit limit = new InProcessRequestLimit();

    @Override
    protected RequestLimit limit() {
        return limit;
    }

    @Override
    protected RequestLimit fromAnotherProcess() {
        return limit;
    }
}
