package io.ndopt.cli;

import io.ndopt.backend.Precision;
import io.ndopt.linear.LinearFit;
import io.ndopt.linear.LinearSpec;
import io.ndopt.linear.ResultWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains the linear model of a conformance spec and writes the trajectory. */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Train the linear model of a conformance spec (SCHEMA.md) and write its trajectory as JSON.")
final class FitCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, description = "Spec file (JSON, conformance schema).")
    Path spec;

    @Option(names = "--out", required = true, description = "Result file (JSON, keys of the spec's 'expected' block).")
    Path out;

    @Option(names = "--dtype", defaultValue = "float64", description = "float64 or float32 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Override public Integer call() throws Exception {
        Precision precision = Precision.parse(dtype);
        LinearSpec s = LinearSpec.read(spec);
        LinearFit.Result fit = LinearFit.run(s, precision);
        Map<String, Object> result = ResultWriter.toMap(fit, s.schedule() != null);
        ResultWriter.addZeroGroups(result, s, fit);
        if (s.contrast() != null) {
            result.put("contrast", ResultWriter.toMap(LinearFit.run(s.contrast(), precision), s.schedule() != null));
        }
        ResultWriter.write(out, result);
        var r = (double[]) result.get("loss");
        System.out.printf("fit: %d steps, %s, loss %.6g -> %.6g, %d exact zeros; wrote %s%n", s.steps(), precision.label(),
                r[0], r[r.length - 1], (Integer) result.get("final_zero_count"), out);
        return 0;
    }
}
