package io.ndopt.internal.kernel;

import io.ndopt.optim.Rule;
import io.ndopt.optim.StepScalars;
import java.util.Arrays;
import java.util.List;

/**
 * The numbers one launch of a fused GPU kernel takes after its pointers and length, resolved on the
 * host from a {@link Rule} and its {@link StepScalars} exactly as the CPU vector kernels resolve them
 * (in double, then rounded once to the buffer's dtype), so GPU and CPU start every step from the
 * same bits. {@code values} are in the kernel's argument order ({@link #names}); {@code flags} says
 * which terms are present, with the bits of {@code common.cuh}.
 *
 * @param kernel "sgd" or "adam" (the entry point is {@code kernel + "_f32"} or {@code "_f64"})
 */
public record KernelScalars(String kernel, double[] values, int flags) {
    public static final int DECAY = 1, L2 = 2, PROX = 4, AMSGRAD = 8, MOMENTUM = 16, FIRST = 32, NESTEROV = 64;
    public static final List<String> SGD_NAMES = List.of("gs", "decay", "l2", "thr", "negLr", "mu", "omd");
    public static final List<String> ADAM_NAMES =
            List.of("gs", "decay", "l2", "thr", "b1", "b2", "omb1", "omb2", "eps", "bc2Sqrt", "negStep");

    public KernelScalars {
        List<String> names = names(kernel);
        if (values.length != names.size()) {
            throw new IllegalArgumentException(kernel + " takes " + names.size() + " scalars " + names + ", got "
                    + values.length);
        }
        values = values.clone();
    }

    private static List<String> names(String kernel) {
        if ("sgd".equals(kernel)) return SGD_NAMES;
        if ("adam".equals(kernel)) return ADAM_NAMES;
        throw new IllegalArgumentException("unknown kernel '" + kernel + "' (sgd or adam)");
    }

    public List<String> names() { return names(kernel); }

    @Override public double[] values() { return values.clone(); }

    /** The values rounded to float, for the float32 kernels. */
    public float[] floatValues() {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return f;
    }

    /** Resolves the launch scalars of one step. */
    public static KernelScalars of(Rule rule, StepScalars s) {
        int common = (s.decayFactor() != 1 ? DECAY : 0) | (s.l2() != 0 ? L2 : 0) | (s.threshold() > 0 ? PROX : 0);
        if (rule instanceof Rule.Sgd r) {
            int flags = common | (r.momentum() != 0 ? MOMENTUM : 0) | (s.t() == 1 ? FIRST : 0)
                    | (r.nesterov() ? NESTEROV : 0);
            return new KernelScalars("sgd", new double[] {s.gradScale(), s.decayFactor(), s.l2(),
                    s.threshold(), -s.lr(),
                    r.momentum(), 1 - r.dampening()}, flags);
        }
        Rule.Adam r = (Rule.Adam) rule;
        double bc2Sqrt = Math.sqrt(1 - Math.pow(r.beta2(), s.t()));
        double negStep = -(s.lr() / (1 - Math.pow(r.beta1(), s.t())));
        return new KernelScalars("adam", new double[] {s.gradScale(), s.decayFactor(), s.l2(), s.threshold(),
                r.beta1(), r.beta2(),
                1 - r.beta1(), 1 - r.beta2(), r.eps(), bc2Sqrt, negStep}, common | (r.amsgrad() ? AMSGRAD : 0));
    }

    @Override public boolean equals(Object o) {
        return o instanceof KernelScalars k && k.kernel.equals(kernel) && Arrays.equals(k.values, values)
                && k.flags == flags;
    }

    @Override public int hashCode() { return kernel.hashCode() * 31 + Arrays.hashCode(values) * 7 + flags; }

    @Override public String toString() { return kernel + names() + "=" + Arrays.toString(values) + " flags=" + flags; }
}
