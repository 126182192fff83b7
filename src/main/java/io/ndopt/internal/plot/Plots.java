package io.ndopt.internal.plot;

import java.awt.Color;
import java.io.IOException;
import io.ndopt.internal.io.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts drawn with XChart: line charts (curves, paths) and histograms. A chart is rendered to
 * bytes in memory and then written atomically ({@link AtomicFiles}), so a full disk or a crash never
 * leaves a truncated PNG. Non-finite points (a diverged loss) are left out of a curve; a curve with no
 * finite point is left out of the chart, and a chart without any curve says so in its title.
 */
public final class Plots {
    public static final int WIDTH = 900, HEIGHT = 560;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static String unavailable;
    private static boolean probed, warned;

    private Plots() {}

    /**
     * Why this JVM cannot draw charts, or null if it can. Drawing text needs a font, which the JDK
     * finds through fontconfig; a bare server or container often has neither (then the JDK fails with
     * "Fontconfig head is null" or a missing libfreetype/libfontconfig). Checked once, by drawing a
     * small chart.
     */
    public static synchronized String unavailableReason() {
        if (!probed) {
            unavailable = probe(() -> BitmapEncoder.getBitmapBytes(new XYChartBuilder().width(40).height(30)
                    .title("probe").build(), BitmapEncoder.BitmapFormat.PNG));
            probed = true;
        }
        return unavailable;
    }

    /** What a failing {@code draw} says about drawing here, or null if it drew. */
    static String probe(DrawAction draw) {
        try {
            draw.run();
            return null;
        } catch (Exception | LinkageError | InternalError e) {
            return "this JVM cannot draw text (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); install fontconfig and a font (e.g. Debian/Ubuntu: fontconfig fonts-dejavu-core)";
        }
    }

    /** A drawing that may fail the way a font-less JVM fails. */
    interface DrawAction { void run() throws Exception; }

    /** Tests: pretend this JVM cannot (reason) or can (null) draw. */
    static synchronized void assumeUnavailable(String reason) {
        unavailable = reason;
        probed = true;
        warned = false;
    }

    /** One named curve; {@code points} draws markers only (a scatter). */
    public record Series(String name, double[] x, double[] y, boolean points) {
        public Series(String name, double[] x, double[] y) { this(name, x, y, false); }
        public static Series points(String name, double[] x, double[] y) { return new Series(name, x, y, true); }
    }

    /** Axis options for {@link #lines}. */
    public record Axes(String title, String xLabel, String yLabel, boolean logX, boolean logY, double markX,
                       String markLabel) {
        public static Axes of(String title, String x, String y) {
            return new Axes(title, x, y, false, false, Double.NaN, null);
        }
        public Axes withLogX() { return new Axes(title, xLabel, yLabel, true, logY, markX, markLabel); }
        public Axes withLogY() { return new Axes(title, xLabel, yLabel, logX, true, markX, markLabel); }
        /** A dashed vertical line at {@code x} across the curves, named {@code label} in the legend. */
        public Axes withMark(double x, String label) { return new Axes(title, xLabel, yLabel, logX, logY, x, label); }
    }

    /** A line chart of {@code series}; returns the PNG written, or null where this JVM cannot draw ({@link #save}). */
    public static Path lines(Path file, Axes axes, List<Series> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(axes.title())
                .xAxisTitle(axes.xLabel()).yAxisTitle(axes.yLabel()).build();
        chart.getStyler().setXAxisLogarithmic(axes.logX()).setYAxisLogarithmic(axes.logY());
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        int drawn = 0;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            List<double[]> pts = finitePoints(s, axes);
            if (pts.get(0).length == 0) continue;
            drawn++;
            for (double y : pts.get(1)) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
            var xy = chart.addSeries(s.name(), pts.get(0), pts.get(1));
            if (s.points()) xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            else xy.setMarker(s.x().length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        if (drawn > 0 && Double.isFinite(axes.markX())) mark(chart, axes, lo, hi);
        if (drawn == 0) {
            chart.setTitle(axes.title() + " (no finite values to draw)");
            chart.addSeries(" ", new double[] {1}, new double[] {1}).setMarker(SeriesMarkers.NONE);
        }
        return save(chart, file);
    }

    /** The vertical line of {@link Axes#withMark}, from the lowest to the highest point drawn. */
    static void mark(XYChart chart, Axes axes, double lo, double hi) { mark(chart, axes, lo, hi, Color.BLACK); }

    static void mark(XYChart chart, Axes axes, double lo, double hi, Color color) {
        if (hi == lo) { lo -= 0.5; hi += 0.5; }
        var m = chart.addSeries(axes.markLabel(), new double[] {axes.markX(), axes.markX()}, new double[] {lo, hi});
        m.setMarker(SeriesMarkers.NONE);
        m.setLineColor(color);
        m.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_ROUND,
                10f, new float[] {6f, 4f}, 0f));
    }

    /** Histogram of {@code values} in {@code bins} equal bins; zeros get their own bar so an L1 spike shows. */
    public static Path histogram(Path file, String title, String xLabel, List<String> names,
            List<double[]> values, int bins)
            throws IOException {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] v : values) {
            for (double d : v) if (Double.isFinite(d)) { lo = Math.min(lo, d); hi = Math.max(hi, d); }
        }
        if (!(hi > lo)) { lo -= 1; hi += 1; }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle("count").build();
        chart.getStyler().setOverlapped(true).setXAxisLabelRotation(60).setChartBackgroundColor(Color.WHITE);
        double width = (hi - lo) / bins;
        List<String> labels = new ArrayList<>();
        labels.add("exactly 0");
        for (int b = 0; b < bins; b++) labels.add(String.format("%.3g", lo + (b + 0.5) * width));
        for (int s = 0; s < values.size(); s++) {
            double[] counts = new double[bins + 1];
            for (double d : values.get(s)) {
                if (!Double.isFinite(d)) continue;
                if (d == 0.0) counts[0]++;
                else counts[1 + Math.min(bins - 1, (int) ((d - lo) / width))]++;
            }
            List<Double> c = Arrays.stream(counts).boxed().toList();
            chart.addSeries(names.get(s), labels, c);
        }
        return save(chart, file);
    }

    static List<double[]> finitePoints(Series s, Axes axes) {
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int i = 0; i < Math.min(s.x().length, s.y().length); i++) {
            double x = s.x()[i], y = axes.logY() ? Math.max(s.y()[i], 1e-12) : s.y()[i];
            if (Double.isFinite(x) && Double.isFinite(y) && !(axes.logX() && x <= 0)) { xs.add(x); ys.add(y); }
        }
        return List.of(xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** True where this JVM cannot draw; the first call that finds so says why on standard error. */
    static boolean skip() {
        String why = unavailableReason();
        if (why == null) return false;
        synchronized (Plots.class) {
            if (!warned) System.err.println("ndopt: charts are not drawn: " + why);
            warned = true;
        }
        return true;
    }

    /**
     * Renders to bytes, then writes {@code file} (a .png name) atomically. Where this JVM cannot draw
     * ({@link #unavailableReason()}) nothing is written and null is returned — the run's results do not
     * depend on its charts — and the first such call prints why to standard error.
     */
    public static Path save(Chart<?, ?> chart, Path file) throws IOException {
        if (skip()) return null;
        Path png = file.toString().endsWith(".png") ? file : Path.of(file + ".png");
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        return png;
    }
}
