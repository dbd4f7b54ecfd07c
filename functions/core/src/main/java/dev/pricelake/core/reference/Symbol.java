package dev.pricelake.core.reference;

import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.Ticker;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One row of the {@code symbols} table: what the source says about a listed security, what pricelake derives
 * from it (sector and industry from the SIC code, ETF type and issuer from the name), and its market cap.
 *
 * @param sharesOutstanding  the share class's shares outstanding (weighted shares when the source has no class
 *                           count), or null when unknown
 * @param marketCap          shares outstanding x the lake's last close when the lake has the symbol, else the
 *                           source's own market cap
 * @param sourceMarketCap    the market cap the source reported with the details
 * @param lastClose          the lake's last close and its date (what {@code marketCap} was computed from)
 * @param detailsUpdatedAt   when the source's ticker details were last fetched; null: never (a new symbol)
 * @param updatedAt          when this row last changed
 */
public record Symbol(Ticker ticker, String name, String type, String primaryExchange, boolean active,
                     LocalDate listDate, Instant delistedUtc, String cik, String compositeFigi, String sicCode,
                     String sicDescription, String sector, String industry, Long sharesOutstanding, Double marketCap,
                     Double sourceMarketCap, Double lastClose, LocalDate lastCloseDate, String etfType, String issuer,
                     Instant detailsUpdatedAt, Instant updatedAt) {
    public static final String STOCK = "CS";
    public static final String ETF = "ETF";

    public Symbol {
        Objects.requireNonNull(ticker, "ticker");
        // PostgreSQL and Parquet keep microseconds: a row must compare equal to itself read back.
        delistedUtc = micros(delistedUtc);
        detailsUpdatedAt = micros(detailsUpdatedAt);
        updatedAt = micros(updatedAt);
        if (sharesOutstanding != null && sharesOutstanding < 0) {
            throw new InvalidInputException("shares_outstanding", ticker + ": " + sharesOutstanding + " is negative");
        }
        requireAmount("market_cap", ticker, marketCap);
        requireAmount("source_market_cap", ticker, sourceMarketCap);
        requireAmount("last_close", ticker, lastClose);
        if ((lastClose == null) != (lastCloseDate == null)) {
            throw new InvalidInputException("last_close", ticker + ": a close needs its date and a date its close");
        }
    }

    private static Instant micros(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MICROS);
    }

    private static void requireAmount(String field, Ticker ticker, Double value) {
        if (value != null && (!Double.isFinite(value) || value < 0)) {
            throw new InvalidInputException(field, ticker + ": " + value + " is not a finite amount of at least 0");
        }
    }

    /** A symbol known only from a listing: details are still to be fetched. */
    public static Symbol listed(Ticker ticker, String name, String type, String primaryExchange, boolean active,
            Instant now) {
        return new Symbol(ticker, name, type, primaryExchange, active, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, now);
    }

    public boolean isStock() {
        return STOCK.equals(type);
    }

    public boolean isEtf() {
        return ETF.equals(type);
    }

    public Symbol withListing(String name, String type, String primaryExchange, boolean active) {
        return new Symbol(ticker, name, type, primaryExchange, active, listDate, delistedUtc, cik, compositeFigi, sicCode,
                sicDescription, sector, industry, sharesOutstanding, marketCap, sourceMarketCap, lastClose, lastCloseDate,
                etfType, issuer, detailsUpdatedAt, updatedAt);
    }

    public Symbol withClassification(String sector, String industry, String etfType, String issuer) {
        return new Symbol(ticker, name, type, primaryExchange, active, listDate, delistedUtc, cik, compositeFigi, sicCode,
                sicDescription, sector, industry, sharesOutstanding, marketCap, sourceMarketCap, lastClose, lastCloseDate,
                etfType, issuer, detailsUpdatedAt, updatedAt);
    }

    /** The lake's last close, and the market cap it gives (the source's own when shares are unknown). */
    public Symbol withLastClose(Double close, LocalDate date) {
        return new Symbol(ticker, name, type, primaryExchange, active, listDate, delistedUtc, cik, compositeFigi, sicCode,
                sicDescription, sector, industry, sharesOutstanding, marketCap(sharesOutstanding, close, sourceMarketCap),
                sourceMarketCap, close, date, etfType, issuer, detailsUpdatedAt, updatedAt);
    }

    public Symbol withDetailsUpdatedAt(Instant at) {
        return new Symbol(ticker, name, type, primaryExchange, active, listDate, delistedUtc, cik, compositeFigi, sicCode,
                sicDescription, sector, industry, sharesOutstanding, marketCap, sourceMarketCap, lastClose, lastCloseDate,
                etfType, issuer, at, updatedAt);
    }

    public Symbol withUpdatedAt(Instant at) {
        return new Symbol(ticker, name, type, primaryExchange, active, listDate, delistedUtc, cik, compositeFigi, sicCode,
                sicDescription, sector, industry, sharesOutstanding, marketCap, sourceMarketCap, lastClose, lastCloseDate,
                etfType, issuer, detailsUpdatedAt, at);
    }

    /** Shares x close when both are known, else the source's market cap. */
    public static Double marketCap(Long shares, Double close, Double sourceMarketCap) {
        return shares != null && shares > 0 && close != null ? Double.valueOf(shares * close) : sourceMarketCap;
    }

    /** Equal in every column but updated_at: whether writing this row would change anything. */
    public boolean sameAs(Symbol other) {
        return other != null && withUpdatedAt(null).equals(other.withUpdatedAt(null));
    }
}
