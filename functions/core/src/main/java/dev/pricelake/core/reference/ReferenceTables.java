package dev.pricelake.core.reference;

/** The reference tables a run reads and keeps current: the symbols and the universes (both in PostgreSQL). */
public record ReferenceTables(SymbolStore symbols, CacheEntryStore universes) {
}
