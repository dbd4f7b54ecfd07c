package dev.pricelake.local.standins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.adapters.s3.S3ObjectStore;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.ObjectStoreContract;
import dev.pricelake.core.StoreException;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 adapter against S3Proxy over a folder: the same emulator the local runner uses. */
class S3ObjectStoreOnS3ProxyTest extends ObjectStoreContract {
    @TempDir
    static Path root;
    private static S3ProxyProcess proxy;
    private static S3Client client;
    private static S3ObjectStore store;

    @BeforeAll
    static void startProxy() {
        proxy = S3ProxyProcess.start(root.resolve("s3"), root.resolve("logs/s3proxy.log"), List.of("pricelake"));
        client = S3ObjectStore.endpointClient(proxy.endpoint(), S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY);
        store = new S3ObjectStore(client, "pricelake");
    }

    @AfterAll
    static void stopProxy() {
        client.close();
        proxy.close();
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Test
    void objectsArePlainFilesUnderTheBucketFolder() throws Exception {
        store.put("bronze/raw_ohlcv/symbol=ABC/data.parquet", "bytes".getBytes());
        Path file = root.resolve("s3/pricelake/bronze/raw_ohlcv/symbol=ABC/data.parquet");
        assertThat(Files.readString(file)).isEqualTo("bytes");
    }

    /**
     * Over plain HTTP the SDK would hash every payload into the signature; the adapter signs as over HTTPS, as in AWS,
     * so what a writing function puts is not hashed on either side (README, Flat files).
     */
    @Test
    void aPutOverPlainHttpIsSignedWithAnUnsignedPayload() throws Exception {
        List<Map<String, List<String>>> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            seen.add(Map.copyOf(exchange.getRequestHeaders()));
            exchange.getResponseHeaders().add("ETag", "\"e\"");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try (S3Client recorded = S3ObjectStore.endpointClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "key", "secret")) {
            new S3ObjectStore(recorded, "pricelake").put("bronze/raw_ohlcv/symbol=ABC/data.parquet", new byte[] {1, 2, 3});
        } finally {
            server.stop(0);
        }
        assertThat(seen).singleElement().satisfies(headers -> {
            assertThat(headers.get("X-amz-content-sha256")).containsExactly("UNSIGNED-PAYLOAD");
            assertThat(headers.get("Authorization")).singleElement().asString()
                    .startsWith("AWS4-HMAC-SHA256 Credential=key/").contains("x-amz-content-sha256");
        });
    }

    /** The signature still covers the request: S3Proxy checks it and refuses a put signed with another secret. */
    @Test
    void aPutSignedWithAnotherSecretIsRefused() {
        try (S3Client wrong = S3ObjectStore.endpointClient(proxy.endpoint(), S3ProxyProcess.ACCESS_KEY, "not-the-secret")) {
            assertThatThrownBy(() -> new S3ObjectStore(wrong, "pricelake").put("k", new byte[] {1}))
                    .isInstanceOf(StoreException.class).hasMessageContaining("Status Code: 403")
                    .hasMessageContaining("signature we calculated does not match");
        }
        assertThat(root.resolve("s3/pricelake/k")).doesNotExist();
    }

    @Test
    void aMissingBucketIsAStoreErrorNamingIt() {
        S3ObjectStore nowhere = new S3ObjectStore(client, "no-such-bucket");
        assertThatThrownBy(() -> nowhere.put("k", new byte[] {1}))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("s3://no-such-bucket put k");
    }
}
