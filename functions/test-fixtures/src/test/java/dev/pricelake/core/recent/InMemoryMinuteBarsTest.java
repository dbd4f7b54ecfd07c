package dev.pricelake.core.recent;

class InMemoryMinuteBarsTest extends MinuteBarsStoreContract {
    @Override
    protected MinuteBarsStore store() {
        return new InMemoryMinuteBars();
    }
}
