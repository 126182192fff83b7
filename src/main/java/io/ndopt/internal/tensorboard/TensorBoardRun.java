package io.ndopt.internal.tensorboard;

import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import io.ndopt.param.Role;
import io.ndopt.train.EpochRecord;
import io.ndopt.train.TrainListener;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One training run's TensorBoard log, a {@link TrainListener}: per step (x = the global step) {@code step/loss},
 * {@code step/lr} and {@code step/grad_norm}; per epoch (x = the epoch) the history's values under {@code epoch/}
 * — train_loss, train_objective (loss + penalty), train_METRIC and val_loss, val_METRIC (METRIC accuracy or r2;
 * the validation ones only with validation data), lr, weight_norm, zero_fraction, step_ms — and the optimizer's
 * counters nonfinite_steps and skipped_steps, and a histogram of every weight matrix ({@code weights/NAME});
 * and, once, the run's configuration as text. Written to a new event file in {@code dir}, flushed every epoch
 * so a TensorBoard watching the folder follows the run.
 */
public final class TensorBoardRun implements TrainListener, Closeable {
    /** Buckets of the weight histograms. */
    static final int BUCKETS = 30;
    private final EventWriter writer;
    private final Optimizer opt;
    private final Sequential model;
    private final String metric;

    /**
     * @param metric "accuracy" or "r2", the name of the task metric in the tags
     * @param config the configuration, as JSON text, logged once as {@code config}
     */
    public TensorBoardRun(Path dir, Optimizer opt, Sequential model, String metric, String config)
            throws IOException {
        this.writer = EventWriter.create(dir);
        this.opt = opt;
        this.model = model;
        this.metric = metric;
        writer.text("config", 0, "```\n" + config + "\n```");
        writer.flush();
    }

    public Path file() { return writer.file(); }

    @Override public void onStep(int epoch, int batch, int batches, long globalStep, double loss) {
        try {
            writer.scalar("step/loss", globalStep, loss);
            writer.scalar("step/lr", globalStep, opt.currentLr());
            writer.scalar("step/grad_norm", globalStep, opt.lastGradNorm());
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override public void onEpoch(EpochRecord r, int epochs) {
        long e = r.epoch();
        try {
            writer.scalar("epoch/train_loss", e, r.trainLoss());
            writer.scalar("epoch/train_objective", e, r.trainObjective());
            writer.scalar("epoch/train_" + metric, e, r.trainMetric());
            if (!Double.isNaN(r.valLoss())) {
                writer.scalar("epoch/val_loss", e, r.valLoss());
                writer.scalar("epoch/val_" + metric, e, r.valMetric());
            }
            writer.scalar("epoch/lr", e, r.lr());
            writer.scalar("epoch/weight_norm", e, r.weightNorm());
            writer.scalar("epoch/zero_fraction", e, r.zeroFraction());
            writer.scalar("epoch/step_ms", e, r.stepMs());
            writer.scalar("epoch/nonfinite_steps", e, opt.nonFiniteSteps());
            writer.scalar("epoch/skipped_steps", e, opt.skippedSteps());
            for (Param p : model.params()) {
                if (p.role() == Role.WEIGHT) {
                    writer.histogram("weights/" + p.name(), e, p.value().ravel().toDoubleVector(), BUCKETS);
                }
            }
            writer.flush();
        } catch (IOException ex) {
            throw failed(ex);
        }
    }

    private UncheckedIOException failed(IOException e) {
        return new UncheckedIOException("writing TensorBoard events " + writer.file(), e);
    }

    @Override public void close() throws IOException { writer.close(); }
}
