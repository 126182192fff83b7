package io.ndopt.train;

import io.ndopt.nn.Dense;
import io.ndopt.nn.Layer;
import io.ndopt.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Exact zeros per layer and dead neurons: units whose whole incoming weight column is zero (they
 * output act(b) whatever the input, so they can be pruned).
 */
public record SparsityReport(List<LayerSparsity> layers) {
    public record LayerSparsity(String layer, long weights, long zeroWeights, int units, int deadUnits) {
        public double zeroFraction() { return weights == 0 ? 0 : (double) zeroWeights / weights; }
    }

    public static SparsityReport of(Sequential model) {
        List<LayerSparsity> out = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (!(l instanceof Dense d)) continue;
            INDArray w = d.weight().value();
            long zeros = w.scan(Conditions.equals(0.0)).longValue();
            int dead = 0;
            for (int j = 0; j < w.columns(); j++) {
                if (w.getColumn(j).scan(Conditions.notEquals(0.0)).longValue() == 0) dead++;
            }
            out.add(new LayerSparsity(d.name(), w.length(), zeros, (int) w.columns(), dead));
        }
        return new SparsityReport(List.copyOf(out));
    }

    public long zeroWeights() { return layers.stream().mapToLong(LayerSparsity::zeroWeights).sum(); }
    public long weights() { return layers.stream().mapToLong(LayerSparsity::weights).sum(); }
    public double zeroFraction() { return weights() == 0 ? 0 : (double) zeroWeights() / weights(); }
}
