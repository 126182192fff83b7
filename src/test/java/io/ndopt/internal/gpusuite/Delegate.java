package io.ndopt.internal.gpusuite;

import io.ndopt.internal.device.DeviceOps;
import org.nd4j.linalg.api.buffer.DataType;

/** {@link DeviceOps} that hands every call to {@code d}: tests override the call they break. */
class Delegate implements DeviceOps {
    final DeviceOps d;

    Delegate(DeviceOps d) { this.d = d; }

    @Override public long alloc(long bytes, String what) { return d.alloc(bytes, what); }
    @Override public void free(long pointer) { d.free(pointer); }
    @Override public void upload(long dst, long host, long bytes) { d.upload(dst, host, bytes); }
    @Override public void download(long host, long src, long bytes) { d.download(host, src, bytes); }
    @Override public void copy(long dst, long src, long bytes) { d.copy(dst, src, bytes); }
    @Override public void synchronize() { d.synchronize(); }
    @Override public void gemm(DataType dt, boolean ta, boolean tb, int m, int n, int k, long a, long b, double beta,
                               long c) {
        d.gemm(dt, ta, tb, m, n, k, a, b, beta, c);
    }
    @Override public void biasActivation(DataType dt, long z, long b, long a, int rows, int n, int act) {
        d.biasActivation(dt, z, b, a, rows, n, act);
    }
    @Override public void activationBackward(DataType dt, long z, long a, long dd, int rows, int n, int act, long g) {
        d.activationBackward(dt, z, a, dd, rows, n, act, g);
    }
    @Override public void lossAndGradient(DataType dt, int loss, long out, long y, long grad, int rows, int n, long v) {
        d.lossAndGradient(dt, loss, out, y, grad, rows, n, v);
    }
    @Override public void multiply(DataType dt, long x, long mask, long out, long len) {
        d.multiply(dt, x, mask, out, len);
    }
    @Override public void gatherRows(DataType dt, long src, long index, int from, int rows, int width, long dst) {
        d.gatherRows(dt, src, index, from, rows, width, dst);
    }
    @Override public void gatherRowsAt(DataType dt, long src, long index, long cursor, int rows, int width, long dst) {
        d.gatherRowsAt(dt, src, index, cursor, rows, width, dst);
    }
    @Override public void advance(long cursor, int rows) { d.advance(cursor, rows); }
    @Override public void beginCapture() { d.beginCapture(); }
    @Override public long endCapture() { return d.endCapture(); }
    @Override public void launchGraph(long graph) { d.launchGraph(graph); }
    @Override public void destroyGraph(long graph) { d.destroyGraph(graph); }
    @Override public void toHalf(DataType half, long src, long dst, long len) { d.toHalf(half, src, dst, len); }
    @Override public void gemmMixed(DataType half, boolean ta, boolean tb, int m, int n, int k, long a, long b,
                                    double beta, long c) {
        d.gemmMixed(half, ta, tb, m, n, k, a, b, beta, c);
    }
    @Override public void tf32(boolean on) { d.tf32(on); }
    @Override public void scale(long x, long len, long factor) { d.scale(x, len, factor); }
    @Override public void unscaleAndCheck(long g, long len, long inv, long found) { d.unscaleAndCheck(g, len, inv, found); }
    @Override public void zero(long p, long bytes) { d.zero(p, bytes); }
}
