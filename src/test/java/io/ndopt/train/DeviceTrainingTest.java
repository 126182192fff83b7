package io.ndopt.train;

import io.ndopt.internal.device.DeviceParams;

import static org.junit.jupiter.api.Assertions.*;

import io.ndopt.data.Dataset;
import io.ndopt.data.Synthetic;
import io.ndopt.device.Device;
import io.ndopt.internal.device.FakeCuda;
import io.ndopt.internal.gpusuite.CheckResult;
import io.ndopt.internal.gpusuite.NetChecks;
import io.ndopt.nn.Activation;
import io.ndopt.internal.nn.DeviceModel;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Networks trained on the GPU through the stand-in driver ({@link FakeCuda}: host memory, ndopt's real
 * kernel sources compiled for the host, a naive cuBLAS): the GPU suite's network checks (trajectories
 * vs the CPU for five recipes × two dtypes, resume across devices), and what the Trainer promises
 * about where the parameters are.
 */
class DeviceTrainingTest {
    @BeforeAll static void gpu() { FakeCuda.install(); }

    @AfterAll static void back() { FakeCuda.restore(); }

    @Test void networkChecksPassOnTheDevice() {
        List<CheckResult> rs = NetChecks.run(Device.cuda(0));
        assertEquals(NetChecks.count(), rs.size());
        for (CheckResult r : rs) assertEquals(CheckResult.Status.PASS, r.status(), r.name() + ": " + r.detail());
    }

    /**
     * After a GPU fit the host parameters are the trained ones (they were downloaded), the optimizer is
     * out of resident mode, and a further step from host gradients matches a CPU optimizer continuing
     * from the same parameters and state.
     */
    @Test void afterFitTheHostHoldsTheParametersAndStepsWorkAsBefore() {
        Dataset d = Synthetic.moons(96, 0.1, 0, 3, DataType.DOUBLE);
        Sequential m = Sequential.mlp(2, new int[] {8}, 1, Activation.TANH, Activation.IDENTITY, DataType.DOUBLE, 9);
        Optimizer gpu = Optimizer.adam(1e-2).device(Device.cuda(0)).build(m.params());
        TrainResult r = new Trainer(m, Loss.BCE_WITH_LOGITS, gpu, TrainerOptions.defaults().withEpochs(2)
                .withBatchSize(32)).fit(d, null);
        assertEquals(6, r.steps());
        assertFalse(DeviceParams.of(gpu).resident());
        Sequential copy = Sequential.mlp(2, new int[] {8}, 1, Activation.TANH, Activation.IDENTITY, DataType.DOUBLE, 9);
        for (int i = 0; i < m.params().size(); i++) copy.params().get(i).setValue(m.params().get(i).value());
        Optimizer cpu = Optimizer.adam(1e-2).build(copy.params());
        cpu.loadStateDict(gpu.stateDict());
        m.lossAndGradients(d.x(), d.y(), Loss.BCE_WITH_LOGITS);
        copy.lossAndGradients(d.x(), d.y(), Loss.BCE_WITH_LOGITS);
        assertTrue(gpu.step());
        assertTrue(cpu.step());
        for (int i = 0; i < m.params().size(); i++) {
            INDArray a = m.params().get(i).value(), b = copy.params().get(i).value();
            assertTrue(a.equalsWithEps(b, 1e-12), m.params().get(i).name() + ": " + a + " vs " + b);
        }
        gpu.close();
    }

    /**
     * Steps replayed from captured graphs (two batch sizes: 4 and the last batch of 2; the cursor re-set
     * every epoch) give bitwise the losses and parameters of the same steps launched one by one.
     */
    @Test void graphReplayEqualsLaunchingEachKernel() {
        assertArrayEquals(manualSteps(false), manualSteps(true));
    }

    private static double[] manualSteps(boolean graphs) {
        Dataset d = Synthetic.spirals(10, 2, 0.1, 8, DataType.DOUBLE);
        Sequential m = Sequential.mlp(2, new int[] {5}, 1, Activation.TANH, Activation.IDENTITY, DataType.DOUBLE, 4);
        Optimizer o = Optimizer.adam(1e-2).device(Device.cuda(0)).build(m.params());
        List<Double> out = new ArrayList<>();
        try (DeviceModel dm = DeviceModel.open(m, DeviceParams.of(o)).graphs(graphs)) {
            DeviceParams.of(o).resident(true);
            DeviceModel.Data data = dm.upload(d.x(), d.y());
            for (int epoch = 0; epoch < 3; epoch++) {
                dm.permutation(Dataset.permutation(10, epoch));
                for (int from = 0; from < 10; from += 4) {
                    dm.lossAndGradients(data, from, Math.min(10, from + 4), Loss.BCE_WITH_LOGITS);
                    assertTrue(o.step());
                    out.add(dm.lastLoss());
                }
            }
            DeviceParams.of(o).resident(false);
        }
        for (Param p : m.params()) for (double v : p.value().dup().data().asDouble()) out.add(v);
        o.close();
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** An optimizer with a parameter the model lacks: the network runs on the CPU (the GPU would read no gradient). */
    @Test void anOptimizerWithForeignParametersTrainsWithTheNetworkOnTheCpu() {
        Dataset d = Synthetic.moons(64, 0.1, 0, 5, DataType.DOUBLE);
        Sequential m = Sequential.mlp(2, new int[] {4}, 1, Activation.TANH, Activation.IDENTITY, DataType.DOUBLE, 3);
        Param extra = Param.weight("extra", Nd4j.ones(DataType.DOUBLE, 3));
        List<Param> all = new ArrayList<>(m.params());
        all.add(extra);
        Optimizer o = Optimizer.adam(1e-2).device(Device.cuda(0)).build(all);
        assertTrue(DeviceModel.problem(m, DeviceParams.of(o), 32).contains("'extra'"));
        TrainResult r = new Trainer(m, Loss.BCE_WITH_LOGITS, o, TrainerOptions.defaults().withEpochs(2)
                .withBatchSize(32)).fit(d, null);
        assertTrue(Double.isFinite(r.last().trainLoss()));
        assertEquals(Nd4j.ones(DataType.DOUBLE, 3), extra.value(), "zero gradient: unchanged");
        o.close();
    }

    @Test void aModelTheOptimizerDoesNotOwnIsRefusedByName() {
        Sequential m = Sequential.mlp(2, new int[] {4}, 1, Activation.RELU, Activation.IDENTITY, DataType.FLOAT, 1);
        List<Param> some = new ArrayList<>(m.params().subList(0, 2));
        Optimizer o = Optimizer.adam(1e-2).device(Device.cuda(0)).build(some);
        var e = assertThrows(IllegalArgumentException.class, () -> DeviceModel.open(m, DeviceParams.of(o)));
        assertTrue(e.getMessage().contains("'" + m.params().get(2).name() + "'"), e.getMessage());
        o.close();
    }

    /** The loss the Trainer reports for a GPU step is that batch's loss before the update, as on the CPU. */
    @Test void stepLossesMatchTheCpu() {
        Dataset d = Synthetic.spirals(64, 3, 0.1, 4, DataType.DOUBLE);
        double[] cpu = losses(d, Device.cpu()), gpu = losses(d, Device.cuda(0));
        for (int i = 0; i < cpu.length; i++) assertEquals(cpu[i], gpu[i], 1e-12 * Math.abs(cpu[i]), "step " + i);
    }

    private static double[] losses(Dataset d, Device device) {
        Sequential m = Sequential.mlp(2, new int[] {6}, 3, Activation.SIGMOID, Activation.IDENTITY, DataType.DOUBLE, 2);
        Optimizer o = Optimizer.sgd(0.1).momentum(0.9).device(device).build(m.params());
        List<Double> out = new ArrayList<>();
        new Trainer(m, Loss.SOFTMAX_CROSS_ENTROPY, o, TrainerOptions.defaults().withEpochs(2).withBatchSize(16))
                .listener(new TrainListener() {
                    @Override public void onStep(int epoch, int batch, int batches, long step, double loss) {
                        out.add(loss);
                    }
                }).fit(d, null);
        o.close();
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
