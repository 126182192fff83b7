package io.ndopt.train;

import io.ndopt.data.Dataset;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Loss, accuracy and R² of a model on a dataset. */
public final class Metrics {
    private Metrics() {}

    public record Eval(double loss, double metric) {}

    public static Eval evaluate(Sequential model, Dataset d, Loss loss) { return of(model.forward(d.x()), d, loss); }

    /** Loss and accuracy (classification) or R² of outputs {@code out} computed for {@code d}'s rows (on any device). */
    public static Eval of(INDArray out, Dataset d, Loss loss) {
        double l = loss.value(out, d.y());
        return new Eval(l, loss.classification() ? accuracy(loss.predict(out), d) : r2(out, d.y()));
    }

    /** Fraction of rows whose predicted class (argmax, or probability > 0.5 for one column) matches. */
    public static double accuracy(INDArray prob, Dataset d) {
        int[] labels = d.labels(), pred = Dataset.labelsOf(prob);
        int hit = 0;
        for (int i = 0; i < labels.length; i++) if (pred[i] == labels[i]) hit++;
        return (double) hit / labels.length;
    }

    /** Coefficient of determination {@code 1 − SS_res / SS_tot} over all outputs. */
    public static double r2(INDArray pred, INDArray y) {
        INDArray r = pred.sub(y);
        double ssRes = r.mul(r).sumNumber().doubleValue();
        INDArray c = y.subRowVector(y.mean(true, 0));
        double ssTot = c.mul(c).sumNumber().doubleValue();
        return ssTot == 0 ? (ssRes == 0 ? 1 : 0) : 1 - ssRes / ssTot;
    }
}
