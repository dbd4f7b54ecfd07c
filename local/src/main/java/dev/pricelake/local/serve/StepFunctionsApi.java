package dev.pricelake.local.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.local.lambda.LocalLambda;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Step Functions API (AWS JSON 1.0, {@code X-Amz-Target: AWSStepFunctions.<Operation>}) over the one state machine
 * {@code serve} runs, named as the deployed one, so the README's {@code aws stepfunctions} commands work with
 * {@code --endpoint-url} added. Dates are epoch seconds, as the protocol sends them; errors are AWS's.
 */
final class StepFunctionsApi {
    static final String STATE_MACHINE = "pricelake-backfill";
    static final String STATE_MACHINE_ARN = "arn:aws:states:" + LocalLambda.REGION + ":" + LocalLambda.ACCOUNT
            + ":stateMachine:" + STATE_MACHINE;
    private static final Pattern EXECUTION_ARN = Pattern.compile(
            "arn:aws:states:([a-z0-9-]+):(\\d{12}):execution:([^:]+):([^:]+)");
    private static final Pattern STATE_MACHINE_ARN_SHAPE = Pattern.compile("arn:aws:states:([a-z0-9-]+):(\\d{12}):stateMachine:([^:]+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;

    private final Executions executions;
    private final String definition;
    private final long createdMillis;

    StepFunctionsApi(Executions executions, String definition, long createdMillis) {
        this.executions = executions;
        this.definition = definition;
        this.createdMillis = createdMillis;
    }

    static String executionArn(String name) {
        return "arn:aws:states:" + LocalLambda.REGION + ":" + LocalLambda.ACCOUNT + ":execution:" + STATE_MACHINE + ":" + name;
    }

    /** Answers one call; an {@link ApiError} is the error AWS would answer. */
    JsonNode call(String operation, JsonNode request) {
        return switch (operation) {
            case "ListStateMachines" -> listStateMachines();
            case "DescribeStateMachine" -> describeStateMachine(request);
            case "StartExecution" -> startExecution(request);
            case "DescribeExecution" -> describeExecution(request);
            case "ListExecutions" -> listExecutions(request);
            case "StopExecution" -> stopExecution(request);
            case "GetExecutionHistory" -> history(request);
            default -> throw new ApiError("UnknownOperationException", "The local Step Functions does not offer " + operation
                    + "; it offers ListStateMachines, DescribeStateMachine, StartExecution, DescribeExecution,"
                    + " ListExecutions, StopExecution and GetExecutionHistory");
        };
    }

    private JsonNode listStateMachines() {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode machine = out.putArray("stateMachines").addObject();
        machine.put("stateMachineArn", STATE_MACHINE_ARN);
        machine.put("name", STATE_MACHINE);
        machine.put("type", "STANDARD");
        machine.put("creationDate", createdMillis / 1000.0);
        return out;
    }

    private JsonNode describeStateMachine(JsonNode request) {
        requireStateMachine(required(request, "stateMachineArn"));
        ObjectNode out = JSON.createObjectNode();
        out.put("stateMachineArn", STATE_MACHINE_ARN);
        out.put("name", STATE_MACHINE);
        out.put("status", "ACTIVE");
        out.put("definition", definition);
        out.put("roleArn", "arn:aws:iam::" + LocalLambda.ACCOUNT + ":role/pricelake-local");
        out.put("type", "STANDARD");
        out.put("creationDate", createdMillis / 1000.0);
        return out;
    }

    private JsonNode startExecution(JsonNode request) {
        requireStateMachine(required(request, "stateMachineArn"));
        String name = request.hasNonNull("name") ? request.get("name").asText() : UUID.randomUUID().toString();
        String input = request.hasNonNull("input") ? request.get("input").asText() : "{}";
        ExecutionRecord record = executions.start(name, input);
        ObjectNode out = JSON.createObjectNode();
        out.put("executionArn", executionArn(record.name()));
        out.put("startDate", record.startDate() / 1000.0);
        return out;
    }

    private JsonNode describeExecution(JsonNode request) {
        ExecutionRecord record = execution(required(request, "executionArn"));
        ObjectNode out = summary(record);
        out.put("input", record.input());
        out.putObject("inputDetails").put("included", true);
        if (record.output() != null) {
            out.put("output", record.output());
            out.putObject("outputDetails").put("included", true);
        }
        if (record.error() != null) {
            out.put("error", record.error());
        }
        if (record.cause() != null) {
            out.put("cause", record.cause());
        }
        return out;
    }

    private JsonNode listExecutions(JsonNode request) {
        requireStateMachine(required(request, "stateMachineArn"));
        String filter = request.path("statusFilter").asText(null);
        if (filter != null && !ExecutionRecord.isStatus(filter)) {
            throw new ApiError("ValidationException", "1 validation error detected: Value '" + filter
                    + "' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set:"
                    + " [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]");
        }
        List<ExecutionRecord> all = executions.list().stream().filter(e -> filter == null || e.status().equals(filter)).toList();
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("executions");
        page(request, all.size(), out, i -> list.add(summary(all.get(i))));
        return out;
    }

    private JsonNode stopExecution(JsonNode request) {
        String name = executionName(required(request, "executionArn"));
        ExecutionRecord record = executions.stop(name, request.path("error").asText(null), request.path("cause").asText(null));
        ObjectNode out = JSON.createObjectNode();
        out.put("stopDate", (record.stopDate() == null ? System.currentTimeMillis() : record.stopDate()) / 1000.0);
        return out;
    }

    private JsonNode history(JsonNode request) {
        ExecutionRecord record = execution(required(request, "executionArn"));
        List<JsonNode> events = executions.history(record.name());
        if (request.path("reverseOrder").asBoolean()) {
            events = events.reversed();
        }
        boolean withData = request.path("includeExecutionData").asBoolean(true);
        List<JsonNode> ordered = events;
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("events");
        page(request, ordered.size(), out, i -> list.add(withData ? ordered.get(i) : withoutData(ordered.get(i))));
        return out;
    }

    /** includeExecutionData false: AWS leaves out every input, output, error's cause and result. */
    private static JsonNode withoutData(JsonNode event) {
        ObjectNode copy = event.deepCopy();
        copy.properties().forEach(field -> {
            if (field.getValue() instanceof ObjectNode details) {
                details.remove(List.of("input", "output", "cause"));
            }
        });
        return copy;
    }

    /** maxResults (default 100, at most 1000) and nextToken (where the last page stopped), as AWS pages. */
    private static void page(JsonNode request, int size, ObjectNode out, java.util.function.IntConsumer add) {
        int max = request.path("maxResults").asInt(0);
        if (max < 0 || max > MAX_PAGE) {
            throw new ApiError("ValidationException", "1 validation error detected: Value '" + max
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000");
        }
        int pageSize = max == 0 ? DEFAULT_PAGE : max;
        int from = 0;
        if (request.hasNonNull("nextToken")) {
            try {
                from = Integer.parseInt(request.get("nextToken").asText());
            } catch (NumberFormatException e) {
                throw new ApiError("InvalidToken", "Invalid Token: '" + request.get("nextToken").asText() + "'");
            }
            if (from < 0 || from > size) {
                throw new ApiError("InvalidToken", "Invalid Token: '" + from + "'");
            }
        }
        int to = Math.min(size, from + pageSize);
        for (int i = from; i < to; i++) {
            add.accept(i);
        }
        if (to < size) {
            out.put("nextToken", Integer.toString(to));
        }
    }

    private static ObjectNode summary(ExecutionRecord record) {
        ObjectNode out = JSON.createObjectNode();
        out.put("executionArn", executionArn(record.name()));
        out.put("stateMachineArn", STATE_MACHINE_ARN);
        out.put("name", record.name());
        out.put("status", record.status());
        out.put("startDate", record.startDate() / 1000.0);
        if (record.stopDate() != null) {
            out.put("stopDate", record.stopDate() / 1000.0);
        }
        return out;
    }

    private ExecutionRecord execution(String arn) {
        String name = executionName(arn);
        return executions.get(name).orElseThrow(() -> new ApiError("ExecutionDoesNotExist",
                "Execution Does Not Exist: '" + arn + "'"));
    }

    private static String executionName(String arn) {
        Matcher m = EXECUTION_ARN.matcher(arn);
        if (!m.matches()) {
            throw new ApiError("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + arn + "'");
        }
        if (!m.group(3).equals(STATE_MACHINE)) {
            throw new ApiError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return m.group(4);
    }

    private static void requireStateMachine(String arn) {
        Matcher m = STATE_MACHINE_ARN_SHAPE.matcher(arn);
        if (!m.matches()) {
            throw new ApiError("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        if (!arn.equals(STATE_MACHINE_ARN)) {
            throw new ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'; the local one is "
                    + STATE_MACHINE_ARN);
        }
    }

    private static String required(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isTextual()) {
            throw new ApiError("ValidationException", "1 validation error detected: Value null at '" + field
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value.asText();
    }
}
