package io.ndopt.internal.gpusuite;

/**
 * One check of the GPU suite.
 *
 * @param name     e.g. "parity/adamw_l1/float32"
 * @param status   PASS, FAIL or SKIP (with the reason in {@code detail})
 * @param maxRel   largest relative deviation from the reference seen (0 when bitwise equal)
 * @param maxAbs   largest absolute deviation
 * @param differing elements not bitwise equal to the reference (summed over the compared arrays)
 * @param detail   what was compared, or why it failed or was skipped
 */
public record CheckResult(String name, Status status, double maxRel, double maxAbs, long differing, String detail) {
    public enum Status { PASS, FAIL, SKIP }

    public CheckResult {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("check name must not be empty");
        if (status == null) throw new IllegalArgumentException("check '" + name + "': status is null");
        detail = detail == null ? "" : detail;
    }

    public static CheckResult of(String name, Tolerance.Comparison c, String what) {
        String detail = what + (c.passed() ? ""
                : "; " + c.bad() + " elements out of tolerance, first at index " + c.firstBad());
        return new CheckResult(name, c.passed() ? Status.PASS : Status.FAIL, c.maxRel(), c.maxAbs(),
                c.differing(), detail);
    }

    public static CheckResult pass(String name, String detail) {
        return new CheckResult(name, Status.PASS, 0, 0, 0, detail);
    }

    public static CheckResult fail(String name, String detail) {
        return new CheckResult(name, Status.FAIL, 0, 0, 0, detail);
    }

    public static CheckResult skip(String name, String reason) {
        return new CheckResult(name, Status.SKIP, 0, 0, 0, reason);
    }
}
