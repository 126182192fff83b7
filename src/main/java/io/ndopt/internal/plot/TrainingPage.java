package io.ndopt.internal.plot;

import io.ndopt.internal.io.AtomicFiles;
import io.ndopt.internal.io.Json;
import io.ndopt.nn.Sequential;
import io.ndopt.param.Param;
import io.ndopt.param.Role;
import io.ndopt.train.EpochRecord;
import io.ndopt.train.TrainListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A self-contained interactive HTML page of training runs (no network access: plain SVG and script, the data
 * inlined as JSON): play or step through the epochs — the loss and metric curves grow, and a sample of the
 * first layer's weights is drawn as bars that shrink under L2 and turn into a dot when exactly 0 under L1.
 * Several runs are overlaid in their colours ({@link Panels#PALETTE}); with a slider (a sweep's λ), one run at a
 * time. A frame is an epoch ({@link Unit#EPOCH}: compare, sweep) or a number of steps ({@link Unit#STEP}: the
 * demos' full-batch runs, a frame every few steps); the page labels and places frames by it.
 * {@code page.html#step=N} opens at frame N ({@code &select=K}: the slider's K-th run).
 */
public final class TrainingPage {
    /** Weights drawn as bars per run. */
    public static final int SAMPLE = 48;

    private TrainingPage() {}

    /** What a frame of the page is; its value is the record's {@code epoch()} or {@code steps()}. */
    public enum Unit {
        EPOCH, STEP;

        String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** A run: its history, and its weight sample at the start and after every epoch ({@link Sampler}). */
    public record Run(String name, List<EpochRecord> history, Sampler weights) {}

    /** The slider over the runs: its label and one value per run. */
    public record Slider(String label, List<String> values) {}

    /**
     * Records the first {@link #SAMPLE} (or {@code limit}) entries of the model's first weight matrix at creation
     * and every epoch (or at every {@link #sample()}).
     */
    public static final class Sampler implements TrainListener {
        private final Param weight;
        private final int limit;
        private final List<double[]> frames = new ArrayList<>();

        public Sampler(Sequential model) { this(model, SAMPLE); }

        /** {@code limit}: how many of the matrix's entries are drawn (a linear model's: all of them). */
        public Sampler(Sequential model, int limit) {
            if (limit < 1) throw new IllegalArgumentException("limit must be >= 1, got " + limit);
            this.weight = model.params().stream().filter(p -> p.role() == Role.WEIGHT).findFirst().orElse(null);
            this.limit = limit;
            sample();
        }

        /** Records a frame now (training driven by hand: a frame every few steps). */
        public void sample() {
            if (weight == null) return;
            double[] all = weight.value().ravel().toDoubleVector();
            frames.add(Arrays.copyOf(all, Math.min(limit, all.length)));
        }

        @Override public void onEpoch(EpochRecord r, int epochs) { sample(); }

        String layer() { return weight == null ? null : weight.name(); }

        List<double[]> frames() { return frames; }
    }

    /** Writes the page of epochs (atomically); {@code slider} null: all runs overlaid. */
    public static Path write(Path file, String title, String metric, List<Run> runs, Slider slider)
            throws IOException {
        return write(file, title, metric, runs, slider, Unit.EPOCH);
    }

    /** Writes the page (atomically), its frames counted in {@code unit}; {@code slider} null: all runs overlaid. */
    public static Path write(Path file, String title, String metric, List<Run> runs, Slider slider, Unit unit)
            throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", title);
        data.put("metric", metric);
        data.put("unit", unit.label());
        List<Map<String, Object>> rs = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            List<EpochRecord> h = r.history();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("color", String.format("#%06x", Panels.PALETTE[(slider == null ? i : 0) % Panels.PALETTE.length]
                    .getRGB() & 0xffffff));
            m.put("x", unit == Unit.STEP ? h.stream().mapToLong(EpochRecord::steps).toArray()
                    : h.stream().mapToInt(EpochRecord::epoch).toArray());
            m.put("train_loss", h.stream().mapToDouble(EpochRecord::trainLoss).toArray());
            if (h.stream().anyMatch(e -> !Double.isNaN(e.valLoss()))) {
                m.put("val_loss", h.stream().mapToDouble(EpochRecord::valLoss).toArray());
                m.put("val_metric", h.stream().mapToDouble(EpochRecord::valMetric).toArray());
            }
            m.put("train_metric", h.stream().mapToDouble(EpochRecord::trainMetric).toArray());
            m.put("weight_norm", h.stream().mapToDouble(EpochRecord::weightNorm).toArray());
            m.put("zero_percent", h.stream().mapToDouble(e -> 100 * e.zeroFraction()).toArray());
            if (r.weights() != null && r.weights().layer() != null) {
                m.put("layer", r.weights().layer());
                m.put("weights", r.weights().frames());
            }
            rs.add(m);
        }
        data.put("runs", rs);
        data.put("slider", slider == null ? null : Map.of("label", slider.label(), "values", slider.values()));
        String json = Json.MAPPER.writeValueAsString(data).replace("</", "<\\/");    // no "</script>" inside
        String page = template().replace("TITLE_PLACEHOLDER", escape(title)).replace("DATA_PLACEHOLDER", json);
        AtomicFiles.write(file, page.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static String template() {
        try (InputStream in = TrainingPage.class.getResourceAsStream("training-page.html")) {
            if (in == null) throw new IllegalStateException("training-page.html is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
