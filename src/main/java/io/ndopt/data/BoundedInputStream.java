package io.ndopt.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The next {@code limit} bytes of a stream, then its end (one piece of a file cut for parallel parsing). */
final class BoundedInputStream extends FilterInputStream {
    private long left;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.left = limit;
    }

    @Override public int read() throws IOException {
        if (left <= 0) return -1;
        int b = in.read();
        if (b >= 0) left--;
        return b;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) return -1;
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n > 0) left -= n;
        return n;
    }

    @Override public long skip(long n) throws IOException {
        long s = in.skip(Math.min(n, left));
        left -= s;
        return s;
    }

    @Override public int available() throws IOException { return (int) Math.min(in.available(), left); }

    @Override public boolean markSupported() { return false; }
}
