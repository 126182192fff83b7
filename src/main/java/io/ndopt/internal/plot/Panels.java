package io.ndopt.internal.plot;

import io.ndopt.internal.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One PNG figure of several line charts ("panels") in a grid under a single legend: a run has one colour in
 * every panel, and a line's style says what it is (e.g. dashed training, solid validation), so the reader
 * matches curves by colour across panels instead of by a legend per panel. Written like every chart of
 * {@link Plots}: rendered in memory, then atomically; nothing where this JVM cannot draw.
 */
public final class Panels {
    /** Size of one panel; the figure is {@link #COLUMNS} panels wide. */
    public static final int PANEL_WIDTH = 640, PANEL_HEIGHT = 400, COLUMNS = 2;
    /** The runs' colours, in order (Tableau 10: distinct, and readable on white). */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};
    private static final int TITLE_HEIGHT = 44, LEGEND_ROW = 28, MARGIN = 16;

    static { System.setProperty("java.awt.headless", "true"); }

    private Panels() {}

    /** How a line is drawn; the figure's legend says what each style means. */
    public enum Style {
        SOLID(SeriesLines.SOLID), DASHED(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {7f, 5f}, 0f)), DOTTED(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND,
                10f, new float[] {1.5f, 4f}, 0f));

        final BasicStroke stroke;

        Style(BasicStroke s) { this.stroke = s.getLineWidth() < 2 ? new BasicStroke(2f) : s; }
    }

    /** One curve of run number {@code run} (its colour). */
    public record Line(int run, Style style, double[] x, double[] y) {}

    /** One chart of the grid; {@code fromZero}: the y axis starts at 0 (a fraction, a count). */
    public record Panel(String title, String yLabel, List<Line> lines, boolean fromZero) {
        public Panel(String title, String yLabel, List<Line> lines) { this(title, yLabel, lines, false); }
    }

    /**
     * Draws {@code panels} row by row under {@code title} and one legend: a colour swatch per name of
     * {@code runs}, then what each line style in {@code styles} means. Returns the PNG written, or null where
     * this JVM cannot draw.
     */
    public static Path draw(Path file, String title, String xLabel, List<String> runs, Map<Style, String> styles,
            List<Panel> panels) throws IOException {
        if (Plots.skip()) return null;
        int width = COLUMNS * PANEL_WIDTH;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Font legendFont = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
        List<List<String>> legendRows = legendRows(probe.createGraphics().getFontMetrics(legendFont), width, runs,
                styles);
        int header = TITLE_HEIGHT + legendRows.size() * LEGEND_ROW + 8;
        int rows = (panels.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage img = new BufferedImage(width, header + rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 19));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, Math.max(MARGIN, (width - fm.stringWidth(title)) / 2), 30);
            legend(g, legendFont, legendRows, runs, styles, TITLE_HEIGHT);
            for (int i = 0; i < panels.size(); i++) {
                Graphics2D pg = (Graphics2D) g.create((i % COLUMNS) * PANEL_WIDTH, header + (i / COLUMNS) * PANEL_HEIGHT,
                        PANEL_WIDTH, PANEL_HEIGHT);
                try {
                    chart(panels.get(i), xLabel).paint(pg, PANEL_WIDTH, PANEL_HEIGHT);
                } finally {
                    pg.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        AtomicFiles.write(file, png.toByteArray());
        return file;
    }

    private static XYChart chart(Panel p, String xLabel) {
        XYChart c = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(p.title()).xAxisTitle(xLabel)
                .yAxisTitle(p.yLabel()).build();
        var st = c.getStyler();
        st.setLegendVisible(false).setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setPlotGridLinesColor(new Color(0xdddddd)).setChartTitleBoxVisible(false).setPlotBorderVisible(false);
        int drawn = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < p.lines().size(); k++) {
            Line l = p.lines().get(k);
            List<double[]> pts = Plots.finitePoints(new Plots.Series("", l.x(), l.y()), Plots.Axes.of("", "", ""));
            if (pts.get(0).length == 0) continue;
            drawn++;
            for (double y : pts.get(1)) max = Math.max(max, y);
            var s = c.addSeries(k + " " + l.run() + " " + l.style(), pts.get(0), pts.get(1));
            Color col = PALETTE[l.run() % PALETTE.length];
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(col);
            s.setLineStyle(l.style().stroke);
        }
        double xMax = p.lines().stream().flatMapToDouble(l -> java.util.Arrays.stream(l.x()))
                .filter(Double::isFinite).max().orElse(1);
        // XChart puts a tick at every integer epoch: label every step-th, and give the others distinct invisible
        // labels (zero-width spaces; XChart spreads the ticks out where labels repeat)
        double step = labelStep(xMax);
        c.setCustomXAxisTickLabelsFormatter(x -> Math.abs(x / step - Math.rint(x / step)) < 1e-9
                ? String.valueOf((long) Math.rint(x)) : "\u200b".repeat(1 + (int) Math.abs(Math.rint(x * 8))));
        if (p.fromZero()) {
            st.setYAxisMin(0.0);
            if (!(max > 0)) st.setYAxisMax(1.0);           // all zero: a flat line at the bottom, not mid-air
        }
        if (drawn == 0) {
            c.setTitle(p.title() + " (no finite values)");
            c.addSeries(" ", new double[] {1}, new double[] {0}).setMarker(SeriesMarkers.NONE);
        }
        return c;
    }

    /** Label every 1, 2, 5, 10, 20, 50, ... epochs: at most about 10 labels up to {@code max}. */
    static double labelStep(double max) {
        double step = 1;
        for (int k = 0; max / step > 10; k++) step = (k % 3 == 1 ? 2.5 : 2) * step;
        return step;
    }

    /** The legend's entries (run names, then style meanings) split into rows that fit {@code width}. */
    private static List<List<String>> legendRows(FontMetrics fm, int width, List<String> runs,
            Map<Style, String> styles) {
        List<List<String>> rows = new java.util.ArrayList<>();
        List<String> row = new java.util.ArrayList<>();
        int x = MARGIN;
        List<String> entries = new java.util.ArrayList<>(runs);
        entries.addAll(styles.values());
        for (String e : entries) {
            int w = entryWidth(fm, e);
            if (!row.isEmpty() && x + w > width - MARGIN) {
                rows.add(row);
                row = new java.util.ArrayList<>();
                x = MARGIN;
            }
            row.add(e);
            x += w;
        }
        if (!row.isEmpty()) rows.add(row);
        return rows;
    }

    private static int entryWidth(FontMetrics fm, String e) { return 44 + fm.stringWidth(e) + 26; }

    private static void legend(Graphics2D g, Font font, List<List<String>> rows, List<String> runs,
            Map<Style, String> styles, int top) {
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        int y = top;
        int index = 0;
        List<Style> styleOrder = List.copyOf(styles.keySet());
        for (List<String> row : rows) {
            int total = row.stream().mapToInt(e -> entryWidth(fm, e)).sum();
            int x = Math.max(MARGIN, (COLUMNS * PANEL_WIDTH - total) / 2);
            for (String e : row) {
                int mid = y + LEGEND_ROW / 2;
                boolean isRun = index < runs.size();
                g.setColor(isRun ? PALETTE[index % PALETTE.length] : Color.DARK_GRAY);
                g.setStroke(isRun ? new BasicStroke(6f) : styleOrder.get(index - runs.size()).stroke);
                g.drawLine(x, mid, x + 36, mid);
                g.setColor(Color.BLACK);
                g.drawString(e, x + 44, mid + fm.getAscent() / 2 - 2);
                x += entryWidth(fm, e);
                index++;
            }
            y += LEGEND_ROW;
        }
    }
}
