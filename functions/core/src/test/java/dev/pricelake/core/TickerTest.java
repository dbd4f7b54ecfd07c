package dev.pricelake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TickerTest {
    @ParameterizedTest
    @ValueSource(strings = {"A", "AAPL", "BRK.A", "BRK-B", "KIMpL", "ABCw", "GOOGL", "TSLA", "ABC.U", "A1B2C3D4E5F6"})
    void acceptsPolygonStockSymbols(String symbol) {
        assertThat(Ticker.of(symbol).value()).isEqualTo(symbol);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AAPL!", "I:SPX", "X:BTCUSD", ".A", "A.", "A..B", "A B", "ABCDEFGHIJKLM", "pA", "AAPL;DROP"})
    void rejectsAnythingElseNamingTheValue(String symbol) {
        assertThatThrownBy(() -> Ticker.of(symbol))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'" + symbol + "'")
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("ticker"));
    }

    @Test
    void suggestsUpperCaseForALowerCaseSymbol() {
        assertThatThrownBy(() -> Ticker.of("aapl")).hasMessageContaining("did you mean AAPL?");
    }

    @Test
    void rejectsEmpty() {
        assertThatThrownBy(() -> Ticker.of("")).isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
    }
}
