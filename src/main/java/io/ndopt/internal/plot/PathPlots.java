package io.ndopt.internal.plot;

import io.ndopt.glm.CoefPath;
import io.ndopt.glm.CvResult;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The classic regularization-path pictures, λ on a log axis (large λ on the left): every
 * coefficient against λ (exact zeros sit on the axis), train/test R² against λ, and the
 * cross-validation curve with one-standard-error bars and the λ_min / λ_1se markers.
 */
public final class PathPlots {
    static { System.setProperty("java.awt.headless", "true"); }

    private PathPlots() {}

    /** {@code cv} may be null; with it, λ_min and λ_1se are marked. */
    public static void coefficients(Path file, CoefPath path, CvResult cv) throws IOException {
        int p = path.names().size();
        XYChart c = chart(path.spec().model().cliName() + " coefficients (original units)"
                + (p > 20 ? ", legend hidden: " + p + " features" : ""),
                "coefficient");
        c.getStyler().setLegendVisible(p <= 20);
        for (int j = 0; j < p; j++) {
            double[] y = new double[path.size()];
            for (int k = 0; k < y.length; k++) y[k] = path.coef()[k][j];
            c.addSeries(path.names().get(j), path.lambdas(), y).setMarker(SeriesMarkers.NONE);
        }
        double[] all = java.util.Arrays.stream(path.coef()).flatMapToDouble(java.util.Arrays::stream).toArray();
        mark(c, cv, all);
        save(c, file);
    }

    /** {@code test} may be null (no test split); {@code cv} too (with it, λ_min and λ_1se are marked). */
    public static void r2(Path file, double[] lambdas, double[] train, double[] test, CvResult cv) throws IOException {
        XYChart c = chart("R² along the path", "R²");
        c.addSeries("train", lambdas, train).setMarker(SeriesMarkers.NONE);
        if (test != null) c.addSeries("test", lambdas, test).setMarker(SeriesMarkers.NONE);
        mark(c, cv, test == null ? train : java.util.stream.DoubleStream.concat(java.util.Arrays.stream(train),
                java.util.Arrays.stream(test)).toArray());
        save(c, file);
    }

    public static void cv(Path file, CvResult cv) throws IOException {
        XYChart c = chart(cv.foldMse().length + "-fold CV: lambda_min " + fmt(cv.lambdaMin()) + ", lambda_1se "
                + fmt(cv.lambda1se()), "mean squared error");
        XYSeries s = c.addSeries("CV mean ± 1 SE", cv.lambdas(), cv.mean(), cv.se());
        s.setMarker(SeriesMarkers.CIRCLE);
        c.addSeries("lambda_min", new double[] {cv.lambdaMin()}, new double[] {cv.mean()[cv.indexMin()]})
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.addSeries("lambda_1se", new double[] {cv.lambda1se()}, new double[] {cv.mean()[cv.index1se()]})
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        save(c, file);
    }

    /** The λ cross-validation chose (λ_min, and λ_1se, the sparser one within a standard error), as vertical lines. */
    private static void mark(XYChart c, CvResult cv, double[] ys) {
        if (cv == null) return;
        double lo = java.util.Arrays.stream(ys).filter(Double::isFinite).min().orElse(0);
        double hi = java.util.Arrays.stream(ys).filter(Double::isFinite).max().orElse(1);
        Plots.mark(c, Plots.Axes.of("", "", "").withMark(cv.lambdaMin(), "lambda_min " + fmt(cv.lambdaMin())), lo, hi);
        if (cv.lambda1se() != cv.lambdaMin()) {
            Plots.mark(c, Plots.Axes.of("", "", "").withMark(cv.lambda1se(), "lambda_1se " + fmt(cv.lambda1se())),
                    lo, hi, Color.GRAY);
        }
    }

    private static XYChart chart(String title, String yLabel) {
        XYChart c = new XYChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT).title(title)
                .xAxisTitle("lambda (sklearn alpha, log scale)").yAxisTitle(yLabel).build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setXAxisDecimalPattern("0.##E0");
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        return c;
    }

    private static void save(XYChart c, Path file) throws IOException {
        Plots.save(c, file);                  // skipped, with one line saying why, where this JVM cannot draw
    }

    private static String fmt(double v) { return String.format("%.4g", v); }
}
