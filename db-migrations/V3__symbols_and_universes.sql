-- Reference data: the symbols table (one row per ticker: what the source says, what pricelake derives from it,
-- and the market cap from the lake's last close) and the organized universes an application loads at start-up.

CREATE TABLE symbols (
    ticker             text PRIMARY KEY,
    name               text,
    type               text,             -- Polygon's ticker type: CS, ETF, ADRC, ...
    primary_exchange   text,
    active             boolean NOT NULL,
    list_date          date,
    delisted_utc       timestamptz,
    cik                text,
    composite_figi     text,
    sic_code           text,
    sic_description    text,
    sector             text,             -- from sic_code by the SIC table; an ETF's from its name
    industry           text,
    shares_outstanding bigint CHECK (shares_outstanding >= 0),
    market_cap         double precision CHECK (market_cap >= 0), -- shares x last_close, else source_market_cap
    source_market_cap  double precision CHECK (source_market_cap >= 0),
    last_close         double precision CHECK (last_close >= 0),
    last_close_date    date,
    etf_type           text,             -- ETFs only, from the name by the ETF rules
    issuer             text,
    details_updated_at timestamptz,      -- null: details never fetched (a new symbol)
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((last_close IS NULL) = (last_close_date IS NULL))
);

-- The universes read active symbols of a type by market cap, and sectors.
CREATE INDEX symbols_type_market_cap ON symbols (type, active, market_cap DESC);
CREATE INDEX symbols_sector ON symbols (sector);

-- One row per universe (and per summary or application setting): a rebuild owns the types stock_universe,
-- etf_universe, themes and stock_stats; app_settings and any other type belong to someone else.
CREATE TABLE cache_entries (
    type       text        NOT NULL,
    name       text        NOT NULL,
    key        text        NOT NULL,
    value      jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT cache_entries_type_name_key UNIQUE (type, name, key)
);
