package dev.pricelake.adapters.sql;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.actions.CorporateActionStore;
import dev.pricelake.core.actions.Dividend;
import dev.pricelake.core.actions.Split;
import dev.pricelake.core.actions.SymbolsHistory;
import dev.pricelake.core.actions.TickerChange;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CorporateActionStore} on PostgreSQL, through JDBC or the RDS Data API. A window is replaced in one
 * transaction (delete its dates, insert what the source listed), so a reader never sees half a refresh and a
 * repeated refresh leaves the same rows.
 */
public final class PostgresCorporateActions implements CorporateActionStore {
    private static final String SPLIT_COLUMNS = "ticker, execution_date, split_from, split_to";
    private static final String DIVIDEND_COLUMNS = "ticker, ex_dividend_date, dividend_type, pay_date, record_date,"
            + " declaration_date, cash_amount, currency, frequency";
    private final Sql sql;

    public PostgresCorporateActions(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void replaceSplits(DateRange window, List<Split> splits) {
        List<List<?>> rows = new ArrayList<>();
        for (Split s : splits) {
            if (window.contains(s.executionDate())) {
                rows.add(List.of(s.ticker().value(), s.executionDate(), s.splitFrom(), s.splitTo()));
            }
        }
        sql.inTransaction(tx -> {
            tx.update("DELETE FROM splits WHERE execution_date BETWEEN ? AND ?", List.of(window.start(), window.end()));
            if (!rows.isEmpty()) {
                tx.batch("INSERT INTO splits (" + SPLIT_COLUMNS + ") VALUES (?, ?, ?, ?) ON CONFLICT (ticker, execution_date)"
                        + " DO UPDATE SET split_from = EXCLUDED.split_from, split_to = EXCLUDED.split_to", rows);
            }
            return null;
        });
    }

    @Override
    public void replaceDividends(DateRange window, List<Dividend> dividends) {
        List<List<?>> rows = new ArrayList<>();
        for (Dividend d : dividends) {
            if (window.contains(d.exDividendDate())) {
                rows.add(List.of(d.ticker().value(), d.exDividendDate(), d.type(), date(d.payDate()), date(d.recordDate()),
                        date(d.declarationDate()), d.cashAmount(), d.currency() == null ? Sql.Null.TEXT : d.currency(),
                        d.frequency()));
            }
        }
        sql.inTransaction(tx -> {
            tx.update("DELETE FROM dividends WHERE ex_dividend_date BETWEEN ? AND ?", List.of(window.start(), window.end()));
            if (!rows.isEmpty()) {
                tx.batch("INSERT INTO dividends (" + DIVIDEND_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (ticker, ex_dividend_date, dividend_type) DO UPDATE SET pay_date = EXCLUDED.pay_date,"
                        + " record_date = EXCLUDED.record_date, declaration_date = EXCLUDED.declaration_date,"
                        + " cash_amount = EXCLUDED.cash_amount, currency = EXCLUDED.currency, frequency = EXCLUDED.frequency", rows);
            }
            return null;
        });
    }

    @Override
    public void replaceTickerChanges(List<TickerChange> changes, List<SymbolsHistory.Span> spans) {
        List<List<?>> changeRows = new ArrayList<>();
        for (TickerChange c : changes) {
            changeRows.add(List.of(c.from().value(), c.to().value(), c.date(), text(c.compositeFigi()), text(c.cik())));
        }
        List<List<?>> spanRows = new ArrayList<>();
        for (SymbolsHistory.Span s : spans) {
            spanRows.add(List.of(s.symbol().value(), s.ticker().value(), date(s.validFrom()), date(s.validTo()),
                    text(s.compositeFigi()), text(s.cik())));
        }
        sql.inTransaction(tx -> {
            tx.update("DELETE FROM ticker_changes", List.of());
            tx.update("DELETE FROM symbols_history", List.of());
            if (!changeRows.isEmpty()) {
                tx.batch("INSERT INTO ticker_changes (old_ticker, new_ticker, date, composite_figi, cik) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (old_ticker, date) DO UPDATE SET new_ticker = EXCLUDED.new_ticker", changeRows);
            }
            if (!spanRows.isEmpty()) {
                tx.batch("INSERT INTO symbols_history (symbol, ticker, valid_from, valid_to, composite_figi, cik)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", spanRows);
            }
            return null;
        });
    }

    @Override
    public List<Split> splits() {
        List<Split> out = new ArrayList<>();
        for (List<Object> r : sql.query("SELECT " + SPLIT_COLUMNS + " FROM splits ORDER BY execution_date, ticker", List.of())) {
            out.add(new Split(Ticker.of((String) r.get(0)), LocalDate.parse((String) r.get(1)), number(r.get(2)), number(r.get(3))));
        }
        return out;
    }

    @Override
    public List<Dividend> dividends() {
        List<Dividend> out = new ArrayList<>();
        for (List<Object> r : sql.query("SELECT " + DIVIDEND_COLUMNS + " FROM dividends ORDER BY ex_dividend_date, ticker,"
                + " dividend_type", List.of())) {
            out.add(new Dividend(Ticker.of((String) r.get(0)), LocalDate.parse((String) r.get(1)), date(r.get(3)),
                    date(r.get(4)), date(r.get(5)), number(r.get(6)), (String) r.get(7), ((Number) r.get(8)).intValue(),
                    (String) r.get(2)));
        }
        return out;
    }

    @Override
    public List<TickerChange> tickerChanges() {
        List<TickerChange> out = new ArrayList<>();
        for (List<Object> r : sql.query("SELECT old_ticker, new_ticker, date, composite_figi, cik FROM ticker_changes"
                + " ORDER BY date, old_ticker", List.of())) {
            out.add(new TickerChange(Ticker.of((String) r.get(0)), Ticker.of((String) r.get(1)), LocalDate.parse((String) r.get(2)),
                    (String) r.get(3), (String) r.get(4)));
        }
        return out;
    }

    @Override
    public List<SymbolsHistory.Span> symbolsHistory() {
        List<SymbolsHistory.Span> out = new ArrayList<>();
        for (List<Object> r : sql.query("SELECT symbol, ticker, valid_from, valid_to, composite_figi, cik FROM symbols_history"
                + " ORDER BY symbol, valid_from NULLS FIRST", List.of())) {
            out.add(new SymbolsHistory.Span(Ticker.of((String) r.get(0)), Ticker.of((String) r.get(1)), date(r.get(2)),
                    date(r.get(3)), (String) r.get(4), (String) r.get(5)));
        }
        return out;
    }

    private static Object date(LocalDate date) {
        return date == null ? Sql.Null.DATE : date;
    }

    private static LocalDate date(Object value) {
        return value == null ? null : LocalDate.parse((String) value);
    }

    private static Object text(String value) {
        return value == null ? Sql.Null.TEXT : value;
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }
}
