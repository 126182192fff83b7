package io.ndopt.regularize;

import io.ndopt.param.Param;
import java.util.Set;
import io.ndopt.param.Role;

/**
 * The value of ndopt's penalty {@code l1·||w||₁ + (l2/2)·||w||²} over the parameters whose role is
 * regularized. {@code l2} is in PyTorch's {@code weight_decay} convention: its gradient is {@code l2·w}.
 */
public final class Penalty {
    private Penalty() {}

    public static double value(Iterable<Param> params, Set<Role> roles, double l1, double l2) {
        double sum = 0;
        for (Param p : params) {
            if (!roles.contains(p.role()) || p.length() == 0) continue;
            if (l1 != 0) sum += l1 * p.value().norm1Number().doubleValue();
            if (l2 != 0) {
                double n2 = p.value().norm2Number().doubleValue();
                sum += 0.5 * l2 * n2 * n2;
            }
        }
        return sum;
    }
}
