package dev.pricelake.adapters.sql;

import dev.pricelake.core.StoreException;
import dev.pricelake.core.TransientUpstreamException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.RdsDataClientBuilder;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;

/**
 * {@link Sql} over the RDS Data API, so functions reach Aurora without a VPC. Batches are split under the
 * API's 4 MiB request limit; the client waits longer than the API's 45 s statement limit, so a slow
 * statement fails on the server rather than being retried by the client into a second copy.
 */
public final class DataApiSql implements Sql {
    static final int MAX_REQUEST_BYTES = 3 * 1024 * 1024;
    static final int MAX_PARAMETER_SETS = 1_000;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);
    private final RdsDataClient client;
    private final String clusterArn;
    private final String secretArn;
    private final String database;
    private final String transactionId;

    public DataApiSql(RdsDataClient client, String clusterArn, String secretArn, String database) {
        this(client, clusterArn, secretArn, database, null);
    }

    private DataApiSql(RdsDataClient client, String clusterArn, String secretArn, String database, String transactionId) {
        this.client = client;
        this.clusterArn = clusterArn;
        this.secretArn = secretArn;
        this.database = database;
        this.transactionId = transactionId;
    }

    /**
     * The client a function builds once: timeouts beyond the Data API's own 45 s, no retry of a timed-out call,
     * and the endpoint when the environment names one.
     */
    public static RdsDataClient defaultClient(Optional<URI> endpoint) {
        RdsDataClientBuilder builder = RdsDataClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(60)).apiCallTimeout(Duration.ofSeconds(65))
                        .retryStrategy(b -> b.maxAttempts(1)));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Override
    public long update(String sql, List<?> params) {
        return call(sql, () -> client.executeStatement(b -> b.resourceArn(clusterArn).secretArn(secretArn).database(database)
                .transactionId(transactionId).sql(named(sql)).parameters(parameters(params))).numberOfRecordsUpdated());
    }

    @Override
    public long batch(String sql, List<List<?>> rows) {
        String statement = named(sql);
        List<List<SqlParameter>> chunk = new ArrayList<>();
        int chunkBytes = statement.length();
        for (List<?> row : rows) {
            List<SqlParameter> set = parameters(row);
            int bytes = estimateBytes(set);
            if (!chunk.isEmpty() && (chunkBytes + bytes > MAX_REQUEST_BYTES || chunk.size() == MAX_PARAMETER_SETS)) {
                send(statement, chunk);
                chunk = new ArrayList<>();
                chunkBytes = statement.length();
            }
            chunk.add(set);
            chunkBytes += bytes;
        }
        if (!chunk.isEmpty()) {
            send(statement, chunk);
        }
        return rows.size();
    }

    private void send(String statement, List<List<SqlParameter>> sets) {
        call(statement, () -> client.batchExecuteStatement(b -> b.resourceArn(clusterArn).secretArn(secretArn)
                .database(database).transactionId(transactionId).sql(statement).parameterSets(sets)));
    }

    /** The Data API has no COPY: the upsert goes in batches under its request limit (the bulk paths' AWS side). */
    @Override
    public long bulkUpsert(BulkUpsert upsert, List<List<?>> rows) {
        return rows.isEmpty() ? 0 : batch(upsert.insertValues(), rows);
    }

    @Override
    public List<List<Object>> query(String sql, List<?> params) {
        return call(sql, () -> {
            List<List<Object>> out = new ArrayList<>();
            for (List<Field> record : client.executeStatement(b -> b.resourceArn(clusterArn).secretArn(secretArn)
                    .database(database).transactionId(transactionId).sql(named(sql)).parameters(parameters(params))).records()) {
                List<Object> row = new ArrayList<>(record.size());
                for (Field f : record) {
                    row.add(value(f));
                }
                out.add(row);
            }
            return out;
        });
    }

    @Override
    public <T> T inTransaction(Function<Sql, T> work) {
        if (transactionId != null) {
            return work.apply(this);
        }
        String id = call("BEGIN", () -> client.beginTransaction(b -> b.resourceArn(clusterArn).secretArn(secretArn)
                .database(database)).transactionId());
        try {
            T result = work.apply(new DataApiSql(client, clusterArn, secretArn, database, id));
            call("COMMIT", () -> client.commitTransaction(b -> b.resourceArn(clusterArn).secretArn(secretArn).transactionId(id)));
            return result;
        } catch (RuntimeException e) {
            try {
                client.rollbackTransaction(b -> b.resourceArn(clusterArn).secretArn(secretArn).transactionId(id));
            } catch (SdkException rollbackFailed) {
                e.addSuppressed(rollbackFailed);
            }
            throw e;
        }
    }

    /** {@code ?} placeholders become {@code :p1, :p2, ...}, the Data API's named parameters. */
    static String named(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int n = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '?') {
                out.append(":p").append(++n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static List<SqlParameter> parameters(List<?> params) {
        List<SqlParameter> out = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            SqlParameter.Builder b = SqlParameter.builder().name("p" + (i + 1));
            switch (p) {
                case Null n -> b.value(Field.builder().isNull(true).build());
                case String s -> b.value(Field.builder().stringValue(s).build());
                case Long l -> b.value(Field.builder().longValue(l).build());
                case Integer n -> b.value(Field.builder().longValue(n.longValue()).build());
                case Double d -> b.value(Field.builder().doubleValue(d).build());
                case Boolean t -> b.value(Field.builder().booleanValue(t).build());
                case LocalDate d -> b.value(Field.builder().stringValue(d.toString()).build()).typeHint(TypeHint.DATE);
                case Instant t -> b.value(Field.builder().stringValue(TIMESTAMP.format(t)).build()).typeHint(TypeHint.TIMESTAMP);
                case null -> throw new IllegalArgumentException("parameter " + (i + 1) + " is a bare null: use Sql.Null");
                default -> throw new IllegalArgumentException("parameter " + (i + 1) + " has unsupported type " + p.getClass());
            }
            out.add(b.build());
        }
        return out;
    }

    private static int estimateBytes(List<SqlParameter> set) {
        int bytes = 0;
        for (SqlParameter p : set) {
            Field f = p.value();
            bytes += 48 + (f.stringValue() == null ? 24 : f.stringValue().getBytes(StandardCharsets.UTF_8).length);
        }
        return bytes;
    }

    private static Object value(Field f) {
        if (Boolean.TRUE.equals(f.isNull())) {
            return null;
        }
        if (f.longValue() != null) {
            return f.longValue();
        }
        if (f.doubleValue() != null) {
            return f.doubleValue();
        }
        if (f.booleanValue() != null) {
            return f.booleanValue();
        }
        return f.stringValue();
    }

    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkException e) {
            String where = "RDS Data API: " + what.lines().findFirst().orElse(what);
            if (e.retryable()) {
                throw new TransientUpstreamException(where + " failed: " + e.getMessage(), e);
            }
            throw new StoreException(where + " failed: " + e.getMessage(), e);
        }
    }
}
