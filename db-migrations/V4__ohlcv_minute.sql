-- One-minute bars of the symbols a minute run selected, inside the minute retention window (30 days before a run's
-- as_of by default). Minute bronze is their archive, so the retention job deletes the minutes that leave the window
-- instead of moving them: there is no ohlcv_minute_archive.

CREATE TABLE ohlcv_minute (
    symbol       text             NOT NULL,
    ts           timestamptz      NOT NULL,  -- the minute's start
    open         double precision NOT NULL,
    high         double precision NOT NULL,
    low          double precision NOT NULL,
    close        double precision NOT NULL,
    volume       double precision NOT NULL,  -- fractional like the day bars' volumes
    vwap         double precision,
    transactions bigint,
    ingested_at  timestamptz      NOT NULL,  -- when the minute entered the lake; an unchanged minute keeps it
    PRIMARY KEY (symbol, ts)
);

-- The primary key serves one symbol's last N days (symbol = ? AND ts >= ?); retention deletes by ts alone.
CREATE INDEX ohlcv_minute_ts ON ohlcv_minute (ts);
