package io.ndopt.internal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.Png;
import io.ndopt.device.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optimizers demo, run small: every rule trains the same model, its loss falls, and the outputs exist. */
class OptimizersDemoTest {
    @TempDir Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void everyRuleTrainsAndTheTableAndPlotsAreWritten() throws Exception {
        Map<String, Object> r = OptimizersDemo.run(dir, 42, Device.cpu(), 4, 600);
        List<Map<String, Object>> runs = (List<Map<String, Object>>) r.get("runs");
        assertEquals(List.of("adamw", "lion", "muon", "schedule_free_adamw", "nadam", "rmsprop"),
                runs.stream().map(m -> m.get("optimizer")).toList());
        double initial = (double) runs.get(0).get("initial_val_loss");
        for (Map<String, Object> run : runs) {
            String name = (String) run.get("optimizer");
            assertEquals(initial, (double) run.get("initial_val_loss"), 0.0, name + ": same model, same init");
            double fin = (double) run.get("final_val_loss"), best = (double) run.get("best_val_loss");
            assertTrue(fin < 0.95 * initial, name + ": validation loss fell, " + initial + " -> " + fin);
            assertTrue(best <= fin, name + ": best " + best + " <= final " + fin);
            assertEquals(4, ((double[]) run.get("val_loss_curve")).length, name);
            double[] seconds = (double[]) run.get("seconds_curve"), steps = (double[]) run.get("steps_curve");
            for (int i = 1; i < 4; i++) {
                assertTrue(seconds[i] > seconds[i - 1] && steps[i] > steps[i - 1], name + ": cumulative axes");
            }
            assertEquals(4 * 7, (long) run.get("steps"), name + ": 400 training rows, batch 64 = 7 steps an epoch");
        }
        String table = Files.readString(dir.resolve("table.md"));
        assertEquals(r.get("table"), table);
        for (Map<String, Object> run : runs) assertTrue(table.contains("| " + run.get("optimizer") + " |"), table);
        for (String p : (List<String>) r.get("plots")) Png.assertPlot(dir.resolve(p));
    }
}
