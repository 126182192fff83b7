package io.ndopt.optim;

import io.ndopt.internal.device.DeviceOps;
import io.ndopt.internal.device.DeviceParams;
import io.ndopt.param.FlatStore;
import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/** {@link DeviceParams} of an optimizer whose steps run on a GPU ({@link DeviceStep}). */
final class StepDeviceParams implements DeviceParams {
    private final DeviceStep step;
    private final SegmentPlan plan;
    private final List<DataType> order;

    StepDeviceParams(DeviceStep step, SegmentPlan plan) {
        this.step = step;
        this.plan = plan;
        this.order = new ArrayList<>(plan.stores.keySet());          // the store order DeviceStep opened with
    }

    @Override public List<Param> params() {
        List<Param> all = new ArrayList<>();
        for (FlatStore s : plan.stores.values()) all.addAll(s.params());
        return all;
    }

    @Override public DeviceOps ops() { return step.updater().ops(); }

    @Override public String deviceName() { return step.deviceName(); }

    @Override public long value(Param p) { return address(p, false); }

    @Override public long grad(Param p) { return address(p, true); }

    private long address(Param p, boolean grad) {
        FlatStore store = plan.stores.get(p.dtype());
        long offset;
        try {
            if (store == null) throw new IllegalArgumentException("no " + p.dtype() + " store");
            offset = store.offset(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter '" + p.name() + "' is not optimized by this optimizer "
                    + "(a network on the GPU must be trained by an optimizer built over its own parameters)");
        }
        int index = order.indexOf(p.dtype());
        long base = grad ? step.updater().gradsAddress(index) : step.updater().valuesAddress(index);
        return base + offset * p.dtype().width();
    }

    @Override public void resident(boolean on) { step.resident(on); }

    @Override public boolean resident() { return step.resident(); }

    @Override public void toHost() {
        if (step.resident()) step.updater().pullValues();
    }

    @Override public double[] time(Runnable body, int warmup, int reps) {
        return step.updater().time(body, warmup, reps);
    }

    @Override public void toDevice() {
        if (step.resident()) step.updater().pushValues();
    }
}
