package dev.pricelake.core.parquet;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Page codecs for one file: ZSTD (the lake's own codec) one page at a time with zstd-jni, stateless and shared;
 * every other codec through parquet-java's own factory, made only when a file needs it. parquet-java's ZSTD
 * codec goes through Hadoop's stream codecs, which build a Hadoop Configuration (parsing its default XML) for
 * every file and copy each page through a stream: over a lake of thousands of small files that was most of the
 * codec's time (see the README's resample benchmark). The bytes are the same ZSTD frames either way.
 */
final class LakeCodecs implements CompressionCodecFactory {
    /** parquet-java's default ZSTD level. */
    private static final int ZSTD_LEVEL = 3;
    /** Contexts kept for the next page: making one per page showed in profiles. At most one per thread at work. */
    private static final Queue<ZstdCompressCtx> COMPRESSORS = new ConcurrentLinkedQueue<>();
    private static final Queue<ZstdDecompressCtx> DECOMPRESSORS = new ConcurrentLinkedQueue<>();
    static final BytesInputCompressor ZSTD_COMPRESSOR = new BytesInputCompressor() {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            ZstdCompressCtx context = COMPRESSORS.poll();
            if (context == null) {
                context = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);
            }
            try {
                return BytesInput.from(context.compress(bytes.toByteArray()));
            } catch (ZstdException e) {
                throw new IOException("ZSTD compression failed: " + e.getMessage(), e);
            } finally {
                COMPRESSORS.offer(context);
            }
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.ZSTD;
        }

        @Override
        public void release() {
        }
    };
    private static final BytesInputDecompressor ZSTD_DECOMPRESSOR = new BytesInputDecompressor() {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            return BytesInput.from(decompressed(bytes.toByteArray(), uncompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            byte[] compressed = new byte[compressedSize];
            input.get(compressed);
            output.put(decompressed(compressed, uncompressedSize));
        }

        @Override
        public void release() {
        }
    };
    private CodecFactory others;

    private static byte[] decompressed(byte[] compressed, int uncompressedSize) throws IOException {
        ZstdDecompressCtx context = DECOMPRESSORS.poll();
        if (context == null) {
            context = new ZstdDecompressCtx();
        }
        try {
            byte[] out = new byte[uncompressedSize];
            int n = context.decompressByteArray(out, 0, uncompressedSize, compressed, 0, compressed.length);
            if (n != uncompressedSize) {
                throw new IOException("a ZSTD page decompresses to " + n + " bytes, not its " + uncompressedSize);
            }
            return out;
        } catch (ZstdException e) {
            throw new IOException("a ZSTD page does not decompress: " + e.getMessage(), e);
        } finally {
            DECOMPRESSORS.offer(context);
        }
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return codec == CompressionCodecName.ZSTD ? ZSTD_COMPRESSOR : others().getCompressor(codec);
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return codec == CompressionCodecName.ZSTD ? ZSTD_DECOMPRESSOR : others().getDecompressor(codec);
    }

    private CodecFactory others() {
        if (others == null) {
            others = new CodecFactory(new PlainParquetConfiguration(), 0);
        }
        return others;
    }

    @Override
    public void release() {
        if (others != null) {
            others.release();
            others = null;
        }
    }
}
