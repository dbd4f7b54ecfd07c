package dev.pricelake.cdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

/**
 * The lake for query engines: a Glue database {@code pricelake} with a table over bronze, one over minute bronze
 * and one per silver interval, found by partition projection (no crawler, no partitions to add as the lake grows), and an Athena
 * workgroup with its own encrypted results bucket, its settings enforced and a cap on the bytes one query scans.
 */
final class QueryEngines extends Construct {
    static final String DATABASE = "pricelake";
    static final String WORKGROUP = "pricelake";
    /** The silver intervals the resampler writes by default (SILVER_INTERVALS). */
    static final List<Integer> INTERVALS = List.of(3, 5, 8, 13, 21, 34);
    /** Silver partitions exist for the years of the exchange calendar (TradingCalendar: 1962-2040). */
    static final String YEARS = "1962,2040";
    /** One query may scan 10 GB ($0.05 at $5/TB): many times the whole lake, so only a runaway query is stopped. */
    static final long BYTES_SCANNED_CUTOFF = 10L * 1000 * 1000 * 1000;
    /** Bronze columns as Athena reads them; symbol is the partition. The order is the files'. */
    static final List<String> BRONZE_COLUMNS = List.of("date date", "open double", "high double", "low double",
            "close double", "volume double", "vwap double", "transactions bigint", "ingested_at timestamp");
    /** Minute bronze columns as Athena reads them: the day's with ts, the minute's start in UTC, for date. */
    static final List<String> MINUTE_COLUMNS = List.of("ts timestamp", "open double", "high double", "low double",
            "close double", "volume double", "vwap double", "transactions bigint", "ingested_at timestamp");
    static final List<String> SILVER_COLUMNS = List.of("symbol string", "interval_days int", "start_date date",
            "end_date date", "open double", "high double", "low double", "close double", "volume double",
            "bar_count int", "complete boolean");

    final CfnDatabase database;
    final Map<String, CfnTable> tables = new LinkedHashMap<>();
    final Bucket results;
    final CfnWorkGroup workGroup;

    QueryEngines(Construct scope, String id, LakeStorage storage) {
        super(scope, id);
        String account = Stack.of(this).getAccount();
        String lake = "s3://" + storage.lake.getBucketName() + "/";
        database = CfnDatabase.Builder.create(this, "Database").catalogId(account)
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder().name(DATABASE)
                        .description("pricelake: daily bars (bronze), minute bars (bronze_1m) and k-session bars (silver_{k}d), Parquet").build())
                .build();
        // Symbols are not enumerable: an injected projection takes the symbol from the query (WHERE symbol = ...).
        table("bronze", "Daily bars as fetched, one file per symbol. Queries must name the symbol(s).",
                lake + "bronze/raw_ohlcv/", BRONZE_COLUMNS, List.of("symbol string"), Map.of(
                        "projection.symbol.type", "injected",
                        "storage.location.template", lake + "bronze/raw_ohlcv/symbol=${symbol}/"));
        table("bronze_1m", "One-minute bars as fetched, one file per symbol and month (the session's month in New York)."
                + " Queries must name the symbol(s).", lake + "bronze/raw_ohlcv_1m/", MINUTE_COLUMNS,
                List.of("symbol string", "year int", "month int"), Map.of(
                        "projection.symbol.type", "injected",
                        "projection.year.type", "integer", "projection.year.range", YEARS,
                        "projection.month.type", "integer", "projection.month.range", "1,12",
                        "projection.month.digits", "2",
                        "storage.location.template", lake + "bronze/raw_ohlcv_1m/symbol=${symbol}/year=${year}/month=${month}/"));
        for (int k : INTERVALS) {
            String name = "silver_" + k + "d";
            table(name, k + "-session bars, one file per month of their start date.", lake + "silver/" + name + "/",
                    SILVER_COLUMNS, List.of("year int", "month int"), Map.of(
                            "projection.year.type", "integer", "projection.year.range", YEARS,
                            "projection.month.type", "integer", "projection.month.range", "1,12",
                            "projection.month.digits", "2",
                            "storage.location.template", lake + "silver/" + name + "/year=${year}/month=${month}/"));
        }
        results = Bucket.Builder.create(this, "Results")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .serverAccessLogsBucket(storage.accessLogs)
                .serverAccessLogsPrefix("athena-results/")
                .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(30)).build()))
                // Kept when the stack is deleted, removed when its first deploy fails, as the lake's buckets.
                .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
                .build();
        workGroup = CfnWorkGroup.Builder.create(this, "WorkGroup").name(WORKGROUP)
                .description("pricelake queries: results encrypted in their own bucket, at most 10 GB scanned per query")
                .state("ENABLED")
                .workGroupConfiguration(CfnWorkGroup.WorkGroupConfigurationProperty.builder()
                        .enforceWorkGroupConfiguration(true)
                        .publishCloudWatchMetricsEnabled(true)
                        .bytesScannedCutoffPerQuery(BYTES_SCANNED_CUTOFF)
                        .engineVersion(CfnWorkGroup.EngineVersionProperty.builder()
                                .selectedEngineVersion("Athena engine version 3").build())
                        .resultConfiguration(CfnWorkGroup.ResultConfigurationProperty.builder()
                                .outputLocation("s3://" + results.getBucketName() + "/results/")
                                .encryptionConfiguration(CfnWorkGroup.EncryptionConfigurationProperty.builder()
                                        .encryptionOption("SSE_S3").build())
                                .build())
                        .build())
                .build();
    }

    private void table(String name, String description, String location, List<String> columns, List<String> partitions,
            Map<String, String> projection) {
        Map<String, String> parameters = new LinkedHashMap<>(projection);
        parameters.put("classification", "parquet");
        parameters.put("projection.enabled", "true");
        CfnTable table = CfnTable.Builder.create(this, name).catalogId(Stack.of(this).getAccount()).databaseName(DATABASE)
                .tableInput(CfnTable.TableInputProperty.builder().name(name).description(description)
                        .tableType("EXTERNAL_TABLE")
                        .partitionKeys(columns(partitions))
                        .parameters(parameters)
                        .storageDescriptor(CfnTable.StorageDescriptorProperty.builder()
                                .location(location)
                                .inputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
                                .outputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat")
                                .serdeInfo(CfnTable.SerdeInfoProperty.builder()
                                        .serializationLibrary("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")
                                        .build())
                                .columns(columns(columns))
                                .build())
                        .build())
                .build();
        table.addDependency(database);
        tables.put(name, table);
    }

    /** "name type" pairs as Glue columns. */
    private static List<Object> columns(List<String> namesAndTypes) {
        List<Object> out = new ArrayList<>();
        for (String column : namesAndTypes) {
            String[] parts = column.split(" ");
            out.add(CfnTable.ColumnProperty.builder().name(parts[0]).type(parts[1]).build());
        }
        return out;
    }
}
