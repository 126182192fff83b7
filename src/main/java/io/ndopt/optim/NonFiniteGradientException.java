package io.ndopt.optim;

/** A gradient held NaN or ±Inf when a step was asked for. Parameters and state were not changed. */
public final class NonFiniteGradientException extends ArithmeticException {
    private final String param;
    private final long step;

    public NonFiniteGradientException(String param, long step) {
        super("non-finite gradient (NaN or Inf) in parameter '" + param + "' at step " + step
                + "; parameters were left unchanged (use NonFinitePolicy.SKIP to skip such steps)");
        this.param = param;
        this.step = step;
    }

    public String param() { return param; }
    public long step() { return step; }
}
