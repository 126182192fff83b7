package io.ndopt.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.TestArrays;
import io.ndopt.nn.Activation;
import io.ndopt.nn.Dense;
import io.ndopt.nn.Init;
import io.ndopt.nn.Layer;
import io.ndopt.nn.Sequential;
import io.ndopt.param.Param;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The report finds unread inputs and dead units (also in cascade); the pruned network predicts the same. */
class PrunerTest {
    private static Dense dense(String name, double[][] w, double[] b, Activation act, DataType dt) {
        Dense d = new Dense(name, w.length, w[0].length, act, Init.XAVIER_UNIFORM, dt, 1);
        d.weight().setValue(Nd4j.createFromArray(w).castTo(dt));
        d.bias().setValue(Nd4j.createFromArray(new double[][] {b}).castTo(dt));
        return d;
    }

    /**
     * 4 inputs → 3 ReLU units → 2 outputs: input 1 unread, unit 2 constant (zero column, bias 0.5), unit 0 unread
     * (zero row of W2).
     */
    static Sequential handBuilt(DataType dt) {
        Dense fc1 = dense("fc1", new double[][] {{1, 2, 0}, {0, 0, 0}, {-1, 0.5, 0}, {0.3, -2, 0}},
                new double[] {0.1, -0.2, 0.5}, Activation.RELU, dt);
        Dense out = dense("out", new double[][] {{0, 0}, {1.5, -1}, {2, 3}}, new double[] {0.01, 0.02},
                Activation.IDENTITY, dt);
        return new Sequential(List.of(fc1, out));
    }

    @Test
    void handBuiltNetworkLosesExactlyWhatIsDead() {
        Sequential m = handBuilt(DataType.DOUBLE);
        StructureReport r = Pruner.report(m);
        assertEquals(List.of(1), r.removedInputs());
        assertEquals(List.of(0, 2), r.layers().get(0).deadUnits());
        Pruned p = Pruner.prune(m);
        assertArrayEquals(new int[] {0, 2, 3}, p.keptInputs());
        assertEquals(3 * 1 + 1 + 1 * 2 + 2, p.model().parameterCount());
        // the constant unit relu(0.5) = 0.5 is folded: out.b = [0.01 + 0.5·2, 0.02 + 0.5·3]
        assertArrayEquals(new double[] {1.01, 1.52},
                ((Dense) p.model().layers().get(1)).bias().value().toDoubleVector(), 1e-15);
        INDArray x = TestArrays.randn(DataType.DOUBLE, new Random(1), 50, 4);
        assertEquals(m.forward(x), p.predict(x));
        assertTrue(r.toString().contains("inputs: 3 of 4 used; fc1: 1 of 3 units live"), r.toString());
    }

    @Test
    void removalCascadesThroughLayers() {
        // unit 1 of fc2 reads only unit 0 of fc1; unit 0 of fc1 is unread by anything else and its column
        // is 0 → constant;
        // after folding it, fc2's unit 1 has a zero column over the kept inputs → constant too
        Dense fc1 = dense("fc1", new double[][] {{0, 1}, {0, 1}}, new double[] {0.7, 0}, Activation.TANH,
                DataType.DOUBLE);
        Dense fc2 = dense("fc2", new double[][] {{0, 1.5}, {2, 0}}, new double[] {0, -0.1}, Activation.SIGMOID,
                DataType.DOUBLE);
        Dense out = dense("out", new double[][] {{1}, {-1}}, new double[] {0.3}, Activation.IDENTITY, DataType.DOUBLE);
        Sequential m = new Sequential(List.of(fc1, fc2, out));
        StructureReport r = Pruner.report(m);
        assertEquals(List.of(0), r.layers().get(0).deadUnits());
        assertEquals(List.of(1), r.layers().get(1).deadUnits());
        Pruned p = Pruner.prune(m);
        INDArray x = TestArrays.randn(DataType.DOUBLE, new Random(2), 20, 2);
        INDArray expected = m.forward(x), got = p.predict(x);
        for (int i = 0; i < 20; i++) assertEquals(expected.getDouble(i, 0), got.getDouble(i, 0), 1e-14);
        assertEquals(2 * 1 + 1 + 1 * 1 + 1 + 1 * 1 + 1, p.model().parameterCount());
    }

    @Test
    void randomGroupSparseFloatNetworkPredictsTheSame() {
        Random rnd = new Random(3);
        Sequential m = Sequential.mlp(10, new int[] {16, 12}, 3, Activation.RELU, Activation.IDENTITY,
                DataType.FLOAT, 5);
        Dense fc1 = (Dense) m.layers().get(0), fc2 = (Dense) m.layers().get(1);
        for (int i : new int[] {0, 3, 4, 9}) fc1.weight().value().getRow(i).assign(0);        // unread inputs
        for (int j : new int[] {1, 2, 7, 15}) fc1.weight().value().getColumn(j).assign(0);   // constant units
        for (int j : new int[] {0, 5}) fc2.weight().value().getColumn(j).assign(0);
        fc1.bias().value().assign(TestArrays.randn(DataType.FLOAT, rnd, 1, 16));
        fc2.bias().value().assign(TestArrays.randn(DataType.FLOAT, rnd, 1, 12));
        Pruned p = Pruner.prune(m);
        assertEquals(6, p.keptInputs().length);
        assertEquals(12, p.report().layers().get(0).liveUnits());
        assertEquals(10, p.report().layers().get(1).liveUnits());
        assertTrue(p.model().parameterCount() < m.parameterCount());
        INDArray x = TestArrays.randn(DataType.FLOAT, rnd, 40, 10);
        INDArray a = m.forward(x), b = p.predict(x);
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 3; j++) assertEquals(a.getDouble(i, j), b.getDouble(i, j), 1e-5);
        }
    }

    @Test
    void allUnitsDeadStillGivesAWorkingConstantModel() {
        Dense fc1 = dense("fc1", new double[][] {{0, 0}, {0, 0}}, new double[] {0.2, -1}, Activation.RELU,
                DataType.DOUBLE);
        Dense out = dense("out", new double[][] {{2}, {5}}, new double[] {0.1}, Activation.IDENTITY, DataType.DOUBLE);
        Pruned p = Pruner.prune(new Sequential(List.of(fc1, out)));
        INDArray x = TestArrays.randn(DataType.DOUBLE, new Random(4), 5, 2);
        for (int i = 0; i < 5; i++) assertEquals(0.1 + 0.2 * 2, p.predict(x).getDouble(i, 0), 1e-15);
        assertEquals(List.of(0, 1), p.report().removedInputs());
    }

    @Test
    void dropoutIsTheIdentityAtEvaluationSoThePrunerPassesItThrough() {
        Random rnd = new Random(6);
        Sequential m = Sequential.mlp(6, new int[] {8, 5}, 2, Activation.TANH, Activation.IDENTITY,
                new double[] {0.5, 0.3}, DataType.DOUBLE, 9);
        // fc1, drop1, fc2, drop2, out
        assertEquals(5, m.layers().size());
        Dense fc1 = (Dense) m.layers().get(0), fc2 = (Dense) m.layers().get(2);
        fc1.weight().value().getRow(2).assign(0);                                             // input 2 unread
        // fc1 unit 4 constant tanh(b)
        fc1.weight().value().getColumn(4).assign(0);
        fc2.weight().value().getColumn(1).assign(0);                                          // fc2 unit 1 constant
        fc1.bias().value().assign(TestArrays.randn(DataType.DOUBLE, rnd, 1, 8));
        Pruned p = Pruner.prune(m);
        assertArrayEquals(new int[] {0, 1, 3, 4, 5}, p.keptInputs());
        assertEquals(List.of(4), p.report().layers().get(0).deadUnits());
        assertEquals(List.of(1), p.report().layers().get(1).deadUnits());
        assertTrue(p.model().layers().stream().allMatch(l -> l instanceof Dense),
                "the pruned network has no dropout layers");
        assertEquals(5 * 7 + 7 + 7 * 4 + 4 + 4 * 2 + 2, p.model().parameterCount());
        INDArray x = TestArrays.randn(DataType.DOUBLE, rnd, 30, 6);
        INDArray expected = m.eval().forward(x), got = p.predict(x);
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 2; j++) assertEquals(expected.getDouble(i, j), got.getDouble(i, j), 1e-12);
        }
        // in training mode the full network drops units, so it differs from the pruned (evaluation) network
        assertTrue(!m.train().forward(x).equalsWithEps(got, 1e-6));
    }

    @Test
    void onlyDenseNetworksArePruned() {
        Layer odd = new Layer() {
            public INDArray forward(INDArray x) { return x; }
            public INDArray backward(INDArray d) { return d; }
            public List<Param> params() { return List.of(); }
            public String name() { return "noise"; }
        };
        var e = assertThrows(IllegalArgumentException.class,
                () -> Pruner.report(new Sequential(List.of(handBuilt(DataType.DOUBLE).layers().get(0), odd))));
        assertTrue(e.getMessage().contains("'noise'"), e.getMessage());
    }
}
