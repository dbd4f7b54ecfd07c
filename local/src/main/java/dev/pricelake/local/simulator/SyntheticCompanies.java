package dev.pricelake.local.simulator;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the simulator's ticker details say about a listing beyond its prices: real names, SIC codes and market
 * caps for the well-known symbols; for the others a SIC code of their sector, a market cap drawn so every tier
 * from micro to mega has members, identifiers, and ETF names of every kind (broad market, sectors, growth,
 * value, technology, bonds, commodities, dividend, international, leveraged), as the big issuers spell them.
 * Drawn from a stream of their own, so the prices are the same as without them.
 */
final class SyntheticCompanies {
    /** A well-known symbol as its issuer describes it; caps as of late 2025, rounded. */
    record Known(String name, String sicCode, String sicDescription, String sector, double marketCap) {
    }

    static final Map<String, Known> WELL_KNOWN = Map.ofEntries(
            Map.entry("AAPL", new Known("Apple Inc.", "3571", "ELECTRONIC COMPUTERS", "Technology", 3.4e12)),
            Map.entry("MSFT", new Known("Microsoft Corp", "7372", "SERVICES-PREPACKAGED SOFTWARE", "Technology", 3.6e12)),
            Map.entry("NVDA", new Known("NVIDIA Corp", "3674", "SEMICONDUCTORS & RELATED DEVICES", "Technology", 4.3e12)),
            Map.entry("AMZN", new Known("Amazon.com, Inc.", "5961", "RETAIL-CATALOG & MAIL-ORDER HOUSES",
                    "Consumer Discretionary", 2.3e12)),
            Map.entry("GOOGL", new Known("Alphabet Inc. Class A", "7370", "SERVICES-COMPUTER PROGRAMMING, DATA PROCESSING, ETC.",
                    "Communication Services", 2.1e12)),
            Map.entry("GOOG", new Known("Alphabet Inc. Class C", "7370", "SERVICES-COMPUTER PROGRAMMING, DATA PROCESSING, ETC.",
                    "Communication Services", 2.1e12)),
            Map.entry("META", new Known("Meta Platforms, Inc. Class A", "7370",
                    "SERVICES-COMPUTER PROGRAMMING, DATA PROCESSING, ETC.", "Communication Services", 1.8e12)),
            Map.entry("BRK.B", new Known("Berkshire Hathaway Inc. Class B", "6331", "FIRE, MARINE & CASUALTY INSURANCE",
                    "Financials", 1.0e12)),
            Map.entry("JPM", new Known("JPMorgan Chase & Co.", "6021", "NATIONAL COMMERCIAL BANKS", "Financials", 7.5e11)),
            Map.entry("XOM", new Known("Exxon Mobil Corp", "2911", "PETROLEUM REFINING", "Energy", 4.8e11)),
            Map.entry("JNJ", new Known("Johnson & Johnson", "2834", "PHARMACEUTICAL PREPARATIONS", "Health Care", 3.8e11)),
            Map.entry("V", new Known("Visa Inc.", "7389", "SERVICES-BUSINESS SERVICES, NEC", "Financials", 6.6e11)),
            Map.entry("PG", new Known("Procter & Gamble Company", "2840", "SOAP, DETERGENTS, CLEANG PREPARATIONS, PERFUMES, COSMETICS",
                    "Consumer Staples", 3.7e11)),
            Map.entry("UNH", new Known("UnitedHealth Group Inc.", "6324", "HOSPITAL & MEDICAL SERVICE PLANS", "Health Care", 2.8e11)),
            Map.entry("HD", new Known("Home Depot, Inc.", "5211", "RETAIL-LUMBER & OTHER BUILDING MATERIALS DEALERS",
                    "Consumer Discretionary", 3.8e11)),
            Map.entry("KO", new Known("Coca-Cola Co", "2080", "BEVERAGES", "Consumer Staples", 3.0e11)),
            Map.entry("PEP", new Known("PepsiCo, Inc.", "2080", "BEVERAGES", "Consumer Staples", 2.0e11)),
            Map.entry("WMT", new Known("Walmart Inc.", "5331", "RETAIL-VARIETY STORES", "Consumer Staples", 8.0e11)),
            Map.entry("DIS", new Known("Walt Disney Co", "7990", "SERVICES-MISCELLANEOUS AMUSEMENT & RECREATION",
                    "Communication Services", 1.95e11)),
            Map.entry("INTC", new Known("Intel Corp", "3674", "SEMICONDUCTORS & RELATED DEVICES", "Technology", 1.0e11)),
            Map.entry("CSCO", new Known("Cisco Systems, Inc.", "3576", "COMPUTER COMMUNICATIONS EQUIPMENT", "Technology", 2.6e11)),
            Map.entry("ORCL", new Known("Oracle Corp", "7372", "SERVICES-PREPACKAGED SOFTWARE", "Technology", 6.5e11)),
            Map.entry("IBM", new Known("International Business Machines Corp", "3570", "COMPUTER & OFFICE EQUIPMENT",
                    "Technology", 2.4e11)),
            Map.entry("TSLA", new Known("Tesla, Inc.", "3711", "MOTOR VEHICLES & PASSENGER CAR BODIES", "Consumer Discretionary",
                    1.3e12)),
            Map.entry("NFLX", new Known("Netflix, Inc.", "7841", "SERVICES-VIDEO TAPE RENTAL", "Communication Services", 4.0e11)),
            Map.entry("SPY", new Known("SPDR S&P 500 ETF Trust", null, null, null, 6.5e11)),
            Map.entry("QQQ", new Known("Invesco QQQ Trust, Series 1", null, null, null, 3.6e11)),
            Map.entry("IWM", new Known("iShares Russell 2000 ETF", null, null, null, 6.5e10)),
            Map.entry("DIA", new Known("SPDR Dow Jones Industrial Average ETF Trust", null, null, null, 3.8e10)));

    /** The ETF kind each well-known ETF is, as its issuer describes it. */
    static final Map<String, String> WELL_KNOWN_ETF_KINDS = Map.of("SPY", "broad_market", "QQQ", "technology",
            "IWM", "broad_market", "DIA", "broad_market");

    /** Real SIC codes (with the SEC's descriptions) of each sector, as the SIC table classifies them. */
    static final Map<String, List<String[]>> SIC_BY_SECTOR = Map.ofEntries(
            Map.entry("Technology", List.of(new String[] {"3571", "ELECTRONIC COMPUTERS"},
                    new String[] {"3674", "SEMICONDUCTORS & RELATED DEVICES"},
                    new String[] {"7372", "SERVICES-PREPACKAGED SOFTWARE"},
                    new String[] {"3576", "COMPUTER COMMUNICATIONS EQUIPMENT"},
                    new String[] {"7373", "SERVICES-COMPUTER INTEGRATED SYSTEMS DESIGN"})),
            Map.entry("Health Care", List.of(new String[] {"2834", "PHARMACEUTICAL PREPARATIONS"},
                    new String[] {"2836", "BIOLOGICAL PRODUCTS, (NO DIAGNOSTIC SUBSTANCES)"},
                    new String[] {"3841", "SURGICAL & MEDICAL INSTRUMENTS & APPARATUS"},
                    new String[] {"8062", "SERVICES-GENERAL MEDICAL & SURGICAL HOSPITALS, NEC"},
                    new String[] {"6324", "HOSPITAL & MEDICAL SERVICE PLANS"})),
            Map.entry("Financials", List.of(new String[] {"6021", "NATIONAL COMMERCIAL BANKS"},
                    new String[] {"6022", "STATE COMMERCIAL BANKS"},
                    new String[] {"6211", "SECURITY BROKERS, DEALERS & FLOTATION COMPANIES"},
                    new String[] {"6311", "LIFE INSURANCE"}, new String[] {"6331", "FIRE, MARINE & CASUALTY INSURANCE"})),
            Map.entry("Energy", List.of(new String[] {"1311", "CRUDE PETROLEUM & NATURAL GAS"},
                    new String[] {"2911", "PETROLEUM REFINING"}, new String[] {"1381", "DRILLING OIL & GAS WELLS"},
                    new String[] {"1389", "SERVICES-OIL & GAS FIELD SERVICES, NEC"})),
            Map.entry("Industrials", List.of(new String[] {"3721", "AIRCRAFT"},
                    new String[] {"4011", "RAILROADS, LINE-HAUL OPERATING"},
                    new String[] {"3560", "GENERAL INDUSTRIAL MACHINERY & EQUIPMENT"},
                    new String[] {"4213", "TRUCKING (NO LOCAL)"}, new String[] {"8711", "SERVICES-ENGINEERING SERVICES"})),
            Map.entry("Consumer Discretionary", List.of(new String[] {"3711", "MOTOR VEHICLES & PASSENGER CAR BODIES"},
                    new String[] {"5812", "RETAIL-EATING PLACES"}, new String[] {"5961", "RETAIL-CATALOG & MAIL-ORDER HOUSES"},
                    new String[] {"7011", "HOTELS & MOTELS"},
                    new String[] {"2300", "APPAREL & OTHER FINISHD PRODS OF FABRICS & SIMILAR MATL"})),
            Map.entry("Consumer Staples", List.of(new String[] {"2080", "BEVERAGES"},
                    new String[] {"2000", "FOOD AND KINDRED PRODUCTS"}, new String[] {"5411", "RETAIL-GROCERY STORES"},
                    new String[] {"2844", "PERFUMES, COSMETICS & OTHER TOILET PREPARATIONS"},
                    new String[] {"5331", "RETAIL-VARIETY STORES"})),
            Map.entry("Utilities", List.of(new String[] {"4911", "ELECTRIC SERVICES"},
                    new String[] {"4931", "ELECTRIC & OTHER SERVICES COMBINED"}, new String[] {"4941", "WATER SUPPLY"},
                    new String[] {"4924", "NATURAL GAS DISTRIBUTION"})),
            Map.entry("Materials", List.of(new String[] {"2800", "CHEMICALS & ALLIED PRODUCTS"},
                    new String[] {"1000", "METAL MINING"},
                    new String[] {"3312", "STEEL WORKS, BLAST FURNACES & ROLLING MILLS (COKE OVENS)"},
                    new String[] {"2650", "PAPERBOARD CONTAINERS & BOXES"})),
            Map.entry("Real Estate", List.of(new String[] {"6798", "REAL ESTATE INVESTMENT TRUSTS"},
                    new String[] {"6500", "REAL ESTATE"}, new String[] {"6512", "OPERATORS OF NONRESIDENTIAL BUILDINGS"})),
            Map.entry("Communication Services", List.of(new String[] {"4813", "TELEPHONE COMMUNICATIONS (NO RADIOTELEPHONE)"},
                    new String[] {"4841", "CABLE & OTHER PAY TELEVISION SERVICES"},
                    new String[] {"7370", "SERVICES-COMPUTER PROGRAMMING, DATA PROCESSING, ETC."},
                    new String[] {"4833", "TELEVISION BROADCASTING STATIONS"})));

    /** ETF kinds, taken in turn so any market with ten ETFs or more has every kind; each with names of that kind. */
    static final List<String> ETF_KINDS = List.of("broad_market", "sectors", "growth", "value", "technology", "bonds",
            "commodities", "dividend", "international", "leveraged");
    private static final Map<String, List<String>> ETF_NAMES = Map.of(
            "broad_market", List.of("S&P 500 ETF", "Total Stock Market ETF", "Russell 2000 ETF", "Extended Market ETF"),
            "sectors", List.of("U.S. Energy ETF", "U.S. Financials ETF", "Health Care ETF", "Utilities ETF", "Real Estate ETF",
                    "Industrials ETF", "Materials ETF"),
            "growth", List.of("Large-Cap Growth ETF", "Russell 1000 Growth ETF", "S&P 500 Growth ETF"),
            "value", List.of("Mid-Cap Value ETF", "Russell 1000 Value ETF", "S&P 500 Value ETF"),
            "technology", List.of("Semiconductor ETF", "Cloud Computing ETF", "Information Technology ETF", "Cybersecurity ETF"),
            "bonds", List.of("7-10 Year Treasury Bond ETF", "Investment Grade Corporate Bond ETF",
                    "Short-Term Municipal Bond ETF", "Core U.S. Aggregate Bond ETF"),
            "commodities", List.of("Gold Trust", "Silver Trust", "Crude Oil Fund", "Broad Commodity Strategy ETF"),
            "dividend", List.of("High Dividend Yield ETF", "Dividend Appreciation ETF"),
            "international", List.of("MSCI Emerging Markets ETF", "International Developed Markets ETF"),
            "leveraged", List.of("Daily S&P 500 Bull 3X Shares", "UltraPro QQQ", "Ultra Russell 2000"));
    private static final List<String> ISSUERS = List.of("iShares", "Vanguard", "SPDR", "Invesco", "Schwab", "First Trust",
            "Global X", "WisdomTree");
    private static final List<String> LEVERAGED_ISSUERS = List.of("ProShares", "Direxion");

    private SyntheticCompanies() {
    }

    /**
     * A market cap from one uniform draw, by bands: 0.5 % mega ($200B to $3.5T), 9.5 % large, 18 % mid, 30 % small,
     * 42 % micro ($20M to $300M), log-uniform inside each band, like a broad US market. ETFs: $50M to $50B.
     */
    static double marketCap(double u, boolean etf) {
        if (etf) {
            return logUniform(u, 5e7, 5e10);
        }
        double[] upTo = {0.005, 0.10, 0.28, 0.58, 1.0};
        double[][] bands = {{2e11, 3.5e12}, {1e10, 2e11}, {2e9, 1e10}, {3e8, 2e9}, {2e7, 3e8}};
        double from = 0;
        for (int i = 0; i < upTo.length; i++) {
            if (u < upTo[i]) {
                return logUniform((u - from) / (upTo[i] - from), bands[i][0], bands[i][1]);
            }
            from = upTo[i];
        }
        return bands[bands.length - 1][0];
    }

    private static double logUniform(double u, double low, double high) {
        return Math.round(Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))));
    }

    /** A SIC code of the sector and its description. */
    static String[] sic(String sector, SplittableRandom random) {
        List<String[]> codes = SIC_BY_SECTOR.get(sector);
        return codes.get(random.nextInt(codes.size()));
    }

    /** An ETF's name of the given kind. */
    static String etfName(String kind, SplittableRandom random) {
        List<String> issuers = kind.equals("leveraged") ? LEVERAGED_ISSUERS : ISSUERS;
        List<String> names = ETF_NAMES.get(kind);
        return issuers.get(random.nextInt(issuers.size())) + " " + names.get(random.nextInt(names.size()));
    }

    /** Ten digits, as the SEC's CIK. */
    static String cik(SplittableRandom random) {
        return String.format(Locale.ROOT, "%010d", random.nextLong(1_000_000L, 2_000_000L));
    }

    /** A FIGI-shaped identifier: BBG and nine characters. */
    static String figi(SplittableRandom random) {
        String alphabet = "0123456789BCDFGHJKLMNPQRSTVWXYZ";
        StringBuilder figi = new StringBuilder("BBG");
        for (int i = 0; i < 9; i++) {
            figi.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return figi.toString();
    }
}
