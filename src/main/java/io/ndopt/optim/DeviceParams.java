package io.ndopt.optim;

import io.ndopt.device.DeviceOps;
import io.ndopt.param.FlatStore;
import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A GPU optimizer's parameters as a network on the same GPU sees them: the device addresses of each
 * parameter's values and gradients (inside the optimizer's flat device buffers), the network
 * operations on the optimizer's stream ({@link #ops()}), and where the values live.
 *
 * <p>Residency: by default (as for a network on the CPU) a step uploads the host gradients and
 * values and downloads the new values. {@link #resident(boolean) resident(true)} uploads the values
 * once and from then on the network writes gradients and reads values on the device; the host
 * {@code param.value()} arrays are then stale until {@link #toHost()} (an explicit synchronization),
 * and host changes to them reach the device only through {@link #toDevice()}.
 */
public final class DeviceParams {
    private final DeviceStep step;
    private final SegmentPlan plan;
    private final List<DataType> order;

    DeviceParams(DeviceStep step, SegmentPlan plan) {
        this.step = step;
        this.plan = plan;
        this.order = new ArrayList<>(plan.stores.keySet());          // the store order DeviceStep opened with
    }

    /** Every parameter this optimizer updates. */
    public List<Param> params() {
        List<Param> all = new ArrayList<>();
        for (FlatStore s : plan.stores.values()) all.addAll(s.params());
        return all;
    }

    /** The operations of a network on this optimizer's GPU and stream. */
    public DeviceOps ops() { return step.updater().ops(); }

    /** e.g. "cuda:0 NVIDIA H200". */
    public String deviceName() { return step.deviceName(); }

    /** Device address of {@code p}'s values (dense, c order, its dtype). */
    public long value(Param p) { return address(p, false); }

    /** Device address of {@code p}'s gradient. */
    public long grad(Param p) { return address(p, true); }

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

    /** See the class comment; switching on uploads the host values, switching off downloads them. */
    public void resident(boolean on) { step.resident(on); }

    public boolean resident() { return step.resident(); }

    /** Resident: downloads the values so {@code param.value()} is current (waits for queued work). */
    public void toHost() {
        if (step.resident()) step.updater().pullValues();
    }

    /** Resident: uploads the host values (after a restore or a resume changed them on the host). */
    public void toDevice() {
        if (step.resident()) step.updater().pushValues();
    }
}
