package io.ndopt.internal.device;

import io.ndopt.internal.kernel.KernelScalars;

import java.util.List;

/**
 * An optimizer's flat stores mirrored on one GPU: values, gradients and state live in device
 * buffers at the host plan's offsets, and the fused kernels update them there. Every host transfer
 * is an explicit call (and a synchronization); launches are asynchronous on the updater's stream.
 *
 * <p>Lifecycle: opened by {@link GpuEngine#open} (which uploads values and state once); each step
 * the optimizer calls {@link #pushGrads} and {@link #sumSquares}, then (if the step is taken)
 * {@link #pushValues}, {@link #launch} per segment and {@link #pullValues}; {@link #pullState} and
 * {@link #pushState} serve checkpoints; {@link #close} releases what the updater holds on the device.
 */
public interface DeviceUpdater extends AutoCloseable {
    /** The device, e.g. "cuda:0 NVIDIA H100 80GB HBM3". */
    String deviceName();

    /** Copies every store's host values to the device. */
    void pushValues();

    /** Copies every store's host state buffers to the device (after a state import). */
    void pushState();

    /** Copies every store's host gradients to the device. */
    void pushGrads();

    /** Σ g² over every store's device gradients (a deterministic device reduction; waits for it). NaN/Inf if any is. */
    double sumSquares();

    /** Queues the fused kernel over one segment. */
    void launch(DeviceSegment segment, KernelScalars scalars);

    /** Copies every store's device values into its host buffer (waits for queued work). */
    void pullValues();

    /** Copies every store's device state into its host buffers (waits for queued work). */
    void pullState();

    /** Waits until queued work is done. */
    void synchronize();

    /**
     * Runs {@code body} (which queues device work) {@code warmup} times, then {@code reps} times
     * each between two device events; the GPU time of each timed repetition in milliseconds.
     */
    double[] time(Runnable body, int warmup, int reps);

    /** The GPU time in milliseconds of each of {@code reps} device-to-device copies of {@code bytes} bytes. */
    double[] timeCopy(long bytes, int warmup, int reps);

    /**
     * Releases everything this updater holds (buffers, its network ops with their graphs, cuBLAS handle and
     * allocations, its stream; with the device's last updater the kernel module and the primary context), each even
     * when an earlier release fails: the first failure is thrown, the later ones suppressed in it. The updater cannot
     * be used afterwards; a second call does nothing.
     */
    @Override void close();

    /** The segments in launch order with their store, as the updater was opened with. */
    List<DeviceSegment> segments();

    /** Copies every store's device gradients into its host buffer (waits for queued work). */
    void pullGrads();

    /** The device address of store {@code store}'s values (element 0 of its host buffer). */
    long valuesAddress(int store);

    /** The device address of store {@code store}'s gradients. */
    long gradsAddress(int store);

    /**
     * Uploads {@code data} (FLOAT, DOUBLE or LONG; read in c order) into device memory this updater owns (freed at
     * {@link #close}) and waits for the copy: constants of the structured proxes, uploaded once.
     */
    long constant(org.nd4j.linalg.api.ndarray.INDArray data, String what);

    /**
     * Queues {@code w ← sign(w)·max(|w| − t·f, 0)} over elements {@code [from, from + length)} of store {@code store}'s
     * values, {@code f} the constant at {@code factors} (the store's dtype, one per element); nothing if {@code t ≤ 0}.
     */
    void proxL1Factors(int store, long from, long length, long factors, double threshold);

    /**
     * Queues the group soft threshold {@code w_g ← max(0, 1 − t·c_g/‖w_g‖)·w_g} over {@code groups} groups of
     * {@code size} elements of store {@code store}'s values, element {@code i} of group {@code g} at
     * {@code base + g·groupStride + i·elemStride}; {@code c} is the constant (doubles) at {@code coefs}.
     */
    void groupShrink(int store, long base, int groups, long groupStride, long size, long elemStride, long coefs,
                     double threshold);

    /**
     * As {@link #groupShrink} with groups given by their members: group {@code g} is the store elements at
     * {@code members[starts[g] .. starts[g+1])} (LONG constants).
     */
    void groupShrinkIndexed(int store, long members, long starts, int groups, long coefs, double threshold);

    /** The network operations on this updater's device and stream (one object per updater). */
    DeviceOps ops();

    /** Adafactor's and Muon's steps and their state buffers on this updater's device and stream (one object per updater). */
    DeviceFamily family();
}
