package io.ndopt.cli;

import picocli.CommandLine.Command;

/** Placeholder until the dense-network module lands. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "(not yet available)")
final class TrainCommand implements Runnable {
    @Override public void run() { throw new UnsupportedOperationException("train is not implemented yet"); }
}
