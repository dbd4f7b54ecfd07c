-- Corporate actions the lake follows (splits, cash dividends, ticker changes), which ticker a company traded as
-- when (symbols_history), and the views that use them. The lake keeps the same records under reference/.

CREATE TABLE splits (
    ticker         text             NOT NULL,
    execution_date date             NOT NULL,
    split_from     double precision NOT NULL CHECK (split_from > 0),
    split_to       double precision NOT NULL CHECK (split_to > 0),
    PRIMARY KEY (ticker, execution_date)
);
CREATE INDEX splits_execution_date_idx ON splits (execution_date);

-- Cash amounts as declared, per share at the time (not adjusted for later splits).
CREATE TABLE dividends (
    ticker           text             NOT NULL,
    ex_dividend_date date             NOT NULL,
    dividend_type    text             NOT NULL,
    pay_date         date,
    record_date      date,
    declaration_date date,
    cash_amount      double precision NOT NULL CHECK (cash_amount >= 0),
    currency         text,
    frequency        integer          NOT NULL,
    PRIMARY KEY (ticker, ex_dividend_date, dividend_type)
);
CREATE INDEX dividends_ex_dividend_date_idx ON dividends (ex_dividend_date);

CREATE TABLE ticker_changes (
    old_ticker     text NOT NULL,
    new_ticker     text NOT NULL,
    date           date NOT NULL,
    composite_figi text,
    cik            text,
    PRIMARY KEY (old_ticker, date)
);

-- A renamed company's history is kept under the ticker it trades as now (symbol): its bronze file, silver rows
-- and raw_ohlcv rows use that ticker, and this table says what it traded as from valid_from (null: since it
-- listed) to valid_to (null: to date). A symbol absent from it kept its ticker throughout.
CREATE TABLE symbols_history (
    symbol         text NOT NULL,
    ticker         text NOT NULL,
    valid_from     date,
    valid_to       date,
    composite_figi text,
    cik            text
);
CREATE UNIQUE INDEX symbols_history_key ON symbols_history (symbol, ticker, coalesce(valid_from, '-infinity'::date));
CREATE INDEX symbols_history_ticker_idx ON symbols_history (ticker);

-- Every bar PostgreSQL holds, recent or archived (the two tables never share a key).
CREATE VIEW raw_ohlcv_all AS
SELECT * FROM raw_ohlcv
UNION ALL
SELECT * FROM raw_ohlcv_archive;

-- Each cash dividend as a price factor on the session before it goes ex: 1 - cash / previous close, where the
-- cash is divided by the splits executed after the ex-date (the bars are split-adjusted, the cash is not).
-- Tickers are mapped to the symbol the lake keeps them under.
CREATE VIEW dividend_factors AS
WITH mapped_splits AS (
    SELECT coalesce(h.symbol, s.ticker) AS symbol, s.execution_date, s.split_to / s.split_from AS ratio
    FROM splits s
    LEFT JOIN symbols_history h ON h.ticker = s.ticker
        AND s.execution_date BETWEEN coalesce(h.valid_from, '-infinity'::date) AND coalesce(h.valid_to, 'infinity'::date)
), mapped_dividends AS (
    SELECT coalesce(h.symbol, d.ticker) AS symbol, d.*
    FROM dividends d
    LEFT JOIN symbols_history h ON h.ticker = d.ticker
        AND d.ex_dividend_date BETWEEN coalesce(h.valid_from, '-infinity'::date) AND coalesce(h.valid_to, 'infinity'::date)
    WHERE d.cash_amount > 0
)
SELECT d.symbol, d.ticker, d.ex_dividend_date, d.dividend_type, d.cash_amount,
       d.cash_amount / coalesce(later.ratio, 1) AS cash_amount_split_adjusted,
       previous.date AS previous_date, previous.close AS previous_close,
       1 - d.cash_amount / coalesce(later.ratio, 1) / previous.close AS factor
FROM mapped_dividends d
LEFT JOIN LATERAL (
    SELECT exp(sum(ln(s.ratio))) AS ratio FROM mapped_splits s
    WHERE s.symbol = d.symbol AND s.execution_date > d.ex_dividend_date
) later ON true
JOIN LATERAL (
    SELECT b.date, b.close FROM raw_ohlcv_all b
    WHERE b.symbol = d.symbol AND b.date < d.ex_dividend_date
    ORDER BY b.date DESC LIMIT 1
) previous ON true;

-- The total-return adjustment factor per symbol and date: the product of the factors of every dividend that goes
-- ex after that date, so close * factor is the close adjusted for splits and dividends (1 on and after the last
-- ex-date). Filter by symbol:
--   SELECT b.date, b.close, b.close * t.factor AS total_return_close
--   FROM raw_ohlcv_all b JOIN total_return_factors t USING (symbol, date) WHERE symbol = 'AAPL' ORDER BY date;
CREATE VIEW total_return_factors AS
SELECT b.symbol, b.date, exp(coalesce(sum(ln(f.factor)), 0)) AS factor
FROM raw_ohlcv_all b
LEFT JOIN dividend_factors f ON f.symbol = b.symbol AND f.ex_dividend_date > b.date AND f.factor > 0
GROUP BY b.symbol, b.date;
