package io.ndopt.prune;

import io.ndopt.nn.Sequential;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A pruned network and the input features it reads.
 *
 * @param model      the smaller network (same layer names, activations and dtype)
 * @param keptInputs indices of the original input features, in order, that {@code model} takes
 * @param report     what was removed
 */
public record Pruned(Sequential model, int[] keptInputs, StructureReport report) {
    public Pruned { keptInputs = keptInputs.clone(); }

    @Override public int[] keptInputs() { return keptInputs.clone(); }

    /** The pruned model's output for inputs with all the original features (it reads only the kept columns). */
    public INDArray predict(INDArray x) {
        INDArray cols = x.getColumns(keptInputs);
        return model.forward(cols);
    }
}
