package dev.pricelake.adapters.s3;

import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.StoreException;
import dev.pricelake.core.TransientUpstreamException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link ObjectStore} on S3 (or anything that speaks its API, such as S3Proxy). SDK errors stop here. */
public final class S3ObjectStore implements ObjectStore {
    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** The client a Lambda function builds once per container: region and credentials from the environment. */
    public static S3Client defaultClient() {
        return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** A client for a local S3-compatible endpoint: path-style addressing and fixed credentials. */
    public static S3Client endpointClient(URI endpoint, String accessKey, String secretKey) {
        return compatible(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    /**
     * A function's client when its environment points S3 elsewhere (AWS_ENDPOINT_URL_S3, as the local runner
     * does): path-style addressing, region and credentials from the environment like any function's.
     */
    public static S3Client endpointClient(URI endpoint) {
        return compatible(endpoint).build();
    }

    private static S3ClientBuilder compatible(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                // Local stand-ins do not all understand the SDK's default trailing checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new WithoutExpectContinue()))
                .putAuthScheme(new UnsignedPayloadOverHttp());
    }

    /**
     * Over HTTPS, as in AWS, the SDK sends S3 payloads unsigned; over plain HTTP it signs each one, a SHA-256 of every
     * byte put, which the stand-in then hashes again to check. In a whole-market load that was 6-7 % of each writing
     * function's CPU and about a fifth of S3Proxy's (README, Flat files). This scheme signs a plain-HTTP request as the
     * SDK signs it over HTTPS: the signature covers the same method, path, headers and {@code UNSIGNED-PAYLOAD}, and
     * the stand-in still checks it, so a wrong key is refused as before.
     */
    private static final class UnsignedPayloadOverHttp implements AuthScheme<AwsCredentialsIdentity> {
        private final AwsV4AuthScheme standard = AwsV4AuthScheme.create();
        private final HttpSigner<AwsCredentialsIdentity> signer = new SignedAsOverHttps(standard.signer());

        @Override
        public String schemeId() {
            return standard.schemeId();
        }

        @Override
        public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
            return standard.identityProvider(providers);
        }

        @Override
        public HttpSigner<AwsCredentialsIdentity> signer() {
            return signer;
        }
    }

    /** SigV4 as over HTTPS (payload unsigned) for a plain-HTTP request; a request on port 80 or 443 as the SDK signs it. */
    private record SignedAsOverHttps(AwsV4HttpSigner standard) implements HttpSigner<AwsCredentialsIdentity> {
        @Override
        public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
            SdkHttpRequest http = request.request();
            // The signed Host header carries the port unless it is the scheme's default: on 80 or 443 the HTTPS form
            // would differ from what goes over HTTP.
            if (!"http".equals(http.protocol()) || http.port() == 80 || http.port() == 443) {
                return standard.sign(request);
            }
            SignedRequest signed = standard.sign(request.copy(b -> b.request(http.toBuilder().protocol("https").build())
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)));
            return signed.copy(b -> b.request(signed.request().toBuilder().protocol("http").build()));
        }

        @Override
        public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
            return standard.signAsync(request);
        }
    }

    /**
     * S3's interceptor asks for {@code Expect: 100-continue} on every PutObject; over HttpURLConnection, Jetty-based
     * stand-ins sometimes drop such a connection ("Unexpected end of file"). SDK 2.40 has no switch for it.
     */
    private static final class WithoutExpectContinue implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            return context.httpRequest().toBuilder().removeHeader("Expect").build();
        }
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return call("get " + key, () -> {
            try {
                return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public void put(String key, byte[] data) {
        call("put " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) data.length),
                RequestBody.fromBytes(data)));
    }

    @Override
    public void delete(String key) {
        call("delete " + key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public List<String> list(String prefix) {
        return call("list " + prefix, () -> {
            List<String> keys = new ArrayList<>();
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                keys.add(object.key());
            }
            keys.sort(null);
            return keys;
        });
    }

    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (UncheckedIOException e) {
            throw new TransientUpstreamException("s3://" + bucket + " " + what + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            String where = "s3://" + bucket + " " + what;
            if (e.retryable() || (e instanceof SdkServiceException s && s.statusCode() >= 500)) {
                throw new TransientUpstreamException(where + " failed: " + e.getMessage(), e);
            }
            throw new StoreException(where + " failed: " + e.getMessage(), e);
        }
    }
}
