package io.ndopt.glm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ndopt.Conformance;
import io.ndopt.Png;
import io.ndopt.internal.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ndopt path}: the diabetes workflow end to end, CSV input with weights, and usage errors. */
class PathCliTest {
    @TempDir Path tmp;

    @Test
    void diabetesLassoWithCvAndTestSplit() throws Exception {
        Path out = tmp.resolve("diab");
        assertEquals(0, Main.run("path", "--dataset", "diabetes", "--model", "lasso", "--cv", "5", "--test-split",
                "0.2", "--out", out.toString()));
        JsonNode j = Conformance.JSON.readTree(out.resolve("path.json").toFile());
        double[] lam = Conformance.doubles(j.get("lambdas"));
        assertEquals(100, lam.length);
        for (int k = 1; k < lam.length; k++) assertTrue(lam[k] < lam[k - 1], "lambdas descending");
        assertEquals(1e-3, lam[99] / lam[0], 1e-9);
        double[][] coef = Conformance.matrix(j.get("coef"));
        assertEquals(10, coef[0].length);
        for (double c : coef[0]) assertTrue(Math.abs(c) <= 1e-9, "all zero at lambda_max");
        assertEquals(354, j.get("n_train").asInt());
        assertEquals(88, j.get("n_test").asInt());
        assertEquals(100, j.get("test_r2").size());
        assertTrue(j.get("train_r2").get(99).asDouble() > 0.45,
                "least-penalized train R² of the diabetes lasso is about 0.5");
        double min = j.get("lambda_min").asDouble(), oneSe = j.get("lambda_1se").asDouble();
        assertTrue(oneSe >= min, "lambda_1se >= lambda_min");
        double[] mean = Conformance.doubles(j.get("cv_mean"));
        int kmin = Arrays.binarySearch(negate(lam), -min);
        for (double m : mean) assertTrue(m >= mean[kmin], "lambda_min minimizes the CV mean");
        for (String png : new String[] {"coef_path.png", "r2.png", "cv.png"}) Png.assertPlot(out.resolve(png));
        try (var files = Files.list(out)) { assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temp files left"); }
    }

    /**
     * A CSV with a weight column gives the library's weighted fit; ridge with explicit lambdas and no standardization.
     */
    @Test
    void csvWithWeightsMatchesLibrary() throws Exception {
        Design d = Kkt.random(4, 30, 3, true);
        StringBuilder csv = new StringBuilder("a,b,c,w,y\n");
        for (int i = 0; i < d.n(); i++) {
            csv.append(d.x(i, 0)).append(',').append(d.x(i, 1)).append(',').append(d.x(i, 2)).append(',')
                    .append(d.weight(i)).append(',').append(d.y()[i]).append('\n');
        }
        Path file = tmp.resolve("d.csv");
        Files.writeString(file, csv);
        Path out = tmp.resolve("ridge");
        assertEquals(0, Main.run("path", "--data", file.toString(), "--target", "y", "--weights", "w", "--model",
                "ridge", "--lambdas", "0.1,10",
                "--no-standardize", "--out", out.toString()));
        JsonNode j = Conformance.JSON.readTree(out.resolve("path.json").toFile());
        CoefPath expect = Glm.path(d, PathSpec.ridge().withStandardize(false), new double[] {10, 0.1});
        Reference.assertClose(expect.coef()[1], Conformance.doubles(j.get("coef").get(1)), 1e-12, "ridge alpha 0.1");
        assertEquals(10, j.get("lambdas").get(0).asDouble(), 0.0);
        assertFalse(j.has("cv_mean"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--model lars|--model",
            "--model lasso --l1-ratio 0.5|--l1-ratio",
            "--model elasticnet --l1-ratio 1.5|--l1-ratio",
            "--model lasso --lambdas 1,-2|--lambdas",
            "--model lasso --lambdas 1,1|--lambdas",
            "--model lasso --grid 1:0.1:5|--grid",
            "--model lasso --grid 0.1:1:5 --lambdas 1|--grid",
            "--model lasso --cv 1|--cv",
            "--model lasso --cv 500|--cv",
            "--model lasso --test-split 1.5|--test-split",
            "--model ridge --tol 0|--tol",
            "--model lasso --target bmi|--target",
    })
    void usageErrorsExit2NamingTheOption(String args, String option) {
        String[] a = ("path --dataset diabetes --out " + tmp.resolve("x") + " " + args).split(" ");
        String err = runCapturingErr(2, a);
        assertTrue(err.contains(option), "message should name " + option + ": " + err);
    }

    @Test
    void dataSourceErrors() {
        assertTrue(runCapturingErr(2, "path", "--model", "lasso", "--out", tmp.toString()).contains("--data"));
        assertTrue(runCapturingErr(2, "path", "--data", "x.csv", "--dataset", "diabetes", "--model", "lasso", "--out",
                tmp.toString()).contains("--data"));
        assertTrue(runCapturingErr(2, "path", "--data", "x.csv", "--model", "lasso", "--out", tmp.toString())
                .contains("--target"));
        assertTrue(runCapturingErr(2, "path", "--dataset", "iris", "--model", "lasso", "--out", tmp.toString())
                .contains("diabetes"));
        String err = runCapturingErr(1, "path", "--data", tmp.resolve("missing.csv").toString(), "--target", "y",
                "--model", "lasso", "--out", tmp.toString());
        assertTrue(err.contains("missing.csv"), err);
    }

    private static String runCapturingErr(int expectedExit, String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        int rc;
        try {
            rc = Main.run(args);
        } finally {
            System.setErr(old);
        }
        String err = buf.toString();
        assertEquals(expectedExit, rc, "exit code for " + String.join(" ", args) + ": " + err);
        return err;
    }

    private static double[] negate(double[] v) { return Arrays.stream(v).map(x -> -x).toArray(); }
}
