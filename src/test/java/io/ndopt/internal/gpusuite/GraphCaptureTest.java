package io.ndopt.internal.gpusuite;


import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.backend.Blas;
import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.device.FakeCuda;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CUDA graph capture in the engine's {@link DeviceOps} over the stand-in driver ({@link FakeCuda}, which
 * records launches, device copies and gemms between begin and end capture and replays them): a captured
 * step replayed equals the eager steps bitwise ({@link GraphReplayCheck}); the cursor gather and advance by
 * hand-computed values; what cannot be captured is refused by name and leaves the stream usable; graphs
 * are destroyed once, and by close.
 */
class GraphCaptureTest {
    private DeviceUpdater updater;
    private DeviceOps ops;

    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void back() { FakeCuda.restore(); }

    @BeforeEach void open() {
        updater = DeviceOpsParityTest.open(DataType.FLOAT);
        ops = updater.ops();
    }

    @AfterEach void close() { updater.close(); }

    @Test void aReplayedGraphEqualsTheEagerStepsBitwise() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            DeviceOpsCheck.Result r = GraphReplayCheck.run(ops, dt);
            assertTrue(r.passed(), r.toString());
        }
    }

    /** The check fails when a replay does not move the batch: advance dropped from the graph. */
    @Test void theReplayCheckCatchesAFrozenCursor() {
        DeviceOps frozen = new Delegate(ops) {
            private boolean capturing;
            @Override public void beginCapture() { capturing = true; super.beginCapture(); }
            @Override public long endCapture() { capturing = false; return super.endCapture(); }
            @Override public void advance(long cursor, int rows) { if (!capturing) super.advance(cursor, rows); }
        };
        DeviceOpsCheck.Result r = GraphReplayCheck.run(frozen, DataType.FLOAT);
        assertFalse(r.passed(), r.toString());
        assertTrue(r.detail().contains("replayed graph differs"), r.detail());
    }

    /** Hand-computed: rows index[cursor..] of a 4×2 source, the cursor moved by 2 per replay. */
    @Test void cursorGatherReadsTheStartWhenTheGraphRuns() {
        long src = up(Nd4j.createFromArray(new float[] {0, 1, 10, 11, 20, 21, 30, 31}));
        long index = up(Nd4j.createFromArray(new int[] {3, 1, 0, 2}));
        long cursor = up(Nd4j.createFromArray(new int[] {0}));
        long dst = ops.alloc(4 * 4, "gathered");
        ops.synchronize();
        ops.beginCapture();
        ops.gatherRowsAt(DataType.FLOAT, src, index, cursor, 2, 2, dst);
        ops.advance(cursor, 2);
        long g = ops.endCapture();
        assertArrayEquals(new int[] {0}, ints(cursor, 1), "capturing ran nothing");
        ops.launchGraph(g);
        assertArrayEquals(new float[] {30, 31, 10, 11}, floats(dst, 4));
        ops.launchGraph(g);
        assertArrayEquals(new float[] {0, 1, 20, 21}, floats(dst, 4));
        assertArrayEquals(new int[] {4}, ints(cursor, 1));
        ops.destroyGraph(g);
    }

    @Test void whatCannotBeCapturedIsRefusedByNameAndTheStreamStaysUsable() {
        long p = ops.alloc(16, "x");
        INDArray host = Nd4j.createFromArray(new float[] {1, 2, 3, 4});
        long h = Blas.pointer(host).address();
        refused("upload", o -> o.upload(p, h, 16));
        refused("download", o -> o.download(h, p, 16));
        refused("synchronize", DeviceOps::synchronize);
        refused("alloc of y", o -> o.alloc(8, "y"));
        refused("free", o -> o.free(p));
        // an error of a recorded operation ends the capture too
        ops.beginCapture();
        assertThrows(IllegalArgumentException.class, () -> ops.gemm(DataType.FLOAT, false, false, 0, 1, 1, p, p, 0, p));
        var e = assertThrows(IllegalStateException.class, ops::endCapture);
        assertTrue(e.getMessage().contains("no capture"), e.getMessage());
        // eager work runs again: multiply doubles the values
        ops.upload(p, h, 16);
        ops.multiply(DataType.FLOAT, p, p, p, 4);
        assertArrayEquals(new float[] {1, 4, 9, 16}, floats(p, 4));
        ops.free(p);
    }

    private void refused(String op, Consumer<DeviceOps> call) {
        ops.beginCapture();
        var e = assertThrows(IllegalStateException.class, () -> call.accept(ops));
        assertTrue(e.getMessage().startsWith(op + " during a graph capture"), e.getMessage());
        assertThrows(IllegalStateException.class, ops::endCapture, "the refused capture was ended");
        ops.synchronize();                                                       // not capturing any more
    }

    @Test void graphsAreDestroyedOnceAndByClose() {
        long p = up(Nd4j.createFromArray(new float[] {2}));
        ops.synchronize();
        ops.beginCapture();
        var e = assertThrows(IllegalStateException.class, ops::beginCapture);
        assertTrue(e.getMessage().contains("already under way"), e.getMessage());
        ops.beginCapture();
        ops.multiply(DataType.FLOAT, p, p, p, 1);
        long g = ops.endCapture();
        ops.launchGraph(g);
        ops.launchGraph(g);
        assertArrayEquals(new float[] {16}, floats(p, 1), "2 → 4 → 16");
        ops.destroyGraph(g);
        var bad = assertThrows(IllegalArgumentException.class, () -> ops.launchGraph(g));
        assertTrue(bad.getMessage().contains("destroyed already"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ops.destroyGraph(g));
        ops.beginCapture();
        ops.multiply(DataType.FLOAT, p, p, p, 1);
        long left = ops.endCapture();
        ops.beginCapture();                                                      // a capture left open
        updater.close();                                                         // destroys both
        assertThrows(IllegalStateException.class, () -> ops.launchGraph(left), "closed");
    }

    private long up(INDArray a) {
        long n = a.length() * a.dataType().width();
        long p = ops.alloc(n, "test input");
        ops.upload(p, Blas.pointer(a).address(), n);
        ops.synchronize();
        return p;
    }

    private float[] floats(long p, int n) {
        INDArray a = Nd4j.create(DataType.FLOAT, n);
        ops.download(Blas.pointer(a).address(), p, 4L * n);
        return a.toFloatVector();
    }

    private int[] ints(long p, int n) {
        INDArray a = Nd4j.create(DataType.INT, n);
        ops.download(Blas.pointer(a).address(), p, 4L * n);
        return a.toIntVector();
    }
}
