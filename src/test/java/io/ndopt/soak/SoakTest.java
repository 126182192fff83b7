package io.ndopt.soak;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.TestArrays;
import io.ndopt.data.Synthetic;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.UpdatePath;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import io.ndopt.schedule.Schedule;
import io.ndopt.train.Trainer;
import io.ndopt.train.TrainerOptions;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Bounded soak: many optimizer steps keep the JVM heap and ND4J's off-heap memory flat (measured
 * after a warm-up and a GC; growth beyond a small bound fails). Numbers are printed for the record.
 */
class SoakTest {
    static final long HEAP_BOUND = 32L << 20;    // 32 MiB
    /** Resident memory (RSS) wobbles by tens of MiB as glibc arenas and ND4J's deallocator thread catch up. */
    static final long RSS_BOUND = 128L << 20;

    record Mem(long heap, long offHeap) {
        static Mem now() {
            for (int i = 0; i < 10; i++) {
                System.gc();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Runtime rt = Runtime.getRuntime();
            return new Mem(rt.totalMemory() - rt.freeMemory(), Pointer.physicalBytes());
        }
    }

    private static void check(String what, long steps, Mem before, Mem after) {
        System.out.printf("soak %s: %d steps, heap %.1f -> %.1f MiB, resident (heap + ND4J off-heap) %.1f -> %.1f "
                + "MiB%n", what, steps,
                before.heap() / 1048576.0, after.heap() / 1048576.0, before.offHeap() / 1048576.0,
                after.offHeap() / 1048576.0);
        assertTrue(after.heap() - before.heap() < HEAP_BOUND,
                what + ": heap grew by " + (after.heap() - before.heap()) + " bytes");
        assertTrue(after.offHeap() - before.offHeap() < RSS_BOUND,
                what + ": resident memory grew by " + (after.offHeap() - before.offHeap()) + " bytes");
    }

    private static void run(Optimizer opt, List<Param> ps, long steps) {
        for (long s = 0; s < steps; s++) opt.step();
    }

    @Test
    void fusedStepsKeepMemoryFlat() {
        Random r = new Random(1);
        List<Param> ps = List.of(Param.weight("w", TestArrays.randn(DataType.FLOAT, r, 64, 32)),
                Param.bias("b", TestArrays.randn(DataType.FLOAT, r, 1, 32)));
        Optimizer opt = Optimizer.adamw(1e-4).l1(1e-5).clipNorm(1).schedule(Schedule.cosine(1e-4, 1000, 0)).build(ps);
        for (Param p : ps) p.setGrad(TestArrays.randn(DataType.FLOAT, r, p.shape()).muli(1e-3));
        run(opt, ps, 5_000);
        Mem before = Mem.now();
        run(opt, ps, 100_000);
        check("fused AdamW+L1", 100_000, before, Mem.now());
    }

    @Test
    void referenceStepsKeepMemoryFlat() {
        Random r = new Random(2);
        List<Param> ps = List.of(Param.weight("w", TestArrays.randn(DataType.DOUBLE, r, 32, 16)),
                Param.bias("b", TestArrays.randn(DataType.DOUBLE, r, 1, 16)));
        Optimizer opt = Optimizer.sgd(1e-3).momentum(0.9).weightDecay(1e-4).l1(1e-6).impl(UpdatePath.REFERENCE).build(ps);
        for (Param p : ps) p.setGrad(TestArrays.randn(DataType.DOUBLE, r, p.shape()).muli(1e-3));
        // every temporary is freed only once the GC finds it, so resident memory climbs to a plateau set by the
        // GC interval; after a warm-up with the same interval it must stay there
        run(opt, ps, 8_000);
        Mem.now();
        run(opt, ps, 8_000);
        Mem before = Mem.now();
        for (int round = 0; round < 3; round++) {
            run(opt, ps, 8_000);
            Mem.now();
        }
        check("reference SGD+L1 (allocating ND4J ops)", 24_000, before, Mem.now());
    }

    @Test
    void trainingLoopKeepsMemoryFlat() {
        var data = Synthetic.moons(256, 0.2, 0.1, 1, DataType.FLOAT);
        Sequential m = Sequential.mlp(2, new int[] {16}, 1, Activation.RELU, Activation.IDENTITY, DataType.FLOAT, 1);
        Optimizer opt = Optimizer.adamw(1e-3).build(m.params());
        new Trainer(m, Loss.BCE_WITH_LOGITS, opt, new TrainerOptions(300, 64, 1, 0, true, 0)).fit(data, null);
        Mem before = Mem.now();
        Trainer longer = new Trainer(m, Loss.BCE_WITH_LOGITS, opt, new TrainerOptions(500, 64, 1, 0, true, 0));
        longer.fit(data, null);
        check("training loop (forward, backward, step)", 2_000, before, Mem.now());
    }
}
