package io.ndopt.glm;

import io.ndopt.internal.validate.EnumNames;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The three penalized least-squares models, each named the way scikit-learn names it. Every
 * objective keeps the intercept {@code b} unpenalized:
 * <ul>
 *   <li>{@link #LASSO}: {@code (1/(2n))‖y − Xw − b‖² + α‖w‖₁} (sklearn {@code Lasso(alpha)}),</li>
 *   <li>{@link #ELASTIC_NET}: {@code (1/(2n))‖y − Xw − b‖² + α(ρ‖w‖₁ + (1−ρ)/2·‖w‖²)}
 *       (sklearn {@code ElasticNet(alpha, l1_ratio=ρ)}; glmnet's {@code lambda} = α, {@code alpha} = ρ),</li>
 *   <li>{@link #RIDGE}: {@code ‖y − Xw − b‖² + α‖w‖²} (sklearn {@code Ridge(alpha)}: no {@code 1/n}).</li>
 * </ul>
 */
public enum Model {
    LASSO, ELASTIC_NET, RIDGE;

    /** The name used on the command line: {@code lasso}, {@code elasticnet}, {@code ridge}. */
    public String cliName() { return this == ELASTIC_NET ? "elasticnet" : name().toLowerCase(Locale.ROOT); }

    /** Parses a {@link #cliName()}; an unknown name is an error listing the valid ones. */
    public static Model parse(String name) {
        return EnumNames.parse("model", name, values(), UnaryOperator.identity(), m -> List.of(m.cliName()));
    }
}
