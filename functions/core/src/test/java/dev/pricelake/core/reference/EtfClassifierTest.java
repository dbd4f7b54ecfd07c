package dev.pricelake.core.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The bundled ETF rules on names as Polygon spells them; the expected kinds are how the funds describe themselves. */
class EtfClassifierTest {
    private static final EtfClassifier RULES = EtfClassifier.bundled();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            SPY  | SPDR S&P 500 ETF Trust                              | SPDR        | broad_market  | -
            VOO  | Vanguard S&P 500 ETF                                | Vanguard    | broad_market  | -
            IVV  | iShares Core S&P 500 ETF                            | iShares     | broad_market  | -
            VTI  | Vanguard Total Stock Market ETF                     | Vanguard    | broad_market  | -
            IWM  | iShares Russell 2000 ETF                            | iShares     | broad_market  | -
            DIA  | SPDR Dow Jones Industrial Average ETF Trust         | SPDR        | broad_market  | -
            XLK  | Technology Select Sector SPDR Fund                  | SPDR        | sectors       | Technology
            XLF  | Financial Select Sector SPDR Fund                   | SPDR        | sectors       | Financials
            XLE  | Energy Select Sector SPDR Fund                      | SPDR        | sectors       | Energy
            XLV  | Health Care Select Sector SPDR Fund                 | SPDR        | sectors       | Health Care
            XBI  | SPDR S&P Biotech ETF                                | SPDR        | sectors       | Health Care
            XOP  | SPDR S&P Oil & Gas Exploration & Production ETF     | SPDR        | sectors       | Energy
            VNQ  | Vanguard Real Estate ETF                            | Vanguard    | sectors       | Real Estate
            GDX  | VanEck Gold Miners ETF                              | VanEck      | sectors       | Materials
            QQQ  | Invesco QQQ Trust, Series 1                         | Invesco     | technology    | Technology
            VGT  | Vanguard Information Technology ETF                 | Vanguard    | technology    | Technology
            SOXX | iShares Semiconductor ETF                           | iShares     | technology    | Technology
            ARKK | ARK Innovation ETF                                  | ARK         | technology    | Technology
            VUG  | Vanguard Growth ETF                                 | Vanguard    | growth        | -
            IWF  | iShares Russell 1000 Growth ETF                     | iShares     | growth        | -
            VTV  | Vanguard Value ETF                                  | Vanguard    | value         | -
            IWD  | iShares Russell 1000 Value ETF                      | iShares     | value         | -
            TLT  | iShares 20+ Year Treasury Bond ETF                  | iShares     | bonds         | -
            BND  | Vanguard Total Bond Market ETF                      | Vanguard    | bonds         | -
            AGG  | iShares Core U.S. Aggregate Bond ETF                | iShares     | bonds         | -
            HYG  | iShares iBoxx $ High Yield Corporate Bond ETF       | iShares     | bonds         | -
            BIL  | SPDR Bloomberg 1-3 Month T-Bill ETF                 | SPDR        | bonds         | -
            GLD  | SPDR Gold Shares                                    | SPDR        | commodities   | -
            SLV  | iShares Silver Trust                                | iShares     | commodities   | -
            USO  | United States Oil Fund, LP                          | USCF        | commodities   | -
            DBC  | Invesco DB Commodity Index Tracking Fund            | Invesco     | commodities   | -
            SCHD | Schwab U.S. Dividend Equity ETF                     | Schwab      | dividend      | -
            VIG  | Vanguard Dividend Appreciation ETF                  | Vanguard    | dividend      | -
            EEM  | iShares MSCI Emerging Markets ETF                   | iShares     | international | -
            VEA  | Vanguard FTSE Developed Markets ETF                 | Vanguard    | international | -
            TQQQ | ProShares UltraPro QQQ                              | ProShares   | leveraged     | -
            TBT  | ProShares UltraShort 20+ Year Treasury              | ProShares   | leveraged     | -
            SOXL | Direxion Daily Semiconductor Bull 3X Shares         | Direxion    | leveraged     | -
            IBIT | iShares Bitcoin Trust ETF                           | iShares     | other         | -
            """)
    void realFundNames(String ticker, String name, String issuer, String type, String sector) {
        assertThat(RULES.classify(name)).isEqualTo(new EtfClassifier.Classification(issuer, type, sector));
    }

    @Test
    void aNameNoRuleKnowsIsOtherWithoutIssuer() {
        assertThat(RULES.classify("Acme Fund")).isEqualTo(new EtfClassifier.Classification(null, "other", null));
        assertThat(RULES.classify(null).etfType()).isEqualTo("other");
    }

    @Test
    void theFirstMatchingRuleOfEachKindWins() {
        EtfClassifier rules = EtfClassifier.parse("""
                kind,value,pattern
                etf_type,bonds,Bond
                etf_type,broad_market,Total
                issuer,Acme,^Acme
                """, "my-rules.csv");
        assertThat(rules.classify("Acme Total Bond Fund")).isEqualTo(new EtfClassifier.Classification("Acme", "bonds", null));
    }

    @Test
    void aBadRuleIsNamedWithItsFileAndLine() {
        assertThatThrownBy(() -> EtfClassifier.parse("kind,value,pattern\n# comment\netf_type,bonds,(Bond\n", "my-rules.csv"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("my-rules.csv line 3: pattern is not");
        assertThatThrownBy(() -> EtfClassifier.parse("kind,value,pattern\ncolour,red,x\n", "my-rules.csv"))
                .hasMessageStartingWith("my-rules.csv line 2: kind 'colour'");
        assertThatThrownBy(() -> EtfClassifier.parse("type,value\n", "my-rules.csv"))
                .hasMessageStartingWith("my-rules.csv line 1: the first line must be the header kind,value,pattern");
    }
}
