package io.ndopt.internal.device;

import io.ndopt.param.Param;
import java.util.List;
import java.util.function.Function;

/**
 * A GPU optimizer's parameters as a network on the same GPU sees them: the device addresses of each
 * parameter's values and gradients (inside the optimizer's flat device buffers), the network
 * operations on the optimizer's stream ({@link #ops()}), and where the values live. Internal: the
 * public {@code Optimizer} has no method that returns it; {@link #of} reaches it.
 *
 * <p>Residency: by default (as for a network on the CPU) a step uploads the host gradients and
 * values and downloads the new values. {@link #resident(boolean) resident(true)} uploads the values
 * once and from then on the network writes gradients and reads values on the device; the host
 * {@code param.value()} arrays are then stale until {@link #toHost()} (an explicit synchronization),
 * and host changes to them reach the device only through {@link #toDevice()}.
 */
public interface DeviceParams {
    /** Every parameter this optimizer updates. */
    List<Param> params();

    /** The operations of a network on this optimizer's GPU and stream. */
    DeviceOps ops();

    /** e.g. "cuda:0 NVIDIA H200". */
    String deviceName();

    /** Device address of {@code p}'s values (dense, c order, its dtype). */
    long value(Param p);

    /** Device address of {@code p}'s gradient. */
    long grad(Param p);

    /** See the class comment; switching on uploads the host values, switching off downloads them. */
    void resident(boolean on);

    boolean resident();

    /** Resident: downloads the values so {@code param.value()} is current (waits for queued work). */
    void toHost();

    /** Resident: uploads the host values (after a restore or a resume changed them on the host). */
    void toDevice();

    /**
     * Runs {@code body} (e.g. a whole {@code opt.step()}) {@code warmup} times, then {@code reps} times each between
     * two events on the optimizer's stream: the GPU-clock milliseconds of each timed repetition (benchmarks).
     */
    double[] time(Runnable body, int warmup, int reps);

    /**
     * The device side of {@code optimizer} (an {@code io.ndopt.optim.Optimizer} whose steps run on a GPU);
     * throws on the CPU. The optimizer class registers the accessor when it is loaded, as the JDK's
     * internal "shared secrets" do, so the public class needs no public method for it.
     */
    static DeviceParams of(Object optimizer) {
        Function<Object, DeviceParams> a = Access.accessor;
        if (a == null) throw new IllegalStateException("no optimizer class has registered its device access");
        return a.apply(optimizer);
    }

    /** Called once, by the optimizer class. */
    static void register(Function<Object, DeviceParams> accessor) {
        synchronized (Access.class) {
            if (Access.accessor != null) throw new IllegalStateException("device access is already registered");
            Access.accessor = accessor;
        }
    }

    /** Holder of the registered accessor. */
    final class Access {
        private static volatile Function<Object, DeviceParams> accessor;

        private Access() {}
    }
}
