package io.ndopt.glm;

/**
 * Solves one λ of the path from a warm start, glmnet-style: cyclic coordinate descent on a working
 * set (the features the strong rule keeps, plus every feature that was ever non-zero), with passes
 * over just the non-zero coefficients in between; then a KKT check over all features, which adds any
 * violator to the set; stop when the {@link DualityGap} is at most {@code tolGap}. A feature the
 * strong rule wrongly dropped is therefore always caught, and the stopping rule is scikit-learn's.
 */
final class CoordinateDescent {
    /** Result of one λ: sweeps used (over the working set), final gap, whether it met the tolerance. */
    record Outcome(int sweeps, double gap, boolean converged, double innerTol, int checks) {}

    private CoordinateDescent() {}

    /**
     * @param inSet working-set membership on entry (updated in place with the KKT violators)
     */
    static Outcome solve(Engine e, boolean[] inSet, double[] l1, double[] l2, boolean positive, double tolGap,
            int maxSweeps) {
        return solve(e, inSet, l1, l2, positive, tolGap, maxSweeps, tolGap);
    }

    /**
     * @param innerTol where to stop sweeping and check the gap: sweeps stop once no coordinate moves
     *                 by more than this in objective units; it is divided by 10 after each failed
     *                 gap check. The path passes on the value that worked at the previous λ.
     */
    static Outcome solve(Engine e, boolean[] inSet, double[] l1, double[] l2, boolean positive,
            double tolGap, int maxSweeps,
                         double innerTol) {
        int p = e.d.p;
        int[] set = new int[p], act = new int[p];
        int m = 0;
        for (int j = 0; j < p; j++) if (inSet[j]) set[m++] = j;
        int sweeps = 0, checks = 0;
        Anderson acc = new Anderson(p);
        while (true) {
            while (sweeps < maxSweeps) {
                double dmax = e.sweep(set, m, l1, l2, positive);
                sweeps++;
                if (dmax <= innerTol) break;
                int a = 0;
                for (int t = 0; t < m; t++) if (e.beta[set[t]] != 0) act[a++] = set[t];
                if (a == m) continue;
                acc.reset();
                while (sweeps < maxSweeps) {
                    sweeps++;
                    if (e.sweep(act, a, l1, l2, positive) <= innerTol) break;
                    if (acc.record(e.beta, act, a)) {
                        extrapolate(e, act, a, acc.extrapolate(), l1, l2, positive);
                        acc.reset();
                    }
                }
            }
            e.refresh();
            int added = 0;
            for (int j = 0; j < p; j++) {
                if (inSet[j] || e.d.diag[j] == 0) continue;
                double v = positive ? e.q[j] : Math.abs(e.q[j]);
                if (v > l1[j]) { inSet[j] = true; added++; }
            }
            if (added > 0) {
                m = 0;
                for (int j = 0; j < p; j++) if (inSet[j]) set[m++] = j;
                if (sweeps < maxSweeps) continue;
            }
            double gap = DualityGap.of(e.q, e.beta, l1, l2, positive, e.residualNorm2(), e.residualDotY());
            checks++;
            if (gap <= tolGap) return new Outcome(sweeps, gap, true, innerTol, checks);
            if (sweeps >= maxSweeps) return new Outcome(sweeps, gap, false, innerTol, checks);
            innerTol /= 10;
        }
    }

    /** Moves to the Anderson proposal {@code ext} on {@code act} if it is feasible and lowers the objective. */
    private static void extrapolate(Engine e, int[] act, int a, double[] ext, double[] l1, double[] l2,
            boolean positive) {
        if (ext == null) return;
        if (positive) for (int t = 0; t < a; t++) if (ext[t] < 0) return;
        if (e.objectiveIf(act, a, ext, l1, l2) < e.objective(l1, l2)) e.assign(act, a, ext);
    }
}
