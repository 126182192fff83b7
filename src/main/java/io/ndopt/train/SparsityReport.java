package io.ndopt.train;

import io.ndopt.nn.Dense;
import io.ndopt.nn.Layer;
import io.ndopt.nn.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact zeros ({@code == 0.0}, not ND4J's tolerant {@code Conditions.equals}) per layer and dead neurons:
 * units whose whole incoming weight column is zero (they output act(b) whatever the input, so they can
 * be pruned; {@link io.ndopt.prune.Pruner} also finds units nothing reads).
 */
public record SparsityReport(List<LayerSparsity> layers) {
    public record LayerSparsity(String layer, long weights, long zeroWeights, int units, int deadUnits) {
        public double zeroFraction() { return weights == 0 ? 0 : (double) zeroWeights / weights; }
    }

    public static SparsityReport of(Sequential model) {
        List<LayerSparsity> out = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (!(l instanceof Dense d)) continue;
            // exact comparisons: ND4J's Conditions.equals(0) has a tolerance
            double[][] w = d.weight().value().toDoubleMatrix();
            long zeros = 0;
            boolean[] live = new boolean[(int) d.outputs()];
            for (double[] row : w) {
                for (int j = 0; j < row.length; j++) {
                    if (row[j] == 0.0) zeros++;
                    else live[j] = true;
                }
            }
            int dead = 0;
            for (boolean alive : live) if (!alive) dead++;
            out.add(new LayerSparsity(d.name(), d.weight().length(), zeros, live.length, dead));
        }
        return new SparsityReport(List.copyOf(out));
    }

    public long zeroWeights() { return layers.stream().mapToLong(LayerSparsity::zeroWeights).sum(); }
    public long weights() { return layers.stream().mapToLong(LayerSparsity::weights).sum(); }
    public double zeroFraction() { return weights() == 0 ? 0 : (double) zeroWeights() / weights(); }
}
