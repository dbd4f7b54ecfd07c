package dev.pricelake.local.standins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.adapters.s3.S3ObjectStore;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.ObjectStoreContract;
import dev.pricelake.core.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void aMissingBucketIsAStoreErrorNamingIt() {
        S3ObjectStore nowhere = new S3ObjectStore(client, "no-such-bucket");
        assertThatThrownBy(() -> nowhere.put("k", new byte[] {1}))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("s3://no-such-bucket put k");
    }
}
