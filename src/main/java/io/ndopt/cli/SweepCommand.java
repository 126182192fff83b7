package io.ndopt.cli;

import picocli.CommandLine.Command;

/** Placeholder until the dense-network module lands. */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = "(not yet available)")
final class SweepCommand implements Runnable {
    @Override public void run() { throw new UnsupportedOperationException("sweep is not implemented yet"); }
}
