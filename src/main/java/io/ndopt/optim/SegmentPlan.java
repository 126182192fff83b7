package io.ndopt.optim;

import io.ndopt.param.FlatStore;
import io.ndopt.param.Param;
import io.ndopt.regularize.PenaltyFactors;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Resolves groups and masks once, at build time: splits every group into segments of parameters
 * that share all step scalars, and lays out storage (flat buffers or per-tensor state).
 */
final class SegmentPlan {
    final List<Segment> segments = new ArrayList<>();
    /** Per-parameter state views, in {@link Rule#stateNames()} order. */
    final Map<Param, INDArray[]> stateOf = new IdentityHashMap<>();
    /** One flat store per dtype in the flat layout; empty in the tensor layout. */
    final Map<DataType, FlatStore> stores = new LinkedHashMap<>();
    /** The state buffers of each flat store, in {@link Rule#stateNames()} order; empty in the tensor layout. */
    final Map<DataType, INDArray[]> stateBuffers = new LinkedHashMap<>();

    private record Key(String group, GroupOptions options, DataType dtype) {}

    SegmentPlan(List<ParamGroup> groups, Rule rule, Layout layout, Map<Param, PenaltyFactors> factors) {
        Map<Key, List<Param>> runs = new LinkedHashMap<>();
        for (ParamGroup g : groups) {
            for (boolean reg : new boolean[] {true, false}) {
                GroupOptions o = reg ? g.options() : g.options().unregularized();
                for (Param p : g.params()) {
                    if (g.options().regularized().test(p) == reg) {
                        runs.computeIfAbsent(new Key(g.name(), o, p.dtype()), k -> new ArrayList<>()).add(p);
                    }
                }
            }
        }
        int slots = rule.stateNames().size();
        if (layout == Layout.FLAT) {
            planFlat(runs, slots, factors);
        } else {
            planTensors(runs, slots, factors);
        }
    }

    private void planTensors(Map<Key, List<Param>> runs, int slots, Map<Param, PenaltyFactors> factors) {
        for (var run : runs.entrySet()) {
            for (Param p : run.getValue()) {
                INDArray[] state = new INDArray[slots];
                for (int i = 0; i < slots; i++) state[i] = Nd4j.zeros(p.dtype(), p.shape());
                stateOf.put(p, state);
                if (p.length() == 0) continue;     // nothing to update
                segments.add(segment(run.getKey(), List.of(p), p.value(), p.gradArray(), state, factors));
            }
        }
    }

    private void planFlat(Map<Key, List<Param>> runs, int slots, Map<Param, PenaltyFactors> factors) {
        Map<DataType, List<Param>> byDtype = new LinkedHashMap<>();
        runs.forEach((k, ps) -> byDtype.computeIfAbsent(k.dtype(), d -> new ArrayList<>()).addAll(ps));
        byDtype.forEach((dtype, ps) -> {
            FlatStore store = FlatStore.pack(ps);
            stores.put(dtype, store);
            INDArray[] buffers = new INDArray[slots];
            for (int i = 0; i < slots; i++) buffers[i] = FlatStore.alignedZeros(dtype, store.length());
            stateBuffers.put(dtype, buffers);
            for (Param p : ps) {
                INDArray[] views = new INDArray[slots];
                long off = store.offset(p);
                for (int i = 0; i < slots; i++) {
                    views[i] = p.length() == 0 ? Nd4j.create(dtype, p.shape())
                            : FlatStore.range(buffers[i], off, off + p.length()).reshape('c', p.shape());
                }
                stateOf.put(p, views);
            }
        });
        for (var run : runs.entrySet()) {
            List<Param> ps = run.getValue();
            FlatStore store = stores.get(run.getKey().dtype());
            long from = store.offset(ps.get(0));
            long to = from + ps.stream().mapToLong(Param::length).sum();
            if (to == from) continue;
            INDArray[] bufs = stateBuffers.get(run.getKey().dtype());
            INDArray[] state = new INDArray[slots];
            for (int i = 0; i < slots; i++) state[i] = FlatStore.range(bufs[i], from, to);
            segments.add(segment(run.getKey(), List.copyOf(ps), FlatStore.range(store.values(), from, to),
                    FlatStore.range(store.grads(), from, to), state, factors));
        }
    }

    private static Segment segment(Key key, List<Param> params, INDArray value, INDArray grad, INDArray[] state,
                                   Map<Param, PenaltyFactors> factors) {
        StructuredProx prox = StructuredProx.of(key.options(), params, factors);
        return new Segment(key.group(), key.options(), params, value, grad, state, prox);
    }
}
