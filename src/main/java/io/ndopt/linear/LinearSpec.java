package io.ndopt.linear;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ndopt.data.Csv;
import io.ndopt.data.DataFormatException;
import io.ndopt.optim.OptimizerSpec;
import io.ndopt.schedule.ScheduleSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A linear-regression training run as described by {@code shared/conformance/SCHEMA.md}: data
 * (inline {@code X}/{@code y}, or a CSV file), a start point (or a seed for a random one), an
 * optimizer, an optional schedule and clipping threshold, and the number of full-batch steps.
 *
 * @param contrast an optional second optimizer run on the same problem ({@code trajectory_pair})
 */
public record LinearSpec(double[][] x, double[] y, double[] w0, double b0, int steps, OptimizerSpec optimizer,
                         ScheduleSpec schedule, double clipGlobalNorm, boolean regularizeBias, LinearSpec contrast) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public LinearSpec {
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        if (x.length == 0 || x.length != y.length) throw new IllegalArgumentException("X has " + x.length + " rows but y has " + y.length);
        if (w0.length != x[0].length) throw new IllegalArgumentException("w0 has " + w0.length + " entries but X has " + x[0].length + " columns");
        if (clipGlobalNorm < 0) throw new IllegalArgumentException("clip_global_norm must be >= 0, got " + clipGlobalNorm);
    }

    public int n() { return y.length; }
    public int p() { return w0.length; }

    public LinearSpec withOptimizer(OptimizerSpec o, ScheduleSpec s, int newSteps) {
        return new LinearSpec(x, y, w0, b0, newSteps, o, s, clipGlobalNorm, regularizeBias, null);
    }

    /** Reads a spec file; CSV paths inside it are resolved against the spec's folder. */
    public static LinearSpec read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException(file.toString(), lineOf(e), null, "malformed JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        try {
            return parse(root, file.toAbsolutePath().getParent());
        } catch (DataFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file.toString(), 0, null, e.getMessage());
        }
    }

    private static long lineOf(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null ? j.getLocation().getLineNr() : 0;
    }

    @SuppressWarnings("unchecked")
    static LinearSpec parse(JsonNode root, Path dir) {
        JsonNode problem = require(root, "problem");
        double[][] x;
        double[] y;
        if (problem.has("csv")) {
            Path csv = dir.resolve(problem.get("csv").asText());
            Csv.Table t = Csv.read(csv, problem.has("target") ? problem.get("target").asText() : null);
            x = t.x();
            y = t.y();
        } else {
            x = JSON.convertValue(require(problem, "X"), double[][].class);
            y = JSON.convertValue(require(problem, "y"), double[].class);
        }
        if (x.length == 0) throw new IllegalArgumentException("problem: X is empty");
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != x[0].length) throw new IllegalArgumentException("problem.X row " + i + " has " + x[i].length + " values, row 0 has " + x[0].length);
        }
        int p = x[0].length;
        long seed = problem.has("seed") ? problem.get("seed").asLong() : root.path("seed").asLong(0);
        SplittableRandom rng = new SplittableRandom(seed);
        double bound = 1 / Math.sqrt(p);   // PyTorch nn.Linear's default init range
        double[] w0 = problem.has("w0") ? JSON.convertValue(problem.get("w0"), double[].class)
                : rng.doubles(p, -bound, bound).toArray();
        double b0 = problem.has("b0") ? problem.get("b0").asDouble() : rng.nextDouble(-bound, bound);
        JsonNode steps = require(root, "steps");
        if (!steps.canConvertToInt()) throw new IllegalArgumentException("field 'steps' must be an integer, got " + steps);
        OptimizerSpec opt = OptimizerSpec.fromMap(JSON.convertValue(require(root, "optimizer"), Map.class));
        ScheduleSpec sched = root.has("schedule") ? ScheduleSpec.fromMap(JSON.convertValue(root.get("schedule"), Map.class)) : null;
        double clip = root.path("clip_global_norm").asDouble(0);
        boolean regBias = root.path("regularize_bias").asBoolean(false);
        LinearSpec contrast = null;
        if (root.has("contrast")) {
            OptimizerSpec co = OptimizerSpec.fromMap(JSON.convertValue(require(root.get("contrast"), "optimizer"), Map.class));
            contrast = new LinearSpec(x, y, w0, b0, steps.asInt(), co, sched, clip, regBias, null);
        }
        return new LinearSpec(x, y, w0, b0, steps.asInt(), opt, sched, clip, regBias, contrast);
    }

    private static JsonNode require(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException("missing field '" + field + "'");
        return v;
    }
}
