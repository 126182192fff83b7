package io.ndopt.examples.consumer;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * Uses ndopt the way a project depending on io.ndopt:ndopt does: only its public packages, with the
 * backend, DL4J and the logging binding chosen in this project's pom. Prints one line per part and
 * exits with status 1 when any check fails.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        List<Callable<String>> parts = List.of(QuickStart::run, SparseL1::run, Dl4jNetwork::run);
        int failed = 0;
        for (Callable<String> part : parts) {
            try {
                System.out.println("OK   " + part.call());
            } catch (Exception | AssertionError e) {
                failed++;
                System.out.println("FAIL " + e);
                e.printStackTrace();
            }
        }
        System.out.println(failed == 0 ? "consumer: all " + parts.size() + " parts passed"
                : "consumer: " + failed + " of " + parts.size() + " parts failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
