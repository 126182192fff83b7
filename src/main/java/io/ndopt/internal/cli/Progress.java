package io.ndopt.internal.cli;

import io.ndopt.train.EpochRecord;
import io.ndopt.train.TrainListener;
import java.io.PrintStream;

/**
 * Progress of a run: on a terminal a one-line bar (epoch/step, loss, ETA) redrawn in place once the
 * run has lasted a couple of seconds; otherwise (CI, pipes) one plain log line per epoch.
 */
final class Progress implements TrainListener {
    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long totalSteps;

    Progress(PrintStream out, String label, long totalSteps) {
        this.out = out;
        this.terminal = System.console() != null && System.getenv("NDOPT_PLAIN") == null;
        this.label = label;
        this.totalSteps = totalSteps;
    }

    @Override public void onStep(int epoch, int batch, int batches, long globalStep, double loss) {
        if (!terminal) return;
        long now = System.nanoTime();
        double elapsed = (now - start) / 1e9;
        if (elapsed < 2 || now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        double frac = Math.min(1, (double) globalStep / Math.max(1, totalSteps));
        int filled = (int) (frac * 30);
        double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
        out.printf("\r%s epoch %d batch %d/%d [%s%s] loss %.4f ETA %s   ", label, epoch + 1, batch + 1, batches,
                "#".repeat(filled), ".".repeat(30 - filled), loss, duration(eta));
        out.flush();
    }

    @Override public void onEpoch(EpochRecord r, int epochs) {
        if (terminal && lastDraw > 0) out.print("\r" + " ".repeat(100) + "\r");
        String metric = Double.isNaN(r.valMetric()) ? ""
                : String.format(" val_loss %.4f val_metric %.4f", r.valLoss(), r.valMetric());
        out.printf("%s epoch %d/%d step %d lr %.3g train_loss %.4f (+penalty %.4f) train_metric %.4f%s (%.1fs)%n",
                label,
                r.epoch(), epochs, r.steps(), r.lr(), r.trainLoss(), r.trainObjective(), r.trainMetric(),
                metric, r.seconds());
    }

    private static String duration(double s) {
        return s >= 60 ? String.format("%dm%02ds", (int) s / 60, (int) s % 60) : String.format("%.0fs", s);
    }
}
