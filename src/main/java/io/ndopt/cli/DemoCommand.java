package io.ndopt.cli;

import picocli.CommandLine.Command;

/** Placeholder until the dense-network module lands. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "(not yet available)")
final class DemoCommand implements Runnable {
    @Override public void run() { throw new UnsupportedOperationException("demo is not implemented yet"); }
}
