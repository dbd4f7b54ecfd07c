package dev.pricelake.core.parquet;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Ours for fixed-width columns without a dictionary and for dictionary-encoded binary columns; parquet-java's own
 * writers for every other column.
 */
final class LakeValuesWriterFactory implements ValuesWriterFactory {
    private final DefaultValuesWriterFactory defaults = new DefaultValuesWriterFactory();
    private ParquetProperties properties;

    @Override
    public void initialize(ParquetProperties parquetProperties) {
        this.properties = parquetProperties;
        defaults.initialize(parquetProperties);
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor descriptor) {
        PrimitiveTypeName type = descriptor.getPrimitiveType().getPrimitiveTypeName();
        boolean fixedWidth = switch (type) {
            case INT32, INT64, DOUBLE, BOOLEAN -> true;
            default -> false;
        };
        boolean dictionary = properties.isDictionaryEnabled(descriptor);
        if (fixedWidth && !dictionary && !properties.isByteStreamSplitEnabled(descriptor)) {
            return new PlainFixedWidthWriter();
        }
        if (type == PrimitiveTypeName.BINARY && dictionary
                && properties.getWriterVersion() == ParquetProperties.WriterVersion.PARQUET_1_0) {
            // As parquet-java's version 1 factory builds it, with the repeated-value shortcut.
            return FallbackValuesWriter.of(
                    new RepeatedValueDictionaryWriter(properties.getDictionaryPageSizeThreshold(), Encoding.PLAIN_DICTIONARY,
                            Encoding.PLAIN_DICTIONARY, properties.getAllocator()),
                    new PlainValuesWriter(properties.getInitialSlabSize(), properties.getPageSizeThreshold(),
                            properties.getAllocator()));
        }
        return defaults.newValuesWriter(descriptor);
    }
}
