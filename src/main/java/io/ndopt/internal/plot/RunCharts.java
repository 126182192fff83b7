package io.ndopt.internal.plot;

import io.ndopt.internal.plot.Panels.Line;
import io.ndopt.internal.plot.Panels.Panel;
import io.ndopt.internal.plot.Panels.Style;
import io.ndopt.train.EpochRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The figure of train and compare: four panels against the epoch — the loss (training dashed, validation solid),
 * the task's metric (accuracy or R², the same styles), the weight norm ‖W‖₂ and the percentage of weights that
 * are exactly zero — with one colour per run in every panel.
 */
public final class RunCharts {
    private RunCharts() {}

    /** One run's name and history. */
    public record Run(String name, List<EpochRecord> history) {}

    /**
     * Draws the figure; {@code metric} names the task metric ("accuracy" or "R²"). A single run also shows its
     * training loss plus the penalty (dotted). Returns the PNG written, or null where this JVM cannot draw.
     */
    public static Path draw(Path file, String title, String metric, List<Run> runs) throws IOException {
        boolean val = runs.stream().anyMatch(r -> r.history().stream().anyMatch(e -> !Double.isNaN(e.valLoss())));
        boolean objective = runs.size() == 1;
        List<Line> loss = new ArrayList<>(), score = new ArrayList<>(), norm = new ArrayList<>(),
                zeros = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            List<EpochRecord> h = runs.get(i).history();
            double[] ep = column(h, EpochRecord::epoch);
            loss.add(new Line(i, Style.DASHED, ep, column(h, EpochRecord::trainLoss)));
            if (objective) loss.add(new Line(i, Style.DOTTED, ep, column(h, EpochRecord::trainObjective)));
            score.add(new Line(i, Style.DASHED, ep, column(h, EpochRecord::trainMetric)));
            if (val) {
                loss.add(new Line(i, Style.SOLID, ep, column(h, EpochRecord::valLoss)));
                score.add(new Line(i, Style.SOLID, ep, column(h, EpochRecord::valMetric)));
            }
            norm.add(new Line(i, Style.SOLID, ep, column(h, EpochRecord::weightNorm)));
            zeros.add(new Line(i, Style.SOLID, ep, column(h, e -> 100 * e.zeroFraction())));
        }
        Map<Style, String> styles = new LinkedHashMap<>();
        styles.put(Style.DASHED, "training");
        if (val) styles.put(Style.SOLID, "validation");
        if (objective) styles.put(Style.DOTTED, "training loss + penalty");
        // one run: no colour to tell apart, so no colour legend
        List<String> names = runs.size() == 1 ? List.of() : runs.stream().map(Run::name).toList();
        return Panels.draw(file, title, "epoch", names, styles, List.of(
                new Panel("Loss", "loss", loss),
                new Panel(metric.equals("R²") ? "R² (higher is better)" : "Accuracy", metric, score),
                new Panel("Weight norm ‖W‖₂ (biases excluded)", "‖W‖₂", norm, true),
                new Panel("Weights exactly zero", "% of weights", zeros, true)));
    }

    private static double[] column(List<EpochRecord> h, ToDoubleFunction<EpochRecord> f) {
        return h.stream().mapToDouble(f).toArray();
    }
}
