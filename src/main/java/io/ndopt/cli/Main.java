package io.ndopt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar ndopt.jar COMMAND}. Exit codes: 0 success, 2 usage error (bad option, unknown
 * name, bad number), 1 runtime failure (bad file, non-finite gradient, I/O).
 */
@Command(name = "ndopt", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Regularized training on ND4J: PyTorch-exact SGD/Adam/AdamW, proximal L1, elastic net.",
        subcommands = {InfoCommand.class, FitCommand.class, TrainCommand.class, CompareCommand.class,
                SweepCommand.class, DemoCommand.class, PathCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_RUNTIME = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command in-process and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean usage = ex instanceof IllegalArgumentException && !(ex instanceof io.ndopt.data.DataFormatException);
            cmd.getErr().println("ndopt " + cmd.getCommandName() + ": error: " + ex.getMessage());
            if (System.getenv("NDOPT_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return usage ? EXIT_USAGE : EXIT_RUNTIME;
        });
        return cl.execute(args);
    }

    @Override public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ndopt " + (v == null ? "dev" : v)};
        }
    }
}
