-- Bulk loads (a backfill, flat files, minute runs) write a symbol's whole history at a time, in key order. The
-- B-trees on date and on ts took each of those rows at a random place: on a million new bars that index cost as much
-- as the table and its primary key together (README, PostgreSQL). A BRIN index costs next to nothing to keep and still
-- finds a day's rows of what daily runs append (rows of one day sit together); after a symbol-by-symbol backfill it
-- narrows little, and a per-day question reads the year's partition (raw_ohlcv) or the table (ohlcv_minute, 30 days)
-- instead. Coverage per symbol and one symbol's bars are served by the primary keys, as before.

DROP INDEX raw_ohlcv_date_idx;
CREATE INDEX raw_ohlcv_date_brin ON raw_ohlcv USING brin (date) WITH (autosummarize = on);

-- The same index on the archive, so a year retention moves there keeps its index attached; partitions retention moved
-- before this migration carry the old B-tree of raw_ohlcv, detached: it goes too.
DO $$
DECLARE
    old record;
BEGIN
    FOR old IN
        SELECT i.relname
        FROM pg_inherits p
        JOIN pg_index x ON x.indrelid = p.inhrelid
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_am am ON am.oid = i.relam
        WHERE p.inhparent = 'raw_ohlcv_archive'::regclass AND am.amname = 'btree' AND NOT x.indisunique
    LOOP
        EXECUTE format('DROP INDEX %I', old.relname);
    END LOOP;
END
$$;
CREATE INDEX raw_ohlcv_archive_date_brin ON raw_ohlcv_archive USING brin (date) WITH (autosummarize = on);

DROP INDEX ohlcv_minute_ts;
CREATE INDEX ohlcv_minute_ts_brin ON ohlcv_minute USING brin (ts) WITH (autosummarize = on);
