package dev.pricelake.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FunctionCatalogTest {
    private static FunctionSpec spec(int memory, int timeout) {
        return new FunctionSpec("fetch-prices", "price-fetcher", "dev.pricelake.fetcher.FetchPricesHandler", memory, timeout,
                java.util.Set.of(Need.POLYGON, Need.PROGRESS), "FetchPricesFunctionArn");
    }

    @Test
    void theCatalogIsTheFileInTheRepository() throws Exception {
        Path file = Path.of(System.getProperty("user.dir")).resolve("../functions.json");
        assertThat(FunctionCatalog.all()).isEqualTo(FunctionCatalog.parse(new ObjectMapper().readTree(Files.readString(file))));
        assertThat(FunctionCatalog.named("fetch-prices").functionName()).isEqualTo("pricelake-fetch-prices");
        assertThat(FunctionCatalog.byStatePlaceholder()).containsKey("SelectTickersFunctionArn")
                .doesNotContainKey(null);
    }

    @Test
    void lambdaLimitsAreCheckedAndNamed() {
        assertThat(spec(10_240, 900).memoryMb()).isEqualTo(10_240);
        assertThatThrownBy(() -> spec(10_241, 900)).hasMessageContaining("memory_mb 10241");
        assertThatThrownBy(() -> spec(1024, 901)).hasMessageContaining("timeout_seconds 901");
        assertThatThrownBy(() -> spec(64, 60)).hasMessageContaining("fetch-prices: memory_mb 64");
    }

    @Test
    void polygonComesWithTheProgressTableWhereItsSharedRateLimitLives() {
        assertThatThrownBy(() -> new FunctionSpec("fetch-prices", "price-fetcher", "dev.pricelake.fetcher.FetchPricesHandler",
                1024, 900, java.util.Set.of(Need.POLYGON), null)).hasMessageContaining("fetch-prices: needs POLYGON without PROGRESS");
        assertThat(spec(1024, 900).environment()).containsExactly("POLYGON_REQUESTS_PER_MINUTE", "POLYGON_SECRET_ARN",
                "PROGRESS_TABLE");
    }

    @Test
    void aRepeatedNameOrPlaceholderIsRefused() throws Exception {
        String one = "{\"name\":\"a\",\"module\":\"m\",\"handler\":\"x.y.H\",\"memory_mb\":512,\"timeout_seconds\":60,"
                + "\"needs\":[],\"state\":\"AFunctionArn\"}";
        String twice = "{\"functions\":[" + one + "," + one.replace("\"a\"", "\"b\"") + "]}";
        assertThatThrownBy(() -> FunctionCatalog.parse(new ObjectMapper().readTree(twice)))
                .hasMessageContaining("'b' repeats");
    }
}
