package dev.pricelake.core.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bundled SIC table on the codes of well-known companies (their SEC filings' SIC codes). */
class SicTableTest {
    private static final SicTable TABLE = SicTable.bundled();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            AAPL | 3571 | Technology             | Computer Hardware
            NVDA | 3674 | Technology             | Semiconductors
            MSFT | 7372 | Technology             | Software
            CSCO | 3576 | Technology             | Communications Equipment
            GOOGL| 7370 | Communication Services | Interactive Media & Services
            NFLX | 7841 | Communication Services | Movies & Entertainment
            JNJ  | 2834 | Health Care            | Pharmaceuticals
            AMGN | 2836 | Health Care            | Biotechnology
            UNH  | 6324 | Health Care            | Managed Health Care
            JPM  | 6021 | Financials             | Banks
            V    | 7389 | Financials             | Transaction & Payment Services
            BRK.B| 6331 | Financials             | Property & Casualty Insurance
            XOM  | 2911 | Energy                 | Oil & Gas Refining & Marketing
            COP  | 1311 | Energy                 | Oil & Gas Exploration & Production
            NEE  | 4911 | Utilities              | Electric Utilities
            PLD  | 6798 | Real Estate            | REITs
            TSLA | 3711 | Consumer Discretionary | Automobiles
            AMZN | 5961 | Consumer Discretionary | Broadline Retail
            HD   | 5211 | Consumer Discretionary | Home Improvement Retail
            WMT  | 5331 | Consumer Staples       | Consumer Staples Merchandise Retail
            KO   | 2080 | Consumer Staples       | Beverages
            PG   | 2840 | Consumer Staples       | Household & Personal Products
            BA   | 3721 | Industrials            | Aerospace & Defense
            UNP  | 4011 | Industrials            | Railroads
            LIN  | 2810 | Materials              | Chemicals
            """)
    void wellKnownCompanies(String ticker, String sic, String sector, String industry) {
        assertThat(TABLE.classify(sic)).contains(new SicTable.Classification(sector, industry));
    }

    @Test
    void theNarrowestRangeWinsAndTheLaterAmongEquals() {
        SicTable table = SicTable.parse("""
                # mine
                sic_from,sic_to,sector,industry
                3000,3999,Industrials,Manufacturing
                3570,3579,Technology,Computers
                3570,3579,Technology,Computer Hardware
                """, "mine.csv");
        assertThat(table.classify("3571")).contains(new SicTable.Classification("Technology", "Computer Hardware"));
        assertThat(table.classify("3100")).contains(new SicTable.Classification("Industrials", "Manufacturing"));
        assertThat(table.classify("9999")).isEmpty();
        assertThat(table.classify(null)).isEmpty();
        assertThat(table.classify("abc")).isEmpty();
    }

    @Test
    void errorsNameTheFileAndLine() {
        String header = "sic_from,sic_to,sector,industry\n";
        assertThatThrownBy(() -> SicTable.parse(header + "3000,2999,A,B\n", "--sic-table mine.csv"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--sic-table mine.csv line 2: sic_to 2999 is below sic_from 3000");
        assertThatThrownBy(() -> SicTable.parse(header + "30x0,3100,A,B\n", "mine.csv"))
                .hasMessageStartingWith("mine.csv line 2: sic_from '30x0' is not a SIC code");
        assertThatThrownBy(() -> SicTable.parse(header + "3000,3100,A,Aerospace/Defense\n", "mine.csv"))
                .hasMessageContaining("line 2: industry 'Aerospace/Defense' must be a non-empty name without '/'");
        assertThatThrownBy(() -> SicTable.parse(header + "3000,3100,A\n", "mine.csv"))
                .hasMessageContaining("line 2: has 3 columns, not the 4");
        assertThatThrownBy(() -> SicTable.parse("# nothing\n", "mine.csv")).hasMessageStartingWith("mine.csv: has no records");
    }
}
