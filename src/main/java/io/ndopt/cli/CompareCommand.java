package io.ndopt.cli;

import picocli.CommandLine.Command;

/** Placeholder until the dense-network module lands. */
@Command(name = "compare", mixinStandardHelpOptions = true, description = "(not yet available)")
final class CompareCommand implements Runnable {
    @Override public void run() { throw new UnsupportedOperationException("compare is not implemented yet"); }
}
