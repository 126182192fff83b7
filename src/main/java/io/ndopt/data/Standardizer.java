package io.ndopt.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Column standardization fitted on training data only: {@code (x − mean) / std} with the
 * population std (ddof 0); a constant column keeps std 1 so it maps to 0, never NaN.
 */
public record Standardizer(INDArray mean, INDArray std) {
    public static Standardizer fit(INDArray x) {
        INDArray mean = x.mean(true, 0);
        INDArray std = x.std(false, true, 0);
        INDArray safe = std.dup();
        for (long j = 0; j < safe.length(); j++) if (!(safe.getDouble(j) > 0)) safe.putScalar(j, 1.0);
        return new Standardizer(mean, safe);
    }

    public INDArray apply(INDArray x) { return x.subRowVector(mean).diviRowVector(std); }

    public Dataset apply(Dataset d) { return new Dataset(apply(d.x()), d.y(), d.classes()); }

    /** {@link #apply(INDArray)} overwriting {@code x} (the same values, bit for bit, without a copy of x). */
    public INDArray applyInPlace(INDArray x) { return x.subiRowVector(mean).diviRowVector(std); }

    /** {@link #apply(Dataset)} overwriting {@code d}'s features: for data nothing else reads unstandardized. */
    public Dataset applyInPlace(Dataset d) {
        applyInPlace(d.x());
        return d;
    }
}
