package io.ndopt.optim;

import io.ndopt.internal.device.DeviceParams;

import io.ndopt.device.Device;
import io.ndopt.internal.device.DeviceFamily;
import io.ndopt.internal.device.DeviceSegment;
import io.ndopt.internal.device.DeviceStore;
import io.ndopt.internal.device.DeviceUpdater;
import io.ndopt.internal.device.Gpu;
import io.ndopt.param.FlatStore;
import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import io.ndopt.internal.kernel.KernelScalars;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The optimizer's step on a GPU: the plan's flat stores mirrored by a {@link DeviceUpdater}, each
 * segment updated by one fused kernel launch with the scalars the CPU kernels use.
 *
 * <p>Where the data lives: the optimizer state lives on the GPU (the host state buffers are
 * refreshed only by {@link Optimizer#stateDict()}); parameter values and gradients are produced and
 * read by host code (the network runs on the CPU), so a step uploads gradients (and, if taken,
 * values), reduces Σg² on the device, launches the kernels and downloads the new values — the one
 * synchronization per step that makes {@code param.value()} current on the host. The structured
 * proxes ({@link StructuredProx}: group lasso, per-weight L1 factors) run as device kernels after the
 * update kernels ({@link DeviceProxPlan}), before that download.
 *
 * <p>When a network runs on the same GPU ({@link DeviceParams#resident(boolean)}), values and
 * gradients stay there: a step reduces and updates in place and moves no data (only the Σg²
 * comes back), structured proxes included.
 */
final class DeviceStep implements AutoCloseable {
    private final DeviceUpdater updater;
    private final List<DeviceSegment> ranges = new ArrayList<>();
    /** The segments' first elements' offsets in their host stores (to place a parameter of a segment). */
    private final List<Long> segmentOffsets = new ArrayList<>();
    /** Per-parameter state of the whole-tensor rules (Adafactor, Muon): host arrays and their device buffers. */
    private final List<INDArray> mirroredHost = new ArrayList<>();
    private final List<Long> mirroredDevice = new ArrayList<>();
    /** Values and gradients live on the device (a network runs there): no per-step transfers. */
    private boolean resident;
    /** The structured proxes as device kernels (set by {@link #open}). */
    private DeviceProxPlan prox;

    private DeviceStep(DeviceUpdater updater) { this.updater = updater; }

    static DeviceStep open(Device device, SegmentPlan plan, Layout layout) {
        if (layout != Layout.FLAT) {
            throw new IllegalArgumentException("device " + device
                    + " needs Layout.FLAT (the flat stores are what lives on the GPU)");
        }
        String why = Gpu.whyNot(device);
        if (!why.isEmpty()) throw new IllegalStateException("cannot run the optimizer on " + device + ": " + why);
        List<DataType> order = new ArrayList<>(plan.stores.keySet());
        List<DeviceStore> stores = new ArrayList<>();
        for (DataType dt : order) {
            FlatStore fs = plan.stores.get(dt);
            stores.add(new DeviceStore(dt, fs.values(), fs.grads(), plan.stateBuffers.get(dt)));
        }
        List<DeviceSegment> ranges = new ArrayList<>();
        for (Segment s : plan.segments) {
            // a segment is a range view of its store, which is itself a view (aligned) into ND4J's buffer
            long from = s.value().offset() - plan.stores.get(s.value().dataType()).values().offset();
            ranges.add(new DeviceSegment(order.indexOf(s.value().dataType()), from, from + s.length()));
        }
        DeviceStep step = new DeviceStep(Gpu.engine().open(device.ordinal(), stores, ranges));
        step.ranges.addAll(ranges);
        for (Segment s : plan.segments) step.segmentOffsets.add(s.value().offset());
        java.util.Map<DataType, Long> offsets = new java.util.HashMap<>();
        for (DataType dt : order) offsets.put(dt, plan.stores.get(dt).values().offset());
        step.prox = new DeviceProxPlan(step.updater, order, offsets);
        try {
            for (Segment s : plan.segments) if (s.prox().active()) step.prox.prepare(s.prox());
        } catch (RuntimeException e) {
            try {
                step.close();
            } catch (RuntimeException later) {
                e.addSuppressed(later);
            }
            throw e;
        }
        return step;
    }

    String deviceName() { return updater.deviceName(); }

    DeviceUpdater updater() { return updater; }

    boolean resident() { return resident; }

    /**
     * Resident (a network on the device writes the gradients there and reads the values there): the
     * host values are uploaded once now, and steps stop moving data; off: the values are downloaded
     * and steps upload gradients and values and download values again.
     */
    void resident(boolean on) {
        if (!on && !resident) return;
        try {
            if (on) updater.pushValues();               // always: the host values are where a fit starts
            else updater.pullValues();
        } finally {
            resident = on;                              // a failed transfer must not leave steps in the wrong mode
        }
    }

    /** Uploads the gradients (unless resident) and returns their Σg² (NaN/Inf if any gradient is). */
    double sumSquares() {
        if (!resident) updater.pushGrads();
        return updater.sumSquares();
    }

    /** Makes the host gradients current (resident: they were written on the device). */
    void pullGradsIfResident() {
        if (resident) updater.pullGrads();
    }

    /**
     * One taken step: values up (unless resident), one kernel per segment, then each segment's structured proxes
     * (L1 with per-weight factors, group lasso) as device kernels in the order the CPU path applies them after its
     * update, values down (unless resident). {@code fastProx} (the CPU's choice of implementation) does not apply.
     */
    void apply(Rule rule, List<Segment> segments, long t, double clip, double muProduct, boolean fastProx) {
        apply(segments, t, clip, muProduct, fastProx, (i, update) -> updater.launch(ranges.get(i), KernelArgs.of(rule, update)));
    }

    /** Queues segment {@code i}'s step at its update scalars (the element-wise prox folded in). */
    interface SegmentLaunch { void launch(int segment, StepScalars update); }

    /** As {@link #apply(Rule, List, long, double, double, boolean)}, each segment's launches queued by {@code launch}. */
    void apply(List<Segment> segments, long t, double clip, double muProduct, boolean fastProx, SegmentLaunch launch) {
        if (!resident) updater.pushValues();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            StepScalars scalars = StepScalars.resolve(s.options(), t, clip).withMuProduct(muProduct);
            launch.launch(i, s.prox().kernelScalars(scalars));
            if (s.prox().active()) {
                prox.apply(s.prox(), StepScalars.resolve(s.options(), t, clip).threshold(),
                        StepScalars.groupThreshold(s.options(), t));
            }
        }
        if (!resident) updater.pullValues();
    }

    /**
     * A step whose scalars come from {@code scalars} per segment (schedule-free AdamW: no structured proxes): values
     * up unless resident, one launch per segment, values down unless resident.
     */
    void apply(List<Segment> segments, Function<Segment, KernelScalars> scalars) {
        if (!resident) updater.pushValues();
        for (int i = 0; i < segments.size(); i++) updater.launch(ranges.get(i), scalars.apply(segments.get(i)));
        if (!resident) updater.pullValues();
    }

    /**
     * Runs {@code r} on the host's values and state (schedule-free's switch between train and eval point): the
     * state (and, resident, the values) down, then up again.
     */
    void onHost(Runnable r) {
        updater.pullState();
        if (resident) updater.pullValues();
        r.run();
        updater.pushState();
        if (resident) updater.pushValues();
    }

    /** The whole-tensor rules' operations on this device. */
    DeviceFamily family() { return updater.family(); }

    /** The device address of parameter {@code p}'s values (a parameter of segment {@code segment}). */
    long values(int segment, Param p) { return updater.valuesAddress(ranges.get(segment).store()) + at(segment, p); }

    /** The device address of parameter {@code p}'s gradients. */
    long grads(int segment, Param p) { return updater.gradsAddress(ranges.get(segment).store()) + at(segment, p); }

    private long at(int segment, Param p) {
        long elements = ranges.get(segment).from() + p.value().offset() - segmentOffsets.get(segment);
        return elements * p.value().data().getElementSize();
    }

    /**
     * A device buffer holding {@code host} (dense), kept in step with it by {@link #pullState} and {@link #pushState}
     * and freed with the updater.
     */
    long mirror(INDArray host, String what) {
        DeviceFamily f = updater.family();
        long p = f.alloc(host.dataType(), host.length(), what);
        if (host.length() > 0) f.upload(p, host);
        mirroredHost.add(host);
        mirroredDevice.add(p);
        return p;
    }

    void pullState() {
        updater.pullState();
        for (int i = 0; i < mirroredHost.size(); i++) {
            if (mirroredHost.get(i).length() > 0) updater.family().download(mirroredHost.get(i), mirroredDevice.get(i));
        }
    }

    void pushState() {
        updater.pushState();
        for (int i = 0; i < mirroredHost.size(); i++) {
            if (mirroredHost.get(i).length() > 0) updater.family().upload(mirroredDevice.get(i), mirroredHost.get(i));
        }
    }

    @Override public void close() { updater.close(); }
}
