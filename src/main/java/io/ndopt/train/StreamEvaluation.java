package io.ndopt.train;

import io.ndopt.data.Dataset;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import java.util.Iterator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link Metrics} over batches: the loss as the row-weighted mean of the batch losses (every loss is a mean over
 * rows), accuracy as hits over rows, R² as {@code 1 − SS_res / SS_tot} with {@code SS_tot} from per-column Welford
 * moments of the targets (Chan's merge across batches). Equal to one evaluation of all rows up to rounding.
 */
final class StreamEvaluation {
    private StreamEvaluation() {}

    static Metrics.Eval of(Sequential model, Loss loss, Iterator<Dataset> batches) {
        double lossSum = 0, ssRes = 0;
        long rows = 0, hits = 0;
        double[] mean = null, m2 = null;
        while (batches.hasNext()) {
            Dataset b = batches.next();
            INDArray out = model.forward(b.x());
            int n = b.size();
            lossSum += loss.value(out, b.y()) * n;
            if (loss.classification()) {
                int[] labels = b.labels(), pred = Dataset.labelsOf(loss.predict(out));
                for (int i = 0; i < n; i++) if (pred[i] == labels[i]) hits++;
            } else {
                INDArray r = out.sub(b.y());
                ssRes += r.mul(r).sumNumber().doubleValue();
                int k = b.outputs();
                double[] y = b.y().dup('c').reshape((long) n * k).toDoubleVector();     // row-major, one copy
                if (mean == null) {
                    mean = new double[k];
                    m2 = new double[k];
                }
                for (int i = 0; i < n; i++) {
                    rows++;
                    for (int j = 0; j < k; j++) {                // Welford, row by row
                        double v = y[i * k + j], d = v - mean[j];
                        mean[j] += d / rows;
                        m2[j] += d * (v - mean[j]);
                    }
                }
                continue;
            }
            rows += n;
        }
        if (rows == 0) return new Metrics.Eval(Double.NaN, Double.NaN);
        if (loss.classification()) return new Metrics.Eval(lossSum / rows, (double) hits / rows);
        double ssTot = 0;
        for (double v : m2) ssTot += v;
        return new Metrics.Eval(lossSum / rows, ssTot == 0 ? (ssRes == 0 ? 1 : 0) : 1 - ssRes / ssTot);
    }
}
