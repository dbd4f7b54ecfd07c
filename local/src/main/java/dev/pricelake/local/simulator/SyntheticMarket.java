package dev.pricelake.local.simulator;

import dev.pricelake.core.Bar;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deterministic stock market: the same seed always gives the same listings and the same bars. Bars exist
 * only on NYSE sessions, from each listing's first session to its delisting (or the last published
 * session), with a few halted sessions, splits, cash dividends and ticker changes; every bar is valid OHLCV.
 * The last published session can move forward while the market serves (as days pass), and what it serves follows:
 * bars, splits and renames up to it, adjusted prices reflecting the splits executed up to it.
 */
public final class SyntheticMarket {
    private static final String[] SECTORS = {"Technology", "Health Care", "Financials", "Energy", "Industrials",
            "Consumer Discretionary", "Consumer Staples", "Utilities", "Materials", "Real Estate", "Communication Services"};
    private static final String[] WORDS = {"Acme", "Apex", "Blue", "Cedar", "Delta", "Eagle", "Summit", "Harbor",
            "Iron", "Nova", "Orion", "Pioneer", "Quantum", "River", "Stellar", "Titan", "Union", "Vertex", "West",
            "Zenith", "Atlas", "Beacon", "Crest", "Granite", "Liberty", "Meridian", "Northern", "Pacific"};
    private static final String[] SUFFIXES = {"Corp", "Inc.", "Holdings", "Group", "Industries", "Technologies"};
    private static final double[][] SPLIT_RATIOS = {{1, 2}, {1, 3}, {1, 4}, {2, 3}, {10, 1}};
    /**
     * Symbols people type first, listed long before today so a first backfill of them has bars; their
     * prices are as synthetic as everyone else's.
     */
    private static final String[] WELL_KNOWN = {"AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "GOOG", "META", "BRK.B", "JPM",
            "XOM", "JNJ", "V", "PG", "UNH", "HD", "KO", "PEP", "WMT", "DIS", "INTC", "CSCO", "ORCL", "IBM", "TSLA", "NFLX"};
    private static final String[] WELL_KNOWN_ETFS = {"SPY", "QQQ", "IWM", "DIA"};
    private static final Set<String> WELL_KNOWN_SYMBOLS = java.util.stream.Stream.of(WELL_KNOWN, WELL_KNOWN_ETFS)
            .flatMap(java.util.Arrays::stream).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /**
     * One listed security and the parameters of its price path.
     *
     * @param sector    the sector its SIC code belongs to (stocks), null for ETFs
     * @param marketCap what the market values it at on the last published session (the details serve shares
     *                  outstanding to match the last close)
     */
    public record Listing(Ticker ticker, String name, String type, String exchange, String sector, double marketCap,
                          int firstSession, int lastSession, boolean active, double startPrice, double drift,
                          double volatility, double baseVolume, boolean fractionalVolume, double haltRate,
                          List<SplitEvent> splits, long pathSeed, Company company) {
    }

    /**
     * The rest of its ticker details.
     *
     * @param etfKind the kind of fund its name describes (broad_market, sectors, ...), null for stocks
     */
    public record Company(String sicCode, String sicDescription, String cik, String compositeFigi, String etfKind) {
    }

    /** A split on a session: prices divide by {@code splitTo / splitFrom} from that session on. */
    public record SplitEvent(int session, double splitFrom, double splitTo) {
        double ratio() {
            return splitTo / splitFrom;
        }
    }

    /**
     * A listing that traded as {@code previous} before {@code session} and as its own ticker from then on.
     */
    public record Rename(Ticker previous, int session) {
    }

    /** Regular cash dividends: every {@code every} sessions from {@code firstExSession}, {@code cash} a share. */
    public record DividendPlan(int firstExSession, int every, double cash, int frequency) {
    }

    /** A dividend as it goes ex. */
    public record DividendEvent(Listing listing, int exSession, double cash, int frequency) {
    }

    private final long seed;
    private final TradingCalendar calendar;
    private final int horizon;
    private volatile int publishedThrough;
    private final Map<Ticker, Listing> listings;
    private final Map<Ticker, Long> shares = new ConcurrentHashMap<>();
    private final Set<Ticker> everyMinuteToo = ConcurrentHashMap.newKeySet();
    private final Map<Ticker, Rename> renames = new HashMap<>();
    private final Map<Ticker, Listing> byPrevious = new HashMap<>();
    private final Map<Ticker, DividendPlan> dividends = new HashMap<>();

    /**
     * @param tickers         how many securities to list
     * @param lastPublished   the last session with published bars (later sessions have none yet)
     */
    public SyntheticMarket(long seed, int tickers, LocalDate lastPublished, TradingCalendar calendar) {
        this.seed = seed;
        this.calendar = calendar;
        this.horizon = calendar.sessionIndex(calendar.onOrBefore(lastPublished));
        this.publishedThrough = horizon;
        this.listings = Collections.unmodifiableMap(generate(tickers));
        generateCorporateActions();
    }

    /**
     * Publishes bars through {@code session} from now on (a later day has come; or, for a test, an earlier one):
     * the market itself, its listings and their events, stay as generated.
     */
    public void publishThrough(LocalDate session) {
        publishedThrough = calendar.sessionIndex(calendar.onOrBefore(session));
    }

    /**
     * Dividends and ticker changes, drawn from a stream of their own after the listings, so every listing and bar
     * is what it was before the market had them.
     */
    private void generateCorporateActions() {
        SplittableRandom random = new SplittableRandom(seed ^ 0xD1B1DE5DL);
        Set<String> used = new HashSet<>();
        listings.keySet().forEach(t -> used.add(t.value()));
        for (Listing l : listings.values()) {
            double pays = random.nextDouble();
            double yield = 0.01 + 0.04 * random.nextDouble();
            int phase = random.nextInt(63);
            double renameDraw = random.nextDouble();
            int renameAt = random.nextInt(Integer.MAX_VALUE);
            long nameSeed = random.nextLong();
            if (pays < (l.type().equals("ETF") ? 0.6 : 0.35)) {
                boolean monthly = l.type().equals("ETF") && pays < 0.2;
                int every = monthly ? 21 : 63;
                int frequency = monthly ? 12 : 4;
                double cash = Math.max(0.01, Math.round(l.startPrice() * yield / frequency * 10_000) / 10_000.0);
                dividends.put(l.ticker(), new DividendPlan(l.firstSession() + 5 + phase % every, every, cash, frequency));
            }
            int end = Math.min(l.lastSession(), horizon);
            if (renameDraw < 0.02 && !WELL_KNOWN_SYMBOLS.contains(l.ticker().value()) && end - l.firstSession() > 80) {
                String previous = previousName(l.ticker().value(), new SplittableRandom(nameSeed), used);
                used.add(previous);
                Rename rename = new Rename(Ticker.of(previous), l.firstSession() + 40 + renameAt % (end - l.firstSession() - 40));
                renames.put(l.ticker(), rename);
                byPrevious.put(rename.previous(), l);
            }
        }
    }

    /** A ticker no listing uses: the listing's first letter and a few more. */
    private static String previousName(String current, SplittableRandom random, Set<String> used) {
        while (true) {
            StringBuilder name = new StringBuilder().append(current.charAt(0));
            for (int i = 0; i < 3; i++) {
                name.append((char) ('A' + random.nextInt(26)));
            }
            if (!used.contains(name.toString())) {
                return name.toString();
            }
        }
    }

    public long seed() {
        return seed;
    }

    public LocalDate lastPublishedSession() {
        return calendar.session(publishedThrough);
    }

    public List<Listing> listings() {
        return List.copyOf(listings.values());
    }

    /** The listing trading as this ticker now (or, before a rename, the ticker it had). */
    public Optional<Listing> listing(Ticker ticker) {
        return Optional.ofNullable(listings.get(ticker));
    }

    /** The listing that ever traded as this ticker. */
    public Optional<Listing> listingEverTradedAs(Ticker ticker) {
        Listing current = listings.get(ticker);
        return Optional.ofNullable(current != null ? current : byPrevious.get(ticker));
    }

    /** The ticker change of a listing, if it has one (published or not yet). */
    public Optional<Rename> rename(Listing listing) {
        return Optional.ofNullable(renames.get(listing.ticker()));
    }

    /** The ticker the listing traded as on a session. */
    public Ticker tickerOn(Listing listing, int session) {
        Rename r = renames.get(listing.ticker());
        return r != null && session < r.session() ? r.previous() : listing.ticker();
    }

    /** The ticker it trades as on the last published session. */
    public Ticker currentTicker(Listing listing) {
        return tickerOn(listing, publishedThrough);
    }

    /** The listing's regular dividends, if it pays any. */
    public Optional<DividendPlan> dividendPlan(Listing listing) {
        return Optional.ofNullable(dividends.get(listing.ticker()));
    }

    /** Every dividend going ex on sessions {@code from..to} (indices), of listings trading then, in session order. */
    public List<DividendEvent> dividends(int from, int to) {
        List<DividendEvent> out = new ArrayList<>();
        for (Listing l : listings.values()) {
            DividendPlan plan = dividends.get(l.ticker());
            if (plan == null) {
                continue;
            }
            int end = Math.min(to, l.lastSession());
            int k = Math.max(0, (from - plan.firstExSession() + plan.every() - 1) / plan.every());
            for (int s = plan.firstExSession() + k * plan.every(); s <= end; s += plan.every()) {
                if (s >= from) {
                    out.add(new DividendEvent(l, s, plan.cash(), plan.frequency()));
                }
            }
        }
        out.sort(java.util.Comparator.comparingInt(DividendEvent::exSession).thenComparing(e -> tickerOn(e.listing(), e.exSession())));
        return out;
    }

    private Map<Ticker, Listing> generate(int count) {
        SplittableRandom random = new SplittableRandom(seed);
        // Details come from a stream of their own: the draws of `random`, and so every bar, stay as they were.
        SplittableRandom details = new SplittableRandom(seed ^ 0xC0DE5EEDL);
        int etfs = 0;
        Set<String> used = new HashSet<>();
        List<Listing> out = new ArrayList<>(count);
        int recentStart = calendar.sessionIndex(calendar.onOrAfter(LocalDate.of(2015, 1, 1)));
        int wellKnownListed = calendar.sessionIndex(calendar.onOrAfter(LocalDate.of(1995, 1, 3)));
        int known = 0;
        while (out.size() < count) {
            StringBuilder symbol = new StringBuilder();
            boolean wellKnown = known < WELL_KNOWN.length + WELL_KNOWN_ETFS.length;
            if (wellKnown) {
                symbol.append(known < WELL_KNOWN.length ? WELL_KNOWN[known] : WELL_KNOWN_ETFS[known - WELL_KNOWN.length]);
            } else {
                int length = 1 + random.nextInt(4);
                for (int i = 0; i < length; i++) {
                    symbol.append((char) ('A' + random.nextInt(26)));
                }
                // A few share classes, spelled as Polygon does (BRK.A).
                if (random.nextDouble() < 0.01) {
                    symbol.append('.').append(random.nextBoolean() ? 'A' : 'B');
                }
            }
            if (!used.add(symbol.toString())) {
                continue;
            }
            boolean etf = wellKnown ? known++ >= WELL_KNOWN.length : random.nextDouble() < 0.15;
            String name = WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)] + " "
                    + (etf ? "ETF" : SUFFIXES[random.nextInt(SUFFIXES.length)]);
            // Most listings predate 2000 so long backfills have history; some list recently.
            int first = random.nextDouble() < 0.8
                    ? random.nextInt(Math.max(1, recentStart))
                    : recentStart + random.nextInt(Math.max(1, horizon - recentStart));
            if (wellKnown) {
                first = Math.min(first, wellKnownListed);
            }
            boolean delisted = !wellKnown && random.nextDouble() < 0.03 && horizon - first > 300;
            int last = delisted ? first + 250 + random.nextInt(horizon - first - 250) : Integer.MAX_VALUE;
            List<SplitEvent> splits = new ArrayList<>();
            if (random.nextDouble() < 0.06) {
                int end = Math.min(last, horizon);
                if (end - first > 20) {
                    double[] r = SPLIT_RATIOS[random.nextInt(SPLIT_RATIOS.length)];
                    splits.add(new SplitEvent(first + 10 + random.nextInt(end - first - 10), r[0], r[1]));
                }
            }
            String exchange = etf ? "ARCX" : (random.nextBoolean() ? "XNYS" : "XNAS");
            String sector = etf ? null : SECTORS[random.nextInt(SECTORS.length)];
            double marketCap = SyntheticCompanies.marketCap(random.nextDouble(), etf);
            SyntheticCompanies.Known real = SyntheticCompanies.WELL_KNOWN.get(symbol.toString());
            String etfKind = null;
            if (real != null) {
                name = real.name();
                sector = real.sector();
                marketCap = real.marketCap();
                etfKind = SyntheticCompanies.WELL_KNOWN_ETF_KINDS.get(symbol.toString());
            } else if (etf) {
                etfKind = SyntheticCompanies.ETF_KINDS.get(etfs++ % SyntheticCompanies.ETF_KINDS.size());
                name = SyntheticCompanies.etfName(etfKind, details);
            }
            String[] sic = real != null ? new String[] {real.sicCode(), real.sicDescription()}
                    : etf ? new String[2] : SyntheticCompanies.sic(sector, details);
            Company company = new Company(sic[0], sic[1], SyntheticCompanies.cik(details), SyntheticCompanies.figi(details), etfKind);
            out.add(new Listing(Ticker.of(symbol.toString()), name, etf ? "ETF" : "CS", exchange, sector, marketCap, first,
                    last, !delisted, 5 + 195 * random.nextDouble(), 0.0001 + 0.0003 * random.nextDouble(),
                    0.008 + 0.012 * random.nextDouble(), Math.exp(11 + 5 * random.nextDouble()),
                    random.nextDouble() < 0.1, random.nextDouble() < 0.05 ? 0.01 : 0.0, List.copyOf(splits),
                    random.nextLong(), company));
        }
        out.sort((a, b) -> a.ticker().compareTo(b.ticker()));
        Map<Ticker, Listing> byTicker = new LinkedHashMap<>();
        for (Listing listing : out) {
            byTicker.put(listing.ticker(), listing);
        }
        return byTicker;
    }

    /**
     * The ticker's bars on sessions {@code from..to} (indices, inclusive), as Polygon would serve them with
     * or without split adjustment. The path is always that of the listing's first session on, so a bar
     * does not depend on the range it was asked for in; the walk starts at the last checkpoint before {@code from},
     * so a grouped day of the whole market costs a few dozen steps per listing, not its whole history.
     */
    public List<Bar> bars(Listing listing, int from, int to, boolean adjusted) {
        List<Bar> out = new ArrayList<>();
        for (TradedDay day : tradedDays(listing, from, to)) {
            out.add(adjusted ? day.adjusted() : day.traded());
        }
        return out;
    }

    /**
     * A session's bar as traded (prices jump at each split) and the ratio of the splits executed after it, up to the
     * last published session.
     */
    record TradedDay(Bar traded, double laterRatio) {
        /**
         * Polygon's adjusted prices are the traded ones divided by the splits executed after the bar, up to the day they
         * are asked for (volumes multiplied); the trade count stays as it was.
         */
        Bar adjusted() {
            if (laterRatio == 1) {
                return traded;
            }
            Bar t = traded;
            return new Bar(t.symbol(), t.date(), t.open() / laterRatio, t.high() / laterRatio, t.low() / laterRatio,
                    t.close() / laterRatio, t.volume() * laterRatio, t.vwap() / laterRatio, t.transactions());
        }
    }

    List<TradedDay> tradedDays(Listing listing, int from, int to) {
        int published = publishedThrough;
        int end = Math.min(Math.min(to, listing.lastSession()), published);
        List<TradedDay> out = new ArrayList<>();
        if (end < listing.firstSession() || end < from) {
            return out;
        }
        Path path = startOfWalk(listing, from);
        for (int s = path.session; s <= end; s = path.session) {
            if (s < from) {
                path.advance();
                continue;
            }
            path.step();
            if (path.halt < listing.haltRate()) {
                continue;
            }
            double appliedRatio = 1;
            double laterRatio = 1;
            for (SplitEvent split : listing.splits()) {
                if (split.session() <= s) {
                    appliedRatio *= split.ratio();
                } else if (split.session() <= published) {
                    laterRatio *= split.ratio();
                }
            }
            double o = round4(path.open / appliedRatio);
            double c = round4(path.close / appliedRatio);
            double h = Math.max(round4(path.high / appliedRatio), Math.max(o, c));
            double l = Math.min(round4(path.low / appliedRatio), Math.min(o, c));
            double volume = path.shares * appliedRatio + (listing.fractionalVolume() ? Math.floor(path.fraction * 10) / 10 : 0);
            double vwap = round4((h + l + c) / 3);
            long trades = Math.max(1, Math.round(volume / 120));
            out.add(new TradedDay(new Bar(tickerOn(listing, s), calendar.session(s), o, h, l, c, volume, vwap, trades),
                    laterRatio));
        }
        walkEnds.computeIfAbsent(listing.ticker(), t -> new WalkEnds()).remember(path.session, path.economicClose);
        return out;
    }

    /** Whether the listing trades every minute of every session, so its minute bars are served: the well-known ones. */
    public boolean tradesEveryMinute(Listing listing) {
        return WELL_KNOWN_SYMBOLS.contains(listing.ticker().value()) || everyMinuteToo.contains(listing.ticker());
    }

    /**
     * From now on the {@code largest} active listings by market cap trade every minute too (besides the well-known
     * ones), so a benchmark can ask for more minute symbols than the well-known few; by default only those trade so.
     */
    public void tradeEveryMinute(int largest) {
        listings.values().stream().filter(Listing::active).sorted(Comparator.comparingDouble(Listing::marketCap).reversed())
                .limit(largest).forEach(l -> everyMinuteToo.add(l.ticker()));
    }

    /**
     * The listing's one-minute bars on sessions {@code from..to} (indices, inclusive), in time order, adjusted as
     * {@link #bars} are; none for a listing that does not trade every minute. See {@link SessionMinutes}.
     */
    public List<MinuteBar> minuteBars(Listing listing, int from, int to, boolean adjusted) {
        List<MinuteBar> out = new ArrayList<>();
        if (!tradesEveryMinute(listing)) {
            return out;
        }
        for (TradedDay day : tradedDays(listing, from, to)) {
            LocalDate date = day.traded().date();
            SessionMinutes.of(day.traded(), day.laterRatio(), adjusted, calendar.closeTime(date),
                    listing.pathSeed() ^ date.toEpochDay() * 0x9E3779B97F4A7C15L, out);
        }
        return out;
    }

    /** Sessions between two remembered points of a listing's path. */
    private static final int CHECKPOINT_EVERY = 64;
    /** The numbers one session draws: five sums of four uniforms, the halt and the volume's fraction. */
    private static final int DRAWS_PER_SESSION = 22;
    private final Map<Ticker, double[]> checkpoints = new ConcurrentHashMap<>();

    /** Where a walk to {@code from} starts: the latest checkpoint or walk end at or before it. */
    private Path startOfWalk(Listing listing, int from) {
        int step = Math.max(0, from - listing.firstSession()) / CHECKPOINT_EVERY;
        Path path = new Path(listing, listing.firstSession() + step * CHECKPOINT_EVERY, checkpoints(listing)[step]);
        WalkEnds ends = walkEnds.get(listing.ticker());
        return ends == null ? path : ends.closestAtOrBefore(from, path);
    }

    private final Map<Ticker, WalkEnds> walkEnds = new ConcurrentHashMap<>();

    /**
     * The last few sessions a walk of one listing stopped before, with the economic close there. A session's flat file
     * walks every listing to that session, and readers ask for the files in date order (a few at a time), so the next
     * file starts one step before its session instead of half a checkpoint interval: a 10,000-listing file took 68 ms
     * of which most was walking (README, Benchmarks). Any start gives the same bar, as a checkpoint does.
     */
    private static final class WalkEnds {
        private static final int KEPT = 8;
        private final int[] sessions = new int[KEPT];
        private final double[] closes = new double[KEPT];
        private int next;

        synchronized void remember(int session, double economicClose) {
            for (int i = 0; i < KEPT; i++) {
                if (sessions[i] == session) {
                    return;
                }
            }
            sessions[next] = session;
            closes[next] = economicClose;
            next = (next + 1) % KEPT;
        }

        synchronized Path closestAtOrBefore(int from, Path checkpoint) {
            int best = -1;
            for (int i = 0; i < KEPT; i++) {
                if (sessions[i] > checkpoint.session && sessions[i] <= from && (best < 0 || sessions[i] > sessions[best])) {
                    best = i;
                }
            }
            return best < 0 ? checkpoint : new Path(checkpoint.listing, sessions[best], closes[best]);
        }
    }

    /** The economic close before every {@link #CHECKPOINT_EVERY}-th session of the listing's path, walked once. */
    private double[] checkpoints(Listing listing) {
        return checkpoints.computeIfAbsent(listing.ticker(), t -> {
            int end = Math.min(listing.lastSession(), publishedThrough);
            double[] closes = new double[Math.max(0, end - listing.firstSession()) / CHECKPOINT_EVERY + 1];
            Path path = new Path(listing, listing.firstSession(), listing.startPrice());
            for (int i = 0; i < closes.length; i++) {
                closes[i] = path.economicClose;
                for (int k = 0; k < CHECKPOINT_EVERY && path.session <= end; k++) {
                    path.advance();
                }
            }
            return closes;
        });
    }

    /**
     * A walk along a listing's price path from any session, given the economic close before it. Its numbers are those
     * of {@code new SplittableRandom(pathSeed)} drawn in order, addressed by position (the generator's state after n
     * draws is its seed plus n times its gamma), so a walk can start anywhere and still draw what a walk from the first
     * session would.
     */
    private static final class Path {
        private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
        private final Listing listing;
        private long state;
        int session;
        double economicClose;
        double open;
        double close;
        double high;
        double low;
        double shares;
        double halt;
        double fraction;

        Path(Listing listing, int session, double economicClose) {
            this.listing = listing;
            this.session = session;
            this.economicClose = economicClose;
            this.state = listing.pathSeed() + (long) (session - listing.firstSession()) * DRAWS_PER_SESSION * GOLDEN_GAMMA;
        }

        /** The bar of {@link #session} before any split, then on to the next session. */
        void step() {
            // Draw every number of every session, halted or not, so the path never depends on the range.
            double gap = gaussian();
            double ret = gaussian();
            double up = Math.abs(gaussian());
            double down = Math.abs(gaussian());
            double vol = gaussian();
            halt = nextDouble();
            fraction = nextDouble();
            double sigma = listing.volatility();
            open = economicClose * Math.exp(0.25 * sigma * gap);
            close = economicClose * Math.exp(listing.drift() - sigma * sigma / 2 + sigma * ret);
            high = Math.max(open, close) * Math.exp(0.5 * sigma * up);
            low = Math.min(open, close) * Math.exp(-0.5 * sigma * down);
            shares = Math.floor(listing.baseVolume() * Math.exp(0.4 * vol));
            economicClose = close;
            session++;
        }

        /**
         * On to the next session as {@link #step()} goes, drawing only the numbers its close depends on (the second
         * gaussian of the session's {@link #DRAWS_PER_SESSION}) and computing that close as {@code step} does, so the
         * economic close is the same to the bit: a walk to a range or a checkpoint costs a third.
         */
        void advance() {
            state += 4 * GOLDEN_GAMMA;
            double ret = gaussian();
            state += (DRAWS_PER_SESSION - 8) * GOLDEN_GAMMA;
            double sigma = listing.volatility();
            economicClose = economicClose * Math.exp(listing.drift() - sigma * sigma / 2 + sigma * ret);
            session++;
        }

        private double gaussian() {
            // Sum of uniforms: bounded, cheap, and identical on every JVM (unlike nextGaussian's algorithm).
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                sum += nextDouble();
            }
            return (sum - 2) * Math.sqrt(3);
        }

        /** SplittableRandom's nextDouble: the mixed next state's top 53 bits. */
        private double nextDouble() {
            long z = state += GOLDEN_GAMMA;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            z = z ^ (z >>> 31);
            return (z >>> 11) * 0x1.0p-53;
        }
    }

    private static double round4(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    /**
     * Shares outstanding as the details serve them: the market cap over the last published close, so shares x
     * close is the market cap, as Polygon computes it. Worked out on first use (it walks the price path), then kept.
     */
    public long sharesOutstanding(Listing listing) {
        return shares.computeIfAbsent(listing.ticker(), t -> Math.max(1, Math.round(listing.marketCap() / lastClose(listing))));
    }

    /** The listing's last close (adjusted) up to the last published session, or its start price before any bar. */
    public double lastClose(Listing listing) {
        int end = Math.min(listing.lastSession(), publishedThrough);
        List<Bar> recent = bars(listing, Math.max(listing.firstSession(), end - 20), end, true);
        return recent.isEmpty() ? listing.startPrice() : recent.getLast().close();
    }

    public TradingCalendar calendar() {
        return calendar;
    }

    public int publishedThroughIndex() {
        return publishedThrough;
    }
}
