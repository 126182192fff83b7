package io.ndopt.internal.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CUDA C shipped in the jar ({@code /io/ndopt/internal/cuda/*.cu}, {@code *.cuh}) assembled into one
 * self-contained NVRTC program: each {@code #include "x"} of our own headers is replaced by the
 * header's text, once per program ({@code #pragma once} dropped), with {@code #line} directives so
 * that compiler messages name the original file and line.
 */
public final class KernelSource {
    /** The translation units of the one module the engine loads. */
    public static final List<String> UNITS = List.of("optim.cu", "reduce.cu", "nn.cu", "family.cu", "mixed.cu",
            "prox.cu");
    /** Every kernel entry point in the module. */
    public static final List<String> ENTRY_POINTS = List.of("sgd_f32", "sgd_f64", "adam_f32", "adam_f64",
            "sf_adamw_f32", "sf_adamw_f64",
            "sumsq_f32", "sumsq_f64", "sum_partials", "mean_partials",
            "bias_act_f32", "bias_act_f64", "bias_softmax_f32", "bias_softmax_f64",
            "act_backward_f32", "act_backward_f64", "softmax_backward_f32", "softmax_backward_f64",
            "bias_grad_f32", "bias_grad_f64", "loss_mse_f32", "loss_mse_f64", "loss_bce_f32", "loss_bce_f64",
            "loss_softmax_ce_f32", "loss_softmax_ce_f64", "multiply_f32", "multiply_f64",
            "gather_rows_f32", "gather_rows_f64",
            "gather_rows_at_f32", "gather_rows_at_f64", "advance_cursor",
            "rmsprop_f32", "rmsprop_f64", "adagrad_f32", "adagrad_f64", "adadelta_f32", "adadelta_f64",
            "adamax_f32", "adamax_f64", "nadam_f32", "nadam_f64", "radam_f32", "radam_f64", "rprop_f32", "rprop_f64",
            "lion_f32", "lion_f64",
            "af_rows_f32", "af_rows_f64", "af_cols_f32", "af_cols_f64", "af_row_mean_f32", "af_row_mean_f64",
            "af_sum_u_f32", "af_sum_u_f64", "af_update_f32", "af_update_f64",
            "mu_momentum_f32", "mu_momentum_f64", "mu_normalize_f32", "mu_normalize_f64",
            "mu_combine_f32", "mu_combine_f64", "mu_axpy_f32", "mu_axpy_f64", "mu_apply_f32", "mu_apply_f64",
            "to_bf16", "to_f16", "scale_f32", "unscale_check_f32",
            "group_shrink_strided_f32", "group_shrink_strided_f64", "group_shrink_indexed_f32",
            "group_shrink_indexed_f64", "prox_l1_factors_f32", "prox_l1_factors_f64");
    static final String ROOT = "/io/ndopt/internal/cuda/";
    private static final Pattern INCLUDE = Pattern.compile("^\\s*#\\s*include\\s+\"([^\"]+)\"\\s*$");

    private KernelSource() {}

    /** The whole program: every unit, headers inlined once. */
    public static String program() {
        StringBuilder out = new StringBuilder();
        Set<String> included = new LinkedHashSet<>();
        for (String unit : UNITS) append(unit, out, included, 0);
        return out.toString();
    }

    /** The text of one shipped file. */
    public static String read(String name) {
        if (!name.matches("[A-Za-z0-9_]+\\.(cu|cuh)")) {
            throw new IllegalArgumentException("not a kernel source name: '" + name + "'");
        }
        try (InputStream in = KernelSource.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalArgumentException("kernel source '" + name + "' is not in the jar ("
                        + ROOT + name + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel source " + name, e);
        }
    }

    private static void append(String name, StringBuilder out, Set<String> included, int depth) {
        if (depth > 8) {
            throw new IllegalStateException("kernel sources: includes nested deeper than 8 at '" + name + "'");
        }
        if (!included.add(name)) return;
        String[] lines = read(name).split("\n", -1);
        out.append("#line 1 \"").append(name).append("\"\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = INCLUDE.matcher(lines[i]);
            if (m.matches()) {
                append(m.group(1), out, included, depth + 1);
                out.append("#line ").append(i + 2).append(" \"").append(name).append("\"\n");
            } else if (lines[i].trim().equals("#pragma once")) {
                out.append('\n');
            } else {
                out.append(lines[i]).append('\n');
            }
        }
    }
}
