package io.ndopt.plot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts drawn with XChart: line charts (curves, paths) and histograms. */
public final class Plots {
    public static final int WIDTH = 900, HEIGHT = 560;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** One named curve; {@code points} draws markers only (a scatter). */
    public record Series(String name, double[] x, double[] y, boolean points) {
        public Series(String name, double[] x, double[] y) { this(name, x, y, false); }
        public static Series points(String name, double[] x, double[] y) { return new Series(name, x, y, true); }
    }

    /** Axis options for {@link #lines}. */
    public record Axes(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        public static Axes of(String title, String x, String y) { return new Axes(title, x, y, false, false); }
        public Axes withLogX() { return new Axes(title, xLabel, yLabel, true, logY); }
        public Axes withLogY() { return new Axes(title, xLabel, yLabel, logX, true); }
    }

    public static Path lines(Path file, Axes axes, List<Series> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(axes.title())
                .xAxisTitle(axes.xLabel()).yAxisTitle(axes.yLabel()).build();
        chart.getStyler().setXAxisLogarithmic(axes.logX()).setYAxisLogarithmic(axes.logY());
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Series s : series) {
            double[] y = s.y();
            if (axes.logY()) y = java.util.Arrays.stream(y).map(v -> Math.max(v, 1e-12)).toArray();
            var xy = chart.addSeries(s.name(), s.x(), y);
            if (s.points()) xy.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
            else xy.setMarker(s.x().length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return save(chart, file);
    }

    /** Histogram of {@code values} in {@code bins} equal bins; zeros get their own bar so an L1 spike shows. */
    public static Path histogram(Path file, String title, String xLabel, List<String> names, List<double[]> values, int bins)
            throws IOException {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] v : values) for (double d : v) { lo = Math.min(lo, d); hi = Math.max(hi, d); }
        if (!(hi > lo)) { lo -= 1; hi += 1; }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle("count").build();
        chart.getStyler().setOverlapped(true).setXAxisLabelRotation(60).setChartBackgroundColor(java.awt.Color.WHITE);
        double width = (hi - lo) / bins;
        java.util.List<String> labels = new java.util.ArrayList<>();
        labels.add("exactly 0");
        for (int b = 0; b < bins; b++) labels.add(String.format("%.3g", lo + (b + 0.5) * width));
        for (int s = 0; s < values.size(); s++) {
            double[] counts = new double[bins + 1];
            for (double d : values.get(s)) {
                if (d == 0.0) counts[0]++;
                else counts[1 + Math.min(bins - 1, (int) ((d - lo) / width))]++;
            }
            java.util.List<Double> c = java.util.Arrays.stream(counts).boxed().toList();
            chart.addSeries(names.get(s), labels, c);
        }
        return save(chart, file);
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        String base = file.toString().endsWith(".png") ? file.toString().substring(0, file.toString().length() - 4) : file.toString();
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        return Path.of(base + ".png");
    }
}
