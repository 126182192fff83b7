package io.ndopt.dl4j;

import io.ndopt.optim.Rule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import io.ndopt.optim.ReferenceUpdate;
import io.ndopt.optim.StepScalars;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a DL4J gradient block into the update DL4J subtracts from the parameters ({@code p ← p − u}),
 * in place: {@code u} is minus the step ndopt's {@link ReferenceUpdate} takes from {@code w = 0} at
 * {@code t = iteration + 1}, so the rules are the ones written in {@link Rule.Sgd} and {@link Rule.Adam}.
 */
final class NdoptGradientUpdater implements GradientUpdater<NdoptUpdater> {
    private final NdoptUpdater config;
    private final Rule rule;
    private INDArray[] state = new INDArray[0];
    /** NAdam's {@code μ_1⋯μ_t} at step {@code productT}, advanced one step at a time (recomputed after a jump). */
    private double product = 1;
    private long productT;

    NdoptGradientUpdater(NdoptUpdater config) {
        this.config = config;
        this.rule = config.toRule();
    }

    @Override public NdoptUpdater getConfig() { return config; }

    @Override public void setStateViewArray(INDArray view, long[] gradientShape, char order, boolean initialize) {
        List<String> names = rule.stateNames();
        if (names.isEmpty()) return;
        long n = view.length() / names.size();
        INDArray flat = view.reshape(view.length());
        state = new INDArray[names.size()];
        for (int i = 0; i < names.size(); i++) state[i] = flat.get(NDArrayIndex.interval(i * n, (i + 1) * n));
        if (initialize) view.assign(0);
    }

    @Override public Map<String, INDArray> getState() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        List<String> names = rule.stateNames();
        for (int i = 0; i < names.size(); i++) m.put(names.get(i), state[i]);
        return m;
    }

    @Override public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        List<String> names = rule.stateNames();
        state = new INDArray[names.size()];
        for (int i = 0; i < names.size(); i++) {
            INDArray a = stateMap.get(names.get(i));
            if (a == null) throw new IllegalArgumentException("ndopt updater state: missing '" + names.get(i) + "'");
            state[i] = a.reshape(a.length());
            if (initialize) state[i].assign(0);
        }
    }

    /** NAdam's running product at step {@code t} (1 for the other rules), as ndopt's optimizer keeps it. */
    private double muProduct(long t) {
        if (!(rule instanceof Rule.NAdam n)) return 1;
        if (t < productT || t > productT + 1) {                // a restored or re-created updater: from the start
            product = 1;
            productT = 0;
        }
        while (productT < t) product *= n.mu(++productT);
        return product;
    }

    @Override public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        // The update DL4J subtracts is exactly minus the step ndopt's reference rule takes from w = 0
        // (no decay, no L2, no prox here: those are DL4J Regularizations), so the rule is written once.
        long t = iteration + 1L;
        StepScalars s = new StepScalars(t, config.getLearningRate(iteration, epoch), 1, 1, 0, 0, muProduct(t));
        INDArray g = gradient.reshape(gradient.length());     // read only; the update is assigned back at the end
        INDArray w = Nd4j.zeros(gradient.dataType(), gradient.length());
        ReferenceUpdate.apply(rule, s, w, g, state);
        gradient.assign(w.negi().reshape(gradient.shape()));
    }
}
