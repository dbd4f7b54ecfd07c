package dev.pricelake.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.catalog.FunctionCatalog;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeParquet;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.core.silver.SilverParquet;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The synthesized template, checked concern by concern, and cdk-nag's AwsSolutions pack on the whole app. */
class PricelakeStackTest {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static PricelakeStack stack;
    private static Template template;

    /** The context cdk.json gives the app (feature flags included), so the test synthesizes what a deploy would. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> cdkJsonContext() throws Exception {
        Map<String, Object> cdkJson = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(REPOSITORY.resolve("cdk/cdk.json").toFile(), Map.class);
        return (Map<String, Object>) cdkJson.get("context");
    }

    @BeforeAll
    static void synth() throws Exception {
        App app = new App(AppProps.builder().context(cdkJsonContext()).build());
        stack = new PricelakeStack(app, "Pricelake", StackProps.builder().build(),
                new PricelakeStack.Settings(REPOSITORY, 14, true));
        Aspects.of(app).add(new AwsSolutionsChecks());
        app.synth();
        template = Template.fromStack(stack);
    }

    @Test
    void theDailyScheduleIsSixInTheMorningNewYorkTimeOnWeekdays() {
        template.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                "ScheduleExpression", "cron(0 6 ? * MON-FRI *)",
                "ScheduleExpressionTimezone", "America/New_York",
                "State", "ENABLED",
                "Target", Match.objectLike(Map.of("Input", Match.stringLikeRegexp(".*\"mode\": \"daily\".*")))));
        template.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                "ScheduleExpression", "cron(0 3 ? * SUN *)", "ScheduleExpressionTimezone", "America/New_York"));
        // Its input, the sample and the minute window, is checked below.
        template.hasResourceProperties("AWS::Scheduler::Schedule", Match.objectLike(Map.of(
                "ScheduleExpression", "cron(0 4 ? * SUN *)", "ScheduleExpressionTimezone", "America/New_York")));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "VerifySymbolsWithDefects"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "RunsPartial", "EvaluationPeriods", 1,
                "Period", 300, "Threshold", 1));
        template.resourceCountIs("AWS::Events::Rule", 0);
    }

    @Test
    void theReferenceFunctionRefreshesAndRebuildsOnWeekdaysBeforeTheDailyRun() {
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "FunctionName", "pricelake-reference", "Handler", "dev.pricelake.reference.ReferenceHandler",
                "Timeout", 900, "MemorySize", 2048)));
        template.hasResourceProperties("AWS::Scheduler::Schedule", Map.of(
                "ScheduleExpression", "cron(0 5 ? * MON-FRI *)",
                "ScheduleExpressionTimezone", "America/New_York",
                "State", "ENABLED",
                "Target", Match.objectLike(Map.of(
                        "Arn", Map.of("Ref", Match.stringLikeRegexp("Functionsreferencelive.*")),
                        "Input", "{\"refresh\": true, \"rebuild\": true}"))));
        String policy = policyOf(template.findResources("AWS::IAM::Policy"), stack.getResolvedRole("reference"));
        assertThat(policy).contains("rds-data:ExecuteStatement").contains("rds-data:BeginTransaction")
                .contains("s3:PutObject").contains("s3:DeleteObject").contains("dynamodb:UpdateItem")
                .contains("secretsmanager:GetSecretValue");
    }

    @Test
    void theLakeIsEncryptedPrivateTlsOnlyVersionedAndExpiresStaging() {
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Prefix", "staging/", "ExpirationInDays", 14)),
                        Match.objectLike(Map.of("Prefix", "quarantine/", "ExpirationInDays", 14))))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void theProgressTableHasTheDesignedKeysOnDemandAndPointInTimeRecovery() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(Map.of("AttributeName", "run_id", "KeyType", "HASH"),
                        Map.of("AttributeName", "item", "KeyType", "RANGE")),
                "BillingMode", "PAY_PER_REQUEST",
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true)));
    }

    @Test
    void auroraServerlessHasTheDataApiAndEncryptedStorage() {
        template.hasResourceProperties("AWS::RDS::DBCluster", Match.objectLike(Map.of(
                "Engine", "aurora-postgresql", "EnableHttpEndpoint", true, "StorageEncrypted", true,
                "ServerlessV2ScalingConfiguration", Map.of("MinCapacity", 0.5, "MaxCapacity", 4))));
    }

    @Test
    void everyFunctionIsJava21OnArmWithSnapStartTracingAndAnAlias() {
        Map<String, Map<String, Object>> functions = template.findResources("AWS::Lambda::Function",
                Map.of("Properties", Map.of("Runtime", "java21")));
        // Ours are the java21 ones; the custom-resource provider brings a Node.js function of its own.
        assertThat(functions).hasSize(FunctionCatalog.all().size());
        for (Map<String, Object> fn : functions.values()) {
            assertThat(fn.get("Properties").toString()).contains("Architectures=[arm64]").contains("ApplyOn=PublishedVersions")
                    .contains("Mode=Active").contains("MemorySize=").contains("Timeout=");
        }
        template.resourceCountIs("AWS::Lambda::Alias", FunctionCatalog.all().size());
        template.allResourcesProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 30)));
    }

    @Test
    void eachFunctionGetsOnlyTheGrantsItUses() {
        // The retention job talks to the database only: no S3, no DynamoDB.
        String retentionRole = stack.getResolvedRole("retention");
        String fetchRole = stack.getResolvedRole("fetch-prices");
        Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy");
        String retentionPolicy = policyOf(policies, retentionRole);
        String fetchPolicy = policyOf(policies, fetchRole);
        assertThat(retentionPolicy).contains("rds-data:ExecuteStatement").doesNotContain("s3:").doesNotContain("dynamodb:");
        assertThat(fetchPolicy).contains("dynamodb:UpdateItem").contains("s3:PutObject").contains("secretsmanager:GetSecretValue")
                .doesNotContain("rds-data:");
        // Only the function that reads flat files may read their credentials.
        assertThat(fetchPolicy).doesNotContain("FlatFilesSecret");
        assertThat(policyOf(policies, stack.getResolvedRole("fetch-sessions"))).contains("FlatFilesSecret");
    }

    private static String policyOf(Map<String, Map<String, Object>> policies, String roleLogicalId) {
        return policies.values().stream().map(Object::toString).filter(p -> p.contains(roleLogicalId)).findFirst()
                .orElseThrow(() -> new AssertionError("no policy for " + roleLogicalId));
    }

    @Test
    void theStateMachineIsTheAslFileUnchangedWithEveryPlaceholderSubstituted() throws Exception {
        String asl = Files.readString(REPOSITORY.resolve("statemachines/backfill.asl.json"));
        Map<String, Map<String, Object>> machines = template.findResources("AWS::StepFunctions::StateMachine");
        assertThat(machines).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) machines.values().iterator().next().get("Properties");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.readTree((String) properties.get("DefinitionString"))).as("the file, unchanged")
                .isEqualTo(json.readTree(asl));
        @SuppressWarnings("unchecked")
        Map<String, Object> substitutions = (Map<String, Object>) properties.get("DefinitionSubstitutions");
        java.util.Set<String> placeholders = new java.util.HashSet<>(FunctionCatalog.byStatePlaceholder().keySet());
        placeholders.add("LakeBucket");
        assertThat(substitutions.keySet()).containsExactlyInAnyOrderElementsOf(placeholders);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Za-z]+)}").matcher(asl);
        while (m.find()) {
            assertThat(substitutions).containsKey(m.group(1));
        }
        assertThat(properties).containsKeys("LoggingConfiguration", "TracingConfiguration");
    }

    @Test
    void glueTablesHaveTheColumnsAndTypesOfTheParquetTheLakeWrites() {
        Map<String, List<String>> tables = new java.util.TreeMap<>();
        template.findResources("AWS::Glue::Table").values().forEach(t -> {
            Map<?, ?> input = (Map<?, ?>) ((Map<?, ?>) t.get("Properties")).get("TableInput");
            List<String> columns = new ArrayList<>(glueColumns(((Map<?, ?>) input.get("StorageDescriptor")).get("Columns")));
            tables.put((String) input.get("Name"), columns);
            tables.put(input.get("Name") + " partitions", glueColumns(input.get("PartitionKeys")));
        });
        // Bronze: the file's columns, symbol (a file column too) as the partition key.
        List<String> bronze = parquetColumns(BronzeParquet.SCHEMA);
        assertThat(tables.get("bronze partitions")).containsExactly("symbol string");
        List<String> bronzeTable = new ArrayList<>(tables.get("bronze"));
        bronzeTable.addAll(0, tables.get("bronze partitions"));
        assertThat(bronzeTable).isEqualTo(bronze);
        // Minute bronze: its file's columns, symbol first as in the file, the partition with year and month.
        assertThat(tables.get("bronze_1m partitions")).containsExactly("symbol string", "year int", "month int");
        List<String> minuteTable = new ArrayList<>(tables.get("bronze_1m"));
        minuteTable.addFirst("symbol string");
        assertThat(minuteTable).isEqualTo(parquetColumns(BronzeParquet.MINUTE_SCHEMA));
        for (int k : List.of(3, 5, 8, 13, 21, 34)) {
            assertThat(tables.get("silver_" + k + "d")).as("silver_%dd", k).isEqualTo(parquetColumns(SilverParquet.SCHEMA));
            assertThat(tables.get("silver_" + k + "d partitions")).containsExactly("year int", "month int");
        }
        assertThat(tables).hasSize(2 * 8);
        template.hasResourceProperties("AWS::Glue::Database", Map.of("DatabaseInput", Match.objectLike(Map.of("Name", "pricelake"))));
    }

    @Test
    void partitionProjectionFindsEveryPartitionWithoutACrawler() {
        template.hasResourceProperties("AWS::Glue::Table", Map.of("TableInput", Match.objectLike(Map.of("Name", "bronze",
                "Parameters", Match.objectLike(Map.of("projection.enabled", "true", "projection.symbol.type", "injected",
                        "classification", "parquet",
                        "storage.location.template", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                                Match.arrayWith(List.of("/bronze/raw_ohlcv/symbol=${symbol}/"))))))))))));
        int firstYear = TradingCalendar.FIRST_SESSION.getYear();
        template.hasResourceProperties("AWS::Glue::Table", Map.of("TableInput", Match.objectLike(Map.of("Name", "silver_5d",
                "Parameters", Match.objectLike(Map.of("projection.enabled", "true",
                        "projection.year.type", "integer", "projection.year.range", firstYear + "," + TradingCalendar.LAST_YEAR,
                        "projection.month.type", "integer", "projection.month.range", "1,12", "projection.month.digits", "2",
                        "storage.location.template", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                                Match.arrayWith(List.of("/silver/silver_5d/year=${year}/month=${month}/"))))))))))));
        template.hasResourceProperties("AWS::Glue::Table", Map.of("TableInput", Match.objectLike(Map.of("Name", "bronze_1m",
                "Parameters", Match.objectLike(Map.of("projection.enabled", "true", "projection.symbol.type", "injected",
                        "projection.year.type", "integer", "projection.month.type", "integer", "projection.month.digits", "2",
                        "storage.location.template", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                                Match.arrayWith(List.of("/bronze/raw_ohlcv_1m/symbol=${symbol}/year=${year}/month=${month}/"))))))))))));
        template.resourceCountIs("AWS::Glue::Crawler", 0);
    }

    @Test
    void athenaHasAWorkgroupWithEnforcedEncryptedResultsAndAScanCap() {
        template.hasResourceProperties("AWS::Athena::WorkGroup", Map.of("Name", "pricelake",
                "WorkGroupConfiguration", Match.objectLike(Map.of(
                        "EnforceWorkGroupConfiguration", true,
                        "BytesScannedCutoffPerQuery", 10_000_000_000L,
                        "ResultConfiguration", Match.objectLike(Map.of(
                                "EncryptionConfiguration", Map.of("EncryptionOption", "SSE_S3")))))));
        String results = stack.getLogicalId((software.amazon.awscdk.CfnElement) stack.queries.results.getNode().getDefaultChild());
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "LoggingConfiguration", Match.objectLike(Map.of("LogFilePrefix", "athena-results/")))));
        assertThat(template.findResources("AWS::Athena::WorkGroup").values().iterator().next().toString()).contains(results);
    }

    /** Glue's name for each column's type, from the Parquet schema (Athena's Parquet type mapping). */
    private static List<String> parquetColumns(MessageType schema) {
        List<String> out = new ArrayList<>();
        for (Type field : schema.getFields()) {
            PrimitiveType p = field.asPrimitiveType();
            LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
            String glue = switch (p.getPrimitiveTypeName()) {
                case BINARY -> logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation ? "string" : "binary";
                case INT32 -> logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? "date" : "int";
                case INT64 -> logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ? "timestamp" : "bigint";
                case DOUBLE -> "double";
                case FLOAT -> "float";
                case BOOLEAN -> "boolean";
                default -> throw new AssertionError("no Glue type for " + p);
            };
            out.add(field.getName() + " " + glue);
        }
        return out;
    }

    private static List<String> glueColumns(Object columns) {
        return ((List<?>) columns).stream().map(c -> ((Map<?, ?>) c).get("Name") + " " + ((Map<?, ?>) c).get("Type")).toList();
    }

    @Test
    void theDistributedMapMayReadItsBatchesWriteItsResultsAndStartItsChildExecutions() {
        Map<String, Map<String, Object>> machines = template.findResources("AWS::StepFunctions::StateMachine");
        @SuppressWarnings("unchecked")
        Map<String, Object> role = (Map<String, Object>) ((Map<String, Object>) machines.values().iterator().next()
                .get("Properties")).get("RoleArn");
        String roleId = ((List<?>) role.get("Fn::GetAtt")).getFirst().toString();
        String policy = policyOf(template.findResources("AWS::IAM::Policy"), roleId);
        assertThat(policy).contains("s3:GetObject").contains("staging/*").contains("s3:PutObject")
                .contains(Orchestration.MAP_RESULTS + "*").doesNotContain("s3:DeleteObject");
        assertThat(policy).contains("states:StartExecution").contains(":stateMachine:" + Orchestration.NAME)
                .contains("states:DescribeExecution").contains("states:StopExecution")
                .contains(":execution:" + Orchestration.NAME + ":*");
        assertThat(policy).contains("lambda:InvokeFunction");
    }

    @Test
    void everyAlarmWatchesWhatNeedsAPersonAndNoneWatchesRoutineRetries() {
        Map<String, Map<String, Object>> alarms = template.findResources("AWS::CloudWatch::Alarm");
        List<String> watched = alarms.values().stream().map(a -> properties(a).get("MetricName").toString()).sorted().toList();
        assertThat(watched).containsExactly("ApproximateNumberOfMessagesVisible", "ExecutionsFailed", "ExecutionsTimedOut",
                "RunsPartial", "UnexpectedErrors", "VerifyMinuteSymbolsWithDefects", "VerifySymbolsWithDefects");
        assertThat(alarms.values()).as("Lambda's Errors count every rate limit the state machine retries by design")
                .noneSatisfy(a -> assertThat(properties(a).get("Namespace")).isEqualTo("AWS/Lambda"));
        // The first period with one is enough: a run that ends PARTIAL notifies within minutes, not after two days.
        template.allResourcesProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of("Threshold", 1, "EvaluationPeriods", 1,
                "Period", 300, "ComparisonOperator", "GreaterThanOrEqualToThreshold", "TreatMissingData", "notBreaching",
                "AlarmActions", List.of(Match.objectLike(Map.of("Ref", Match.stringLikeRegexp("MonitoringAlarms.*")))))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "UnexpectedErrors", "Namespace", "pricelake",
                "Statistic", "Sum"));
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    }

    @Test
    void theAlarmTopicIsEncryptedWithAKeyCloudWatchMayUse() {
        Map<String, Map<String, Object>> keys = template.findResources("AWS::KMS::Key");
        assertThat(keys).hasSize(1);
        String keyId = keys.keySet().iterator().next();
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(keyId, "Arn"))));
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true,
                "KeyPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow", "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"))))))))));
        assertThat(template.toJSON().toString()).as("the AWS-managed key, which CloudWatch cannot use").doesNotContain("alias/aws/sns");
    }

    @Test
    void schedulesRetryThenKeepWhatFailedInADeadLetterQueueThatAnAlarmWatches() {
        String queue = template.findResources("AWS::SQS::Queue").keySet().iterator().next();
        Map<String, Object> deadLetters = Map.of("Arn", Map.of("Fn::GetAtt", List.of(queue, "Arn")));
        assertThat(template.findResources("AWS::Scheduler::Schedule")).hasSize(4).allSatisfy((id, schedule) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> target = (Map<String, Object>) properties(schedule).get("Target");
            assertThat(target.get("DeadLetterConfig")).as(id).isEqualTo(deadLetters);
            assertThat(target.get("RetryPolicy")).as(id).isEqualTo(Map.of("MaximumRetryAttempts", 10, "MaximumEventAgeInSeconds", 7200));
        });
        // Scheduler invokes Lambda asynchronously: a job (reference, retention, verify) that fails after Lambda's
        // retries lands there too.
        template.resourcePropertiesCountIs("AWS::Lambda::EventInvokeConfig", Match.objectLike(Map.of("DestinationConfig",
                Map.of("OnFailure", Map.of("Destination", Map.of("Fn::GetAtt", List.of(queue, "Arn")))))), 3);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of("MetricName", "ApproximateNumberOfMessagesVisible",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of(queue, "QueueName")))))));
    }

    @Test
    void theOutputsNameWhatAnOperatorNeeds() {
        for (String output : List.of("StateMachineArn", "LakeBucket", "PolygonSecretArn", "FlatFilesSecretArn", "ProgressTable",
                "DashboardUrl", "ScheduleDeadLetterQueueUrl")) {
            template.hasOutput(output, Match.objectLike(Map.of("Value", Match.anyValue())));
        }
        template.hasOutput("StateMachineArn", Map.of("Value", Map.of("Ref", logicalId(stack.orchestration.backfill)),
                "Description", Match.anyValue()));
        template.hasOutput("LakeBucket", Match.objectLike(Map.of("Value", Map.of("Ref", logicalId(stack.storage.lake)))));
    }

    @Test
    void anExecutionHasATimeLimit() throws Exception {
        com.fasterxml.jackson.databind.JsonNode definition = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                (String) properties(template.findResources("AWS::StepFunctions::StateMachine").values().iterator().next())
                        .get("DefinitionString"));
        assertThat(definition.path("TimeoutSeconds").asInt()).isEqualTo(48 * 3600);
    }

    @Test
    void logGroupsHaveTheNamesTheReadmeGives() throws Exception {
        Set<String> names = new TreeSet<>();
        template.findResources("AWS::Logs::LogGroup").values().forEach(g -> {
            Object name = properties(g).get("LogGroupName");
            if (name instanceof String literal) {
                names.add(literal);
            }
        });
        Set<String> expected = new TreeSet<>();
        FunctionCatalog.all().forEach(f -> expected.add("/aws/lambda/" + f.functionName()));
        expected.add("/aws/vendedlogs/states/pricelake-backfill");
        assertThat(names).isEqualTo(expected);
        assertThat(template.findResources("AWS::Lambda::Function", Match.objectLike(Map.of("Properties",
                Match.objectLike(Map.of("Runtime", "java21", "LoggingConfig", Map.of("LogGroup", Match.anyValue())))))))
                .hasSize(FunctionCatalog.all().size());
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        assertThat(readme).contains("`/aws/lambda/pricelake-{name}`", "`/aws/vendedlogs/states/pricelake-backfill`");
        assertThat(readme).doesNotContain("`/aws/lambda/pricelake-*`");
    }

    @Test
    void eachFunctionGetsTheEnvironmentOfItsNeedsAndTheRateSetting() {
        for (var spec : FunctionCatalog.all()) {
            Map<String, Object> fn = template.findResources("AWS::Lambda::Function",
                    Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("FunctionName", spec.functionName())))))
                    .values().iterator().next();
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = spec.environment().isEmpty() ? Map.of()
                    : (Map<String, Object>) ((Map<String, Object>) properties(fn).get("Environment")).get("Variables");
            assertThat(variables.keySet()).as(spec.name()).isEqualTo(spec.environment());
            if (variables.containsKey("POLYGON_REQUESTS_PER_MINUTE")) {
                assertThat(variables.get("POLYGON_REQUESTS_PER_MINUTE")).isEqualTo(Map.of("Ref", "PolygonRequestsPerMinute"));
            }
        }
        template.hasParameter("PolygonRequestsPerMinute", Map.of("Type", "Number", "Default", 5, "MinValue", 0, "MaxValue", 600,
                "Description", Match.anyValue()));
    }

    /**
     * The weekly retention and verify jobs get the stack's minute window as their input's minute_retention_days, a
     * number; the template's input, with the parameter given as an operator would, is the JSON the handlers read.
     */
    @Test
    void theWeeklyJobsKeepAndCheckTheMinuteWindowTheStackIsGiven() throws Exception {
        template.hasParameter("MinuteRetentionDays", Map.of("Type", "Number", "Default", RetentionWindow.DEFAULT_MINUTE_DAYS,
                "MinValue", 1, "MaxValue", RetentionWindow.MAX_MINUTE_DAYS, "Description", Match.anyValue()));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, com.fasterxml.jackson.databind.JsonNode> inputs = new java.util.HashMap<>();
        template.findResources("AWS::Scheduler::Schedule").forEach((id, schedule) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> target = (Map<String, Object>) properties(schedule).get("Target");
            String description = properties(schedule).get("Description").toString();
            try {
                inputs.put(description.substring("pricelake ".length(), description.indexOf(':')),
                        json.readTree(withParameter(target.get("Input"), "MinuteRetentionDays", "45")));
            } catch (java.io.IOException e) {
                throw new AssertionError(id + "'s input is not JSON", e);
            }
        });
        assertThat(inputs.get("retention")).isEqualTo(json.createObjectNode().put(RetentionWindow.MINUTE_DAYS_FIELD, 45));
        com.fasterxml.jackson.databind.node.ObjectNode verify = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(REPOSITORY.resolve("events/verify-weekly.json").toFile());
        assertThat(inputs.get("verify")).isEqualTo(verify.put(RetentionWindow.MINUTE_DAYS_FIELD, 45));
    }

    /** A template string (plain, or an Fn::Join of strings and Refs) with the parameter's Ref replaced by its value. */
    @SuppressWarnings("unchecked")
    private static String withParameter(Object value, String parameter, String given) {
        if (value instanceof String text) {
            return text;
        }
        Map<String, Object> function = (Map<String, Object>) value;
        if (function.containsKey("Ref")) {
            assertThat(function.get("Ref")).isEqualTo(parameter);
            return given;
        }
        List<Object> join = (List<Object>) function.get("Fn::Join");
        StringBuilder out = new StringBuilder();
        for (Object part : (List<Object>) join.get(1)) {
            out.append(withParameter(part, parameter, given));
        }
        return out.toString();
    }

    @Test
    void aFirstDeployThatFailsCanRollBack() {
        // The cluster is created unprotected; a custom resource turns protection on once everything else exists.
        template.hasResourceProperties("AWS::RDS::DBCluster", Match.objectLike(Map.of("DeletionProtection", false)));
        Map<String, Map<String, Object>> protection = template.findResources("Custom::AWS");
        assertThat(protection).hasSize(1);
        Map<String, Object> resource = protection.values().iterator().next();
        assertThat(properties(resource).get("Create").toString()).contains("modifyDBCluster").contains("\"DeletionProtection\":true")
                .as("an answer under a custom resource's 4 KB").contains("\"outputPaths\":[\"DBCluster.DeletionProtection\"]");
        @SuppressWarnings("unchecked")
        Set<String> dependsOn = new TreeSet<>((List<String>) resource.get("DependsOn"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> all = (Map<String, Map<String, Object>>) template.toJSON().get("Resources");
        Set<String> everyOther = new TreeSet<>();
        all.forEach((id, r) -> {
            // Not itself nor its own policy, and not what a condition may leave out (a DependsOn on it would fail).
            if (!id.startsWith("DatabaseDeletionProtection") && !r.containsKey("Condition")) {
                everyOther.add(id);
            }
        });
        assertThat(dependsOn).as("turned on last, after every other resource").containsAll(everyOther);
        // Resources made during a first deploy that fails are removed with it; afterwards they outlive the stack.
        for (String type : List.of("AWS::S3::Bucket", "AWS::DynamoDB::Table")) {
            assertThat(template.findResources(type).values()).allSatisfy(r ->
                    assertThat(r.get("DeletionPolicy")).isEqualTo("RetainExceptOnCreate"));
        }
        template.hasResource("AWS::RDS::DBCluster", Match.objectLike(Map.of("DeletionPolicy", "Snapshot")));
    }

    @Test
    void cfnLintFindsNoErrorInTheTemplate() throws Exception {
        Path file = Files.createTempFile("pricelake-template", ".json");
        try {
            Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(template.toJSON()));
            ProcessBuilder lint = new ProcessBuilder("cfn-lint", "--format", "parseable", file.toString()).redirectErrorStream(true);
            Process process;
            try {
                process = lint.start();
            } catch (java.io.IOException notInstalled) {
                throw new AssertionError("cfn-lint is not on the PATH: install it (python3 -m pip install cfn-lint; ./pricelake test"
                        + " does when it can) and run again", notInstalled);
            }
            String report = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int exit = process.waitFor();
            System.out.println("cfn-lint: exit " + exit + ", " + report.lines().count() + " findings\n" + report);
            // cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational.
            assertThat(exit & ~(4 | 8)).as(report).isZero();
        } finally {
            Files.delete(file);
        }
    }

    private static List<String> readable(List<software.amazon.awscdk.cxapi.SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + String.valueOf(m.getEntry().getData()).lines().findFirst().orElse(""))
                .toList();
    }

    private static String logicalId(software.constructs.IConstruct construct) {
        return stack.getLogicalId((software.amazon.awscdk.CfnElement) construct.getNode().getDefaultChild());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    @Test
    void cdkNagRunsHereAndWouldCatchAnOpenBucket() {
        App app = new App();
        software.amazon.awscdk.Stack careless = new software.amazon.awscdk.Stack(app, "Careless");
        new software.amazon.awscdk.services.s3.Bucket(careless, "Open");
        Aspects.of(app).add(new AwsSolutionsChecks());
        app.synth();
        assertThat(Annotations.fromStack(careless).findError("*", Match.stringLikeRegexp("AwsSolutions-S.*"))).isNotEmpty();
    }

    @Test
    void cdkNagFindsNoUnsuppressedError() {
        List<String> errors = readable(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        assertThat(errors).as(String.join("\n", errors)).isEmpty();
        // The pack did run: it reports its warnings (none of which fail a deploy), so silence is not absence.
        List<String> warnings = readable(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        System.out.println("cdk-nag AwsSolutions: 0 errors, " + warnings.size() + " warnings:\n  " + String.join("\n  ", warnings));
    }
}
