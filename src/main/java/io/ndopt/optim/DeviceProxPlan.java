package io.ndopt.optim;

import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.param.Param;
import io.ndopt.regularize.Grouping;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The structured proxes ({@link StructuredProx}: per-weight L1 factors, group lasso) of a GPU optimizer, run as device
 * kernels on the values where they live, so a step moves no parameter data for them. Each parameter's constants
 * (its L1 factors, its group coefficients {@code c_g}, and for index groups the members) are uploaded once, when
 * the optimizer opens on the device ({@link #prepare}); rows and columns are described by strides and need no index list.
 */
final class DeviceProxPlan {
    /** Where one parameter lies in its store and its uploaded constants (0 = none). */
    private record Entry(int store, long from, long length, long factors, long coefs, int groups, boolean indexed,
                         long groupStride, long size, long elemStride, long members, long starts) {}

    private final DeviceUpdater updater;
    private final List<DataType> order;
    private final Map<DataType, Long> storeOffsets;
    private final Map<Param, Entry> entries = new IdentityHashMap<>();

    /** {@code order}: the stores' dtypes in store order; {@code storeOffsets}: each store's offset in its ND4J buffer. */
    DeviceProxPlan(DeviceUpdater updater, List<DataType> order, Map<DataType, Long> storeOffsets) {
        this.updater = updater;
        this.order = List.copyOf(order);
        this.storeOffsets = Map.copyOf(storeOffsets);
    }

    /** Uploads the constants of {@code prox}'s parameters now (at open), so no step uploads anything for them. */
    void prepare(StructuredProx prox) {
        for (StructuredProx.Block b : prox.blocks) {
            if (b.param().length() > 0) entries.computeIfAbsent(b.param(), p -> upload(b, prox.ownsL1));
        }
    }

    /** Queues {@code prox} with L1 threshold {@code l1} and group threshold {@code group}, as the CPU's {@link StructuredProx#apply}. */
    void apply(StructuredProx prox, double l1, double group) {
        for (StructuredProx.Block b : prox.blocks) {
            if (b.param().length() == 0) continue;
            Entry e = entries.computeIfAbsent(b.param(), p -> upload(b, prox.ownsL1));
            if (prox.ownsL1) updater.proxL1Factors(e.store, e.from, e.length, e.factors, l1);
            if (b.c() == null) continue;
            if (e.indexed) updater.groupShrinkIndexed(e.store, e.members, e.starts, e.groups, e.coefs, group);
            else updater.groupShrink(e.store, e.from, e.groups, e.groupStride, e.size, e.elemStride, e.coefs, group);
        }
    }

    private Entry upload(StructuredProx.Block b, boolean ownsL1) {
        Param p = b.param();
        DataType dt = p.dtype();
        int store = order.indexOf(dt);
        long from = p.value().offset() - storeOffsets.get(dt);
        long length = p.length();
        long factors = ownsL1 ? updater.constant(b.l1Factors().reshape(length), "L1 factors of '" + p.name() + "'")
                : 0;
        if (b.c() == null) return new Entry(store, from, length, factors, 0, 0, false, 0, 0, 0, 0, 0);
        long coefs = updater.constant(Nd4j.createFromArray(b.c()), "group coefficients of '" + p.name() + "'");
        Grouping g = b.lasso().grouping();
        if (g instanceof Grouping.Indices ix) {
            int[][] groups = ix.groups();
            long total = 0;
            for (int[] grp : groups) total += grp.length;
            long[] members = new long[Math.toIntExact(total)];
            long[] starts = new long[groups.length + 1];
            int m = 0;
            for (int k = 0; k < groups.length; k++) {
                starts[k] = m;
                for (int i : groups[k]) members[m++] = from + i;
            }
            starts[groups.length] = m;
            return new Entry(store, from, length, factors, coefs, groups.length, true, 0, 0, 0,
                    updater.constant(Nd4j.createFromArray(members), "group members of '" + p.name() + "'"),
                    updater.constant(Nd4j.createFromArray(starts), "group starts of '" + p.name() + "'"));
        }
        long rows = p.shape()[0], cols = p.shape()[1];
        return g instanceof Grouping.Rows
                ? new Entry(store, from, length, factors, coefs, Math.toIntExact(rows), false, cols, cols, 1, 0, 0)
                : new Entry(store, from, length, factors, coefs, Math.toIntExact(cols), false, 1, rows, cols, 0, 0);
    }
}
