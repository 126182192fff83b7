package io.ndopt.examples.consumer;

/** A failed expectation of the example: Main prints it and exits with status 1. */
final class Check {
    private Check() {}

    static void require(boolean ok, String what) {
        if (!ok) throw new IllegalStateException(what);
    }
}
