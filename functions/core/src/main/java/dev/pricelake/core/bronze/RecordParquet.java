package dev.pricelake.core.bronze;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * parquet-mr's writer plumbing for records written field by field: a schema, a format tag in the footer
 * ({@code pricelake.format}), and how to write one record's fields.
 */
public final class RecordParquet {
    private RecordParquet() {
    }

    /** Writes one record's fields; the message around them is started and ended for it. */
    @FunctionalInterface
    public interface Fields<T> {
        void write(T record, RecordConsumer consumer);
    }

    /** A writer builder for these records; configure it (codec, page sizes) and build. */
    public static <T> ParquetWriter.Builder<T, ?> writer(OutputFile file, MessageType schema, String format, Fields<T> fields) {
        return new Builder<>(file, schema, format, fields);
    }

    private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
        private final MessageType schema;
        private final String format;
        private final Fields<T> fields;

        Builder(OutputFile file, MessageType schema, String format, Fields<T> fields) {
            super(file);
            this.schema = schema;
            this.format = format;
            this.fields = fields;
        }

        @Override
        protected Builder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(Configuration conf) {
            return new Support<>(schema, format, fields);
        }

        @Override
        protected WriteSupport<T> getWriteSupport(ParquetConfiguration conf) {
            return new Support<>(schema, format, fields);
        }
    }

    private static final class Support<T> extends WriteSupport<T> {
        private final MessageType schema;
        private final String format;
        private final Fields<T> fields;
        private RecordConsumer consumer;

        Support(MessageType schema, String format, Fields<T> fields) {
            this.schema = schema;
            this.format = format;
            this.fields = fields;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, Map.of("pricelake.format", format));
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, Map.of("pricelake.format", format));
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(T record) {
            consumer.startMessage();
            fields.write(record, consumer);
            consumer.endMessage();
        }
    }
}
