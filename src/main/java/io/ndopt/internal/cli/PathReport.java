package io.ndopt.internal.cli;

import io.ndopt.glm.CoefPath;
import io.ndopt.glm.CvResult;
import io.ndopt.glm.Design;
import io.ndopt.glm.Model;
import io.ndopt.glm.PathSpec;

import io.ndopt.internal.io.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code path.json}: the fitted path in the data's original units and, when present, R² on the
 * training/test rows and the cross-validation summary. Keys: {@code lambdas} (descending, sklearn's α),
 * {@code coef} (one row per λ), {@code intercept}, {@code nonzeros}, {@code duality_gap},
 * {@code converged}, {@code train_r2}/{@code test_r2},
 * {@code cv_mean}/{@code cv_se}/{@code lambda_min}/{@code lambda_1se}.
 */
public final class PathReport {
    private PathReport() {}

    /** {@code test} and {@code cv} may be null. */
    public static Map<String, Object> toMap(CoefPath path, Design train, Design test, CvResult cv,
            Map<String, Object> config) {
        Map<String, Object> m = new LinkedHashMap<>();
        PathSpec s = path.spec();
        m.put("model", s.model().cliName());
        m.put("objective", objective(s.model()));
        m.put("l1_ratio", s.l1Ratio());
        m.put("standardize", s.standardize());
        m.put("non_negative", s.nonNegative());
        m.put("tol", s.tol());
        m.put("config", config);
        m.put("feature_names", path.names());
        m.put("n_train", train.n());
        if (test != null) m.put("n_test", test.n());
        m.put("lambdas", path.lambdas());
        m.put("coef", path.coef());
        m.put("intercept", path.intercept());
        int[] nz = new int[path.size()];
        for (int k = 0; k < nz.length; k++) nz[k] = path.names().size() - path.zeroCount(k);
        m.put("nonzeros", nz);
        m.put("duality_gap", path.gaps());
        m.put("converged", path.converged());
        m.put("train_r2", path.r2(train));
        if (test != null) m.put("test_r2", path.r2(test));
        if (cv != null) {
            m.put("cv_folds", cv.foldMse().length);
            m.put("cv_mean", cv.mean());
            m.put("cv_se", cv.se());
            m.put("lambda_min", cv.lambdaMin());
            m.put("lambda_1se", cv.lambda1se());
        }
        return m;
    }

    public static void write(Path file, Map<String, Object> doc) throws IOException {
        Json.writePlain(file, doc);
    }

    static String objective(Model m) {
        return switch (m) {
            case LASSO -> "(1/(2n))*||y - Xw - b||^2 + alpha*||w||_1";
            case ELASTIC_NET -> "(1/(2n))*||y - Xw - b||^2 + alpha*(l1_ratio*||w||_1 + (1-l1_ratio)/2*||w||^2)";
            case RIDGE -> "||y - Xw - b||^2 + alpha*||w||^2";
        };
    }
}
