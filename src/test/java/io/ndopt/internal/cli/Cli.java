package io.ndopt.internal.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs the CLI in-process and captures its exit code, stdout and stderr. */
record Cli(int code, String out, String err) {
    static synchronized Cli run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out));
        System.setErr(new PrintStream(err));
        try {
            return new Cli(Main.run(args), out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** {@code train}, then {@code common}, then {@code more}: a run's shared options plus this run's own. */
    static String[] train(String[] common, String... more) {
        String[] out = new String[1 + common.length + more.length];
        out[0] = "train";
        System.arraycopy(common, 0, out, 1, common.length);
        System.arraycopy(more, 0, out, 1 + common.length, more.length);
        return out;
    }

    /** Asserts the exit code and that stderr contains every fragment. */
    Cli expect(int want, String... fragments) {
        if (code != want) {
            throw new AssertionError("exit " + code + " (want " + want + ")\nstderr: " + err + "\nstdout: " + out);
        }
        for (String f : fragments) if (!err.contains(f)) throw new AssertionError("stderr lacks '" + f + "':\n" + err);
        return this;
    }
}
