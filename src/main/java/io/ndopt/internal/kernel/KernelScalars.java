package io.ndopt.internal.kernel;

import java.util.Arrays;
import java.util.List;

/**
 * The numbers one fused update takes besides its arrays, for the CPU vector kernels and the GPU kernels
 * alike: resolved on the host in double (then rounded once to the buffer's dtype by the kernel), so both
 * start every step from the same bits. {@code values} are in the family's argument order
 * ({@link Family#names}); {@code flags} says which terms are present, with the bits of {@code common.cuh}.
 * The optimizer turns its rule and step into these ({@code io.ndopt.optim.KernelArgs}); the factories
 * below hold the per-family arithmetic (bias corrections, signs) so it is written once.
 *
 * @param family which kernel family runs (the GPU entry point is {@link Family#entryPoint})
 */
public record KernelScalars(Family family, double[] values, int flags) {
    public static final int DECAY = 1, L2 = 2, PROX = 4, AMSGRAD = 8, MOMENTUM = 16, FIRST = 32, NESTEROV = 64;
    /** RMSprop's centered variant ({@code grad_avg}); RAdam's rectified step ({@code ρ_t > 5}). */
    public static final int CENTERED = 128, RECTIFY = 256;

    /** The kernel families: one update rule each, its scalars in kernel argument order. */
    public enum Family {
        SGD("sgd", List.of("gs", "decay", "l2", "thr", "negLr", "mu", "omd")),
        ADAM("adam", List.of("gs", "decay", "l2", "thr", "b1", "b2", "omb1", "omb2", "eps", "bc2Sqrt", "negStep")),
        // the element-wise rules of torch.optim and Lion: kernel state arguments a, b, c (see kernelSlots)
        RMSPROP("rmsprop", List.of("gs", "decay", "l2", "thr", "alpha", "oma", "eps", "negLr", "mu")),
        ADAGRAD("adagrad", List.of("gs", "decay", "l2", "thr", "init", "eps", "negClr")),
        ADADELTA("adadelta", List.of("gs", "decay", "l2", "thr", "rho", "omr", "eps", "negLr")),
        ADAMAX("adamax", List.of("gs", "decay", "l2", "thr", "b1", "omb1", "b2", "eps", "negStep")),
        NADAM("nadam", List.of("gs", "decay", "l2", "thr", "b1", "omb1", "b2", "omb2", "bc2", "eps", "cg", "cm")),
        RADAM("radam", List.of("gs", "decay", "l2", "thr", "b1", "omb1", "b2", "omb2", "eps", "bc1", "lr", "bc2Sqrt",
                "rect")),
        RPROP("rprop", List.of("gs", "decay", "l2", "thr", "etaMinus", "etaPlus", "stepMin", "stepMax", "lr")),
        LION("lion", List.of("gs", "decay", "l2", "thr", "b1", "omb1", "b2", "omb2", "negLr")),
        /** Schedule-free AdamW; {@code hi} is 1 when the lerp takes torch's {@code weight >= 0.5} branch. */
        SCHEDULE_FREE("sf_adamw", List.of("gs", "l2", "b2", "omb2", "bc2", "eps", "wd", "c", "omc", "hi", "yStep",
                "lr"));

        private final String symbol;
        private final List<String> names;

        Family(String symbol, List<String> names) {
            this.symbol = symbol;
            this.names = names;
        }

        /** The scalar names in argument order. */
        public List<String> names() { return names; }

        /** The CUDA entry point of this family for the dtype, e.g. {@code adam_f32}. */
        public String entryPoint(boolean f32) { return symbol + (f32 ? "_f32" : "_f64"); }

        /** How many state arrays a launch with {@code flags} reads and writes. */
        public int stateSlots(int flags) {
            return switch (this) {
                case ADAM -> (flags & AMSGRAD) != 0 ? 3 : 2;
                case SGD -> (flags & MOMENTUM) != 0 ? 1 : 0;
                case RMSPROP -> 1 + ((flags & MOMENTUM) != 0 ? 1 : 0) + ((flags & CENTERED) != 0 ? 1 : 0);
                case ADAGRAD, LION -> 1;
                case ADADELTA, ADAMAX, NADAM, RADAM, RPROP -> 2;
                case SCHEDULE_FREE -> 2;                     // z, exp_avg_sq (its y slot is the host's)
            };
        }

        /**
         * For each state argument of the kernel (one for SGD, two, {@code z v}, for schedule-free AdamW, three,
         * {@code a b c}, for the others), the index of the state array it takes in the rule's {@code stateNames}
         * order, or −1 when absent (a null pointer). Only RMSprop's differ from the order:
         * {@code a = square_avg, b = momentum_buffer, c = grad_avg}.
         */
        public int[] kernelSlots(int flags) {
            int n = stateSlots(flags);
            if (this == SGD) return new int[] {n > 0 ? 0 : -1};
            if (this == SCHEDULE_FREE) return new int[] {0, 1};
            if (this == RMSPROP) {
                boolean mom = (flags & MOMENTUM) != 0;
                return new int[] {0, mom ? 1 : -1, (flags & CENTERED) != 0 ? (mom ? 2 : 1) : -1};
            }
            return new int[] {0, n > 1 ? 1 : -1, n > 2 ? 2 : -1};
        }

        @Override public String toString() { return symbol; }
    }

    public KernelScalars {
        if (family == null) throw new IllegalArgumentException("family is null");
        if (values.length != family.names.size()) {
            throw new IllegalArgumentException(family + " takes " + family.names.size() + " scalars " + family.names
                    + ", got " + values.length);
        }
        values = values.clone();
    }

    private static int common(double decayFactor, double l2, double threshold) {
        return (decayFactor != 1 ? DECAY : 0) | (l2 != 0 ? L2 : 0) | (threshold > 0 ? PROX : 0);
    }

    /**
     * SGD's launch scalars at step {@code t} (from 1): gradient scale, decay factor, coupled L2, L1
     * threshold, {@code −lr}, momentum and {@code 1 − dampening}.
     */
    public static KernelScalars sgd(long t, double lr, double gradScale, double decayFactor, double l2,
                                    double threshold, double momentum, double dampening, boolean nesterov) {
        int flags = common(decayFactor, l2, threshold) | (momentum != 0 ? MOMENTUM : 0) | (t == 1 ? FIRST : 0)
                | (nesterov ? NESTEROV : 0);
        return new KernelScalars(Family.SGD,
                new double[] {gradScale, decayFactor, l2, threshold, -lr, momentum, 1 - dampening}, flags);
    }

    /**
     * Adam's launch scalars at step {@code t} (from 1), with PyTorch's bias corrections folded in:
     * {@code bc2Sqrt = sqrt(1 − b2^t)} and {@code negStep = −lr / (1 − b1^t)}.
     */
    public static KernelScalars adam(long t, double lr, double gradScale, double decayFactor, double l2,
                                     double threshold, double beta1, double beta2, double eps, boolean amsgrad) {
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        double negStep = -(lr / (1 - Math.pow(beta1, t)));
        return new KernelScalars(Family.ADAM, new double[] {gradScale, decayFactor, l2, threshold, beta1, beta2,
                1 - beta1, 1 - beta2, eps, bc2Sqrt, negStep}, common(decayFactor, l2, threshold) | (amsgrad ? AMSGRAD : 0));
    }

    /**
     * The launch scalars of the element-wise rules beyond SGD and Adam: the common four, then the rule's own in
     * the family's order (worked out by {@code io.ndopt.optim.RuleScalars}), and the rule's flags.
     */
    public static KernelScalars rule(Family family, double gradScale, double decayFactor, double l2, double threshold,
                                     int ruleFlags, double... own) {
        if (family == Family.SGD || family == Family.ADAM || family == Family.SCHEDULE_FREE) {
            throw new IllegalArgumentException("use sgd(...)/adam(...)/scheduleFree(...)");
        }
        double[] v = new double[4 + own.length];
        v[0] = gradScale;
        v[1] = decayFactor;
        v[2] = l2;
        v[3] = threshold;
        System.arraycopy(own, 0, v, 4, own.length);
        return new KernelScalars(family, v, common(decayFactor, l2, threshold) | ruleFlags);
    }

    /**
     * Schedule-free AdamW's launch scalars at step {@code t} (from 1): {@code lr} the warmed-up {@code lr_k},
     * {@code c} the averaging weight, {@code wd} the decay applied at y; {@code bc2 = 1 − b2^t} and the y step
     * {@code lr·(b1·(1 − c) − 1)} folded in. Flags: L2, DECAY (wd ≠ 0), FIRST (z starts at y).
     */
    public static KernelScalars scheduleFree(long t, double lr, double gradScale, double l2, double beta1,
                                             double beta2, double eps, double c, double wd) {
        int flags = (l2 != 0 ? L2 : 0) | (wd != 0 ? DECAY : 0) | (t == 1 ? FIRST : 0);
        return new KernelScalars(Family.SCHEDULE_FREE, new double[] {gradScale, l2, beta2, 1 - beta2,
                1 - Math.pow(beta2, t), eps, wd, c, 1 - c, Math.abs(c) < 0.5 ? 0 : 1, lr * (beta1 * (1 - c) - 1), lr},
                flags);
    }

    public List<String> names() { return family.names; }

    @Override public double[] values() { return values.clone(); }

    /** Value {@code i} in argument order, without a copy (the CPU kernels read them once per step). */
    public double value(int i) { return values[i]; }

    public boolean has(int flag) { return (flags & flag) != 0; }

    /** The values rounded to float, for the float32 kernels. */
    public float[] floatValues() {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return f;
    }

    @Override public boolean equals(Object o) {
        return o instanceof KernelScalars k && k.family == family && Arrays.equals(k.values, values)
                && k.flags == flags;
    }

    @Override public int hashCode() { return family.hashCode() * 31 + Arrays.hashCode(values) * 7 + flags; }

    @Override public String toString() { return family.toString() + names() + "=" + Arrays.toString(values) + " flags=" + flags; }
}
