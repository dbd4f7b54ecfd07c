package dev.pricelake.core.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/** Parquet files held in memory, so objects move between the codec and an object store as byte arrays. */
public final class InMemoryFiles {
    private InMemoryFiles() {
    }

    public static final class Output implements OutputFile {
        private final ByteArrayOutputStream buffer;

        public Output() {
            this(64 * 1024);
        }

        Output(int expectedBytes) {
            buffer = new ByteArrayOutputStream(expectedBytes);
        }

        public byte[] toByteArray() {
            return buffer.toByteArray();
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                @Override
                public long getPos() {
                    return buffer.size();
                }

                @Override
                public void write(int b) {
                    buffer.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    buffer.write(b, off, len);
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            buffer.reset();
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }

    static final class Input implements InputFile {
        private final byte[] data;

        Input(byte[] data) {
            this.data = data;
        }

        @Override
        public long getLength() {
            return data.length;
        }

        @Override
        public SeekableInputStream newStream() {
            SeekableBytes bytes = new SeekableBytes(data);
            return new DelegatingSeekableInputStream(bytes) {
                @Override
                public long getPos() {
                    return bytes.position;
                }

                @Override
                public void seek(long newPos) throws IOException {
                    if (newPos < 0 || newPos > data.length) {
                        throw new IOException("seek to " + newPos + " outside a file of " + data.length + " bytes");
                    }
                    bytes.position = (int) newPos;
                }
            };
        }
    }

    private static final class SeekableBytes extends InputStream {
        private final byte[] data;
        private int position;

        SeekableBytes(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(len, data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return data.length - position;
        }
    }
}
