package dev.pricelake.adapters.sql;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.BadRequestException;
import software.amazon.awssdk.services.rdsdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.rdsdata.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.BeginTransactionRequest;
import software.amazon.awssdk.services.rdsdata.model.BeginTransactionResponse;
import software.amazon.awssdk.services.rdsdata.model.CommitTransactionRequest;
import software.amazon.awssdk.services.rdsdata.model.CommitTransactionResponse;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.RollbackTransactionRequest;
import software.amazon.awssdk.services.rdsdata.model.RollbackTransactionResponse;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;
import software.amazon.awssdk.services.rdsdata.model.UpdateResult;

/**
 * An RdsDataClient that runs every statement on a real PostgreSQL over JDBC, with the Data API's named
 * parameters, type hints, transactions and request and response limits (4 MiB a request, 1 MiB a response,
 * 64 KiB a row), so the Data API adapter's SQL really runs and meets the limits AWS would enforce.
 */
final class PostgresDataApiFake implements RdsDataClient {
    private static final Pattern NAMED = Pattern.compile(":([A-Za-z_][A-Za-z0-9_]*)");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");
    static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    static final int MAX_ROW_BYTES = 64 * 1024;
    private final DataSource database;
    private final Map<String, Connection> transactions = new ConcurrentHashMap<>();
    int largestBatch;

    PostgresDataApiFake(DataSource database) {
        this.database = database;
    }

    @Override
    public ExecuteStatementResponse executeStatement(ExecuteStatementRequest r) {
        return run(r.transactionId(), c -> {
            try (PreparedStatement ps = prepare(c, r.sql(), r.parameters())) {
                if (ps.execute()) {
                    List<List<Field>> records = new ArrayList<>();
                    long responseBytes = 0;
                    try (ResultSet rs = ps.getResultSet()) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            List<Field> record = new ArrayList<>();
                            long rowBytes = 0;
                            for (int i = 1; i <= columns; i++) {
                                Field f = field(rs.getObject(i));
                                rowBytes += f.stringValue() == null ? 8 : f.stringValue().getBytes(StandardCharsets.UTF_8).length;
                                record.add(f);
                            }
                            if (rowBytes > MAX_ROW_BYTES) {
                                throw BadRequestException.builder().message("Row is larger than the Data API's 64 KB limit")
                                        .build();
                            }
                            responseBytes += rowBytes;
                            if (responseBytes > MAX_RESPONSE_BYTES) {
                                throw BadRequestException.builder()
                                        .message("Database returned more than the allowed response size limit").build();
                            }
                            records.add(record);
                        }
                    }
                    return ExecuteStatementResponse.builder().records(records).numberOfRecordsUpdated(0L).build();
                }
                return ExecuteStatementResponse.builder().numberOfRecordsUpdated((long) ps.getUpdateCount()).build();
            }
        });
    }

    @Override
    public BatchExecuteStatementResponse batchExecuteStatement(BatchExecuteStatementRequest r) {
        long bytes = r.sql().length() + r.parameterSets().stream().flatMap(List::stream)
                .mapToLong(p -> 40 + (p.value().stringValue() == null ? 20 : p.value().stringValue().length())).sum();
        if (bytes > 4L * 1024 * 1024) {
            throw new IllegalArgumentException("request of about " + bytes + " bytes is over the Data API's 4 MiB");
        }
        largestBatch = Math.max(largestBatch, r.parameterSets().size());
        return run(r.transactionId(), c -> {
            List<UpdateResult> results = new ArrayList<>();
            for (List<SqlParameter> set : r.parameterSets()) {
                try (PreparedStatement ps = prepare(c, r.sql(), set)) {
                    ps.executeUpdate();
                    results.add(UpdateResult.builder().build());
                }
            }
            return BatchExecuteStatementResponse.builder().updateResults(results).build();
        });
    }

    @Override
    public BeginTransactionResponse beginTransaction(BeginTransactionRequest r) {
        try {
            Connection c = database.getConnection();
            c.setAutoCommit(false);
            String id = UUID.randomUUID().toString();
            transactions.put(id, c);
            return BeginTransactionResponse.builder().transactionId(id).build();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public CommitTransactionResponse commitTransaction(CommitTransactionRequest r) {
        end(r.transactionId(), true);
        return CommitTransactionResponse.builder().transactionStatus("Transaction Committed").build();
    }

    @Override
    public RollbackTransactionResponse rollbackTransaction(RollbackTransactionRequest r) {
        end(r.transactionId(), false);
        return RollbackTransactionResponse.builder().transactionStatus("Rollback Complete").build();
    }

    private void end(String id, boolean commit) {
        try (Connection c = transactions.remove(id)) {
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(String transactionId, Work<T> work) {
        try {
            if (transactionId != null) {
                return work.run(transactions.get(transactionId));
            }
            try (Connection c = database.getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw software.amazon.awssdk.services.rdsdata.model.DatabaseErrorException.builder().message(e.getMessage()).build();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<SqlParameter> params) throws SQLException {
        Matcher m = NAMED.matcher(sql);
        List<String> order = new ArrayList<>();
        StringBuilder jdbc = new StringBuilder();
        while (m.find()) {
            boolean cast = m.start() > 0 && sql.charAt(m.start() - 1) == ':';
            if (cast) {
                m.appendReplacement(jdbc, Matcher.quoteReplacement(m.group()));
                continue;
            }
            order.add(m.group(1));
            m.appendReplacement(jdbc, "?");
        }
        m.appendTail(jdbc);
        PreparedStatement ps = c.prepareStatement(jdbc.toString());
        for (int i = 0; i < order.size(); i++) {
            String name = order.get(i);
            SqlParameter p = params.stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no parameter :" + name));
            Field f = p.value();
            if (Boolean.TRUE.equals(f.isNull())) {
                ps.setObject(i + 1, null);
            } else if (p.typeHint() == TypeHint.DATE) {
                ps.setObject(i + 1, LocalDate.parse(f.stringValue()));
            } else if (p.typeHint() == TypeHint.TIMESTAMP) {
                ps.setObject(i + 1, OffsetDateTime.of(LocalDateTime.parse(f.stringValue(), TIMESTAMP), ZoneOffset.UTC));
            } else if (f.stringValue() != null) {
                ps.setString(i + 1, f.stringValue());
            } else if (f.longValue() != null) {
                ps.setLong(i + 1, f.longValue());
            } else if (f.doubleValue() != null) {
                ps.setDouble(i + 1, f.doubleValue());
            } else if (f.booleanValue() != null) {
                ps.setBoolean(i + 1, f.booleanValue());
            }
        }
        return ps;
    }

    private static Field field(Object value) {
        return switch (value) {
            case null -> Field.builder().isNull(true).build();
            case Integer i -> Field.builder().longValue(i.longValue()).build();
            case Long l -> Field.builder().longValue(l).build();
            case Double d -> Field.builder().doubleValue(d).build();
            case Boolean b -> Field.builder().booleanValue(b).build();
            default -> Field.builder().stringValue(value.toString()).build();
        };
    }

    @Override
    public String serviceName() {
        return "rds-data";
    }

    @Override
    public void close() {
    }
}
