package io.ndopt.internal.cli;

import io.ndopt.glm.PathListener;
import io.ndopt.train.EpochRecord;
import io.ndopt.train.TrainListener;
import java.io.PrintStream;

/**
 * Progress of a command's training runs (one for train, several for compare and sweep): on a terminal a
 * one-line bar (run, epoch, batch, loss, ETA of the whole command) redrawn in place once the command has
 * lasted a couple of seconds; otherwise (CI, pipes, {@code NDOPT_PLAIN} set) no bar, and one plain log line
 * per epoch where the command wants them. The same for path's fits ({@link #onFit}, one per α of every path):
 * the bar on a terminal, else a plain line at each tenth of the fits.
 */
final class Progress implements TrainListener, PathListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private final boolean epochLines;
    private final long totalSteps;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long before;          // steps of the finished runs
    private long current;         // steps of the current run
    private String label = "";
    private int tenthsShown;      // plain fit lines printed so far

    /**
     * @param totalSteps the steps of every run of the command together (the bar's 100%)
     * @param epochLines whether each epoch prints a line (train, compare: yes; sweep's folds: no)
     */
    Progress(PrintStream out, long totalSteps, boolean epochLines) {
        this(out, totalSteps, epochLines, System.console() != null && System.getenv("NDOPT_PLAIN") == null);
    }

    Progress(PrintStream out, long totalSteps, boolean epochLines, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.epochLines = epochLines;
        this.totalSteps = totalSteps;
    }

    /** Starts the next run, named {@code label} in the bar and the epoch lines. */
    Progress run(String label) {
        before += current;
        current = 0;
        this.label = label;
        return this;
    }

    /** A resumed run: its step counter starts at {@code done}, which the bar does not count as progress. */
    Progress resumedAt(long done) {
        before -= done;
        return this;
    }

    @Override public void onStep(int epoch, int batch, int batches, long globalStep, double loss) {
        current = globalStep;
        if (!terminal) return;
        long now = System.nanoTime();
        double elapsed = (now - start) / 1e9;
        if (elapsed < 2 || now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        double frac = Math.min(1, (double) (before + globalStep) / Math.max(1, totalSteps));
        out.print("\r" + bar(label, epoch + 1, batch + 1, batches, frac, loss, elapsed) + "   ");
        out.flush();
    }

    @Override public void onEpoch(EpochRecord r, int epochs) {
        if (!epochLines) return;
        clear();
        String metric = Double.isNaN(r.valMetric()) ? ""
                : String.format(" val_loss %.4f val_metric %.4f", r.valLoss(), r.valMetric());
        out.printf("%s epoch %d/%d step %d lr %.3g train_loss %.4f (+penalty %.4f) train_metric %.4f%s (%.1fs)%n",
                label,
                r.epoch(), epochs, r.steps(), r.lr(), r.trainLoss(), r.trainObjective(), r.trainMetric(),
                metric, r.seconds());
    }

    /** {@code done} of {@code total} fits of the command (path; calls come one at a time, in order). */
    @Override public void onFit(int done, int total) {
        long now = System.nanoTime();
        double elapsed = (now - start) / 1e9;
        if (!terminal) {
            int tenths = (int) (10L * done / Math.max(1, total));
            if (tenths <= tenthsShown) return;
            tenthsShown = tenths;
            out.println(fitLine(label, done, total, elapsed));
            return;
        }
        if (elapsed < 2 || now - lastDraw < 100_000_000L && done < total) return;
        lastDraw = now;
        out.print("\r" + fitBar(label, done, total, elapsed) + "   ");
        out.flush();
    }

    /** Removes the bar (before a plain line is printed, and at the end). */
    void clear() {
        if (terminal && lastDraw > 0) {
            out.print("\r" + " ".repeat(110) + "\r");
            out.flush();
            lastDraw = 0;
        }
    }

    /** The bar's text: {@code frac} of the command done after {@code elapsed} seconds. */
    static String bar(String label, int epoch, int batch, int batches, double frac, double loss, double elapsed) {
        return String.format("%s epoch %d batch %d/%d %s %3.0f%% loss %.4f ETA %s", label, epoch, batch, batches,
                gauge(frac), 100 * frac, loss, eta(frac, elapsed));
    }

    /** A plain line of path's progress: {@code done} of {@code total} fits after {@code elapsed} seconds. */
    static String fitLine(String label, int done, int total, double elapsed) {
        double frac = (double) done / Math.max(1, total);
        return String.format("%s: %d/%d fits (%.0f%%) after %s, ETA %s", label, done, total, 100 * frac,
                duration(elapsed), eta(frac, elapsed));
    }

    /** The bar of path's progress. */
    static String fitBar(String label, int done, int total, double elapsed) {
        double frac = Math.min(1, (double) done / Math.max(1, total));
        return String.format("%s %s %d/%d fits %3.0f%% ETA %s", label, gauge(frac), done, total, 100 * frac,
                eta(frac, elapsed));
    }

    private static String gauge(double frac) {
        int filled = (int) Math.round(frac * WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
    }

    /** The time left at the rate so far, {@code frac} done after {@code elapsed} seconds; "?" before any progress. */
    private static String eta(double frac, double elapsed) {
        return frac > 0 ? duration(elapsed * (1 - frac) / frac) : "?";
    }

    static String duration(double s) {
        if (s >= 3600) return String.format("%dh%02dm", (int) s / 3600, (int) s % 3600 / 60);
        if (s >= 60) return String.format("%dm%02ds", (int) s / 60, (int) s % 60);
        return s >= 10 ? String.format("%.0fs", s) : String.format("%.1fs", s);
    }
}
