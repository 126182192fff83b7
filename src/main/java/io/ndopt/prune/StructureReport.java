package io.ndopt.prune;

import java.util.List;

/**
 * What structured sparsity removed from a dense network: the input features no weight reads and,
 * per hidden layer, the dead units (a zero incoming column — the unit is constant — or a zero
 * outgoing row — nothing reads it — possibly only after other dead units are removed). Exactly what
 * {@link Pruner#prune} drops.
 *
 * @param inputs        number of input features
 * @param removedInputs indices of the input features no weight reads
 * @param layers        one entry per hidden layer
 */
public record StructureReport(int inputs, List<Integer> removedInputs, List<LayerUnits> layers) {
    public StructureReport {
        removedInputs = List.copyOf(removedInputs);
        layers = List.copyOf(layers);
    }

    /**
     * @param layer     the layer's name
     * @param units     its number of units
     * @param deadUnits indices of the units that can be removed
     */
    public record LayerUnits(String layer, int units, List<Integer> deadUnits) {
        public LayerUnits { deadUnits = List.copyOf(deadUnits); }
        public int liveUnits() { return units - deadUnits.size(); }
    }

    public int liveInputs() { return inputs - removedInputs.size(); }

    /** One line per item, for logs: {@code inputs: 12 of 40 used; fc1: 5 of 64 units live; ...}. */
    @Override public String toString() {
        StringBuilder s = new StringBuilder("inputs: " + liveInputs() + " of " + inputs + " used");
        for (LayerUnits l : layers) {
            s.append("; ").append(l.layer).append(": ").append(l.liveUnits()).append(" of ").append(l.units)
                    .append(" units live");
        }
        return s.toString();
    }
}
