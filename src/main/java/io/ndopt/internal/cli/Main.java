package io.ndopt.internal.cli;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.checkpoint.CheckpointException;
import io.ndopt.data.DataFormatException;
import io.ndopt.internal.io.Numbers;
import io.ndopt.optim.NonFiniteGradientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar ndopt-cli.jar COMMAND}. Exit codes, the same for every command: 0 success; 2 usage
 * error: a bad flag or value, an invalid configuration from any source (flags, config file,
 * {@code --run}, spec file: unknown key, wrong type, out of range, no effect), a refused output
 * (a file, another run's folder, in use by another ndopt run, or one of the command's inputs); 1 runtime failure: unreadable or malformed data, a corrupt or mismatching checkpoint, a
 * non-finite gradient, I/O errors. Numbers on the command line are parsed strictly
 * ({@link Numbers}) and empty values are refused.
 */
@Command(name = "ndopt", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Regularized training on ND4J: PyTorch-exact SGD/Adam/AdamW, proximal L1, elastic net.",
        subcommands = {InfoCommand.class, FitCommand.class, TrainCommand.class, CompareCommand.class,
                SweepCommand.class, DemoCommand.class, PathCommand.class, GpuCheckCommand.class, GpuBenchCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_RUNTIME = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command in-process and returns its exit code (tests call this). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * {@code sweep} with its grid's cells run by {@code runner} (the Spark job, io.ndopt.spark.SweepJob): the same
     * options, checks, output folder and exit codes as {@code ndopt sweep ARGS}.
     */
    public static int sweep(GridRunner runner, String... args) {
        CommandLine cl = commandLine();
        ((SweepCommand) cl.getSubcommands().get("sweep").getCommand()).runner = runner;
        return cl.execute(withCommand("sweep", args));
    }

    /**
     * {@code path} with its {@code --cv} folds run by {@code folds} (the Spark job, io.ndopt.spark.PathJob): the same
     * options, checks, output folder and exit codes as {@code ndopt path ARGS}.
     */
    public static int path(FoldRunner folds, String... args) {
        CommandLine cl = commandLine();
        ((PathCommand) cl.getSubcommands().get("path").getCommand()).folds = folds;
        return cl.execute(withCommand("path", args));
    }

    /** {@code name} followed by {@code args}: a command's arguments as the command line gives them. */
    static String[] withCommand(String name, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = name;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    /** The configured command line: strict converters, generated settings flags, one error policy. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExpandAtFiles(false);             // '@name' is a value like any other, never a file of arguments read silently
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().mixins().containsKey("options")) TrainOptions.addFlags(sub.getCommandSpec());
        }
        cl.registerConverter(Path.class, Main::path);
        cl.registerConverter(Double.class, plain(Numbers::parseDouble)).registerConverter(double.class, plain(Numbers::parseDouble));
        cl.registerConverter(Integer.class, plain(Numbers::parseInt)).registerConverter(int.class, plain(Numbers::parseInt));
        cl.registerConverter(Long.class, plain(Numbers::parseLong)).registerConverter(long.class, plain(Numbers::parseLong));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("ndopt " + cmd.getCommandName() + ": error: " + message(ex));
            if (System.getenv("NDOPT_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return exitCode(ex);
        });
        return cl;
    }

    /**
     * 2 only for {@link ConfigException} (what the user asked for is invalid; picocli's own parse errors exit 2
     * too); everything else is a runtime failure, so a bug inside ndopt never reads as a usage error.
     */
    static int exitCode(Throwable ex) {
        return ex instanceof ConfigException ? EXIT_USAGE : EXIT_RUNTIME;
    }

    /**
     * Parses a flag's value with a library parser ({@code Device.parse}, a shape name, ...): what it rejects is
     * the user's value, so its {@link IllegalArgumentException} becomes a {@link ConfigException} naming the flag.
     */
    static <T> T option(String flag, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(flag + ": " + e.getMessage());
        }
    }

    private static String message(Throwable ex) {
        if (ex instanceof NonFiniteGradientException n) {
            return "non-finite gradient (NaN or Inf) in parameter '" + n.param() + "' at step " + n.step()
                    + "; the run stopped with parameters unchanged by that step (lower --lr, add --clip-norm, or "
                            + "pass --nonfinite skip to skip such steps, or --nonfinite propagate to let them through "
                            + "unchecked, as PyTorch does)";
        }
        if (ex instanceof UncheckedIOException u) return ex.getMessage() + ": " + u.getCause().getMessage();
        if (ex instanceof IOException) return "I/O error: " + ex.getMessage();
        if (ex instanceof CheckpointException || ex instanceof IllegalArgumentException
                || ex instanceof ArithmeticException) {
            return ex.getMessage();
        }
        return ex.getClass().getSimpleName() + ": " + ex.getMessage()
                + " (unexpected; rerun with NDOPT_DEBUG=1 for the stack trace)";
    }

    /** A number parser whose refusal reads "Invalid value for option '--seed': not an integer: '1.5'" (no class name). */
    private static <T> CommandLine.ITypeConverter<T> plain(CommandLine.ITypeConverter<T> parse) {
        return s -> {
            try {
                return parse.convert(s);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        };
    }

    private static Path path(String s) {
        if (s.isBlank()) throw new CommandLine.TypeConversionException("empty path");
        return Path.of(s);
    }

    /** No command: the usage on stderr and exit 2, like any other usage error. */
    @Override public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Missing command: give one of "
                + String.join(", ", commandLine().getSubcommands().keySet()) + " (ndopt --help lists them)");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ndopt " + (v == null ? "dev" : v)};
        }
    }
}
