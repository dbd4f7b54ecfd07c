-- The fast-query copy of the last five years (raw_ohlcv), what retention moved out (raw_ohlcv_archive),
-- and the news mentions a "top-N most mentioned" run selects from. Plain PostgreSQL: Flyway applies these
-- files locally and in tests, and the deployment applies the same files.

-- Both tables are range-partitioned by year, so retention moves a whole year as one partition (a catalog
-- change) instead of deleting millions of rows.
CREATE TABLE raw_ohlcv (
    symbol       text             NOT NULL,
    date         date             NOT NULL,
    open         double precision NOT NULL,
    high         double precision NOT NULL,
    low          double precision NOT NULL,
    close        double precision NOT NULL,
    volume       double precision NOT NULL,
    vwap         double precision,
    transactions bigint,
    updated_at   timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (symbol, date)
) PARTITION BY RANGE (date);

CREATE TABLE raw_ohlcv_archive (LIKE raw_ohlcv INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY (symbol, date)
) PARTITION BY RANGE (date);

-- One partition per year of the exchange calendar (1962 to 2040); an archive partition appears when
-- retention first moves rows of that year.
DO $$
BEGIN
    FOR y IN 1962..2040 LOOP
        EXECUTE format('CREATE TABLE raw_ohlcv_%s PARTITION OF raw_ohlcv FOR VALUES FROM (%L) TO (%L)',
                       y, make_date(y, 1, 1), make_date(y + 1, 1, 1));
    END LOOP;
END
$$;

-- Coverage per symbol (count, first and last date) reads the primary key index; this one serves
-- "what arrived lately" and per-day checks across symbols.
CREATE INDEX raw_ohlcv_date_idx ON raw_ohlcv (date);

CREATE TABLE article_tickers (
    article_id   text        NOT NULL,
    ticker       text        NOT NULL,
    published_at timestamptz,
    PRIMARY KEY (article_id, ticker)
);

-- Top-N most mentioned: count articles per ticker.
CREATE INDEX article_tickers_ticker_idx ON article_tickers (ticker);
