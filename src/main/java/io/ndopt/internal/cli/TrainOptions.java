package io.ndopt.internal.cli;

import io.ndopt.internal.config.ConfigException;
import io.ndopt.internal.config.Document;
import io.ndopt.internal.config.Keys;
import io.ndopt.internal.config.Kind;
import io.ndopt.internal.config.LayerSpec;
import io.ndopt.internal.config.Raw;
import io.ndopt.internal.config.RunRequest;
import io.ndopt.internal.config.Setting;
import io.ndopt.internal.run.Experiment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The settings options of train, compare and sweep. There is one flag per key of {@link Keys},
 * generated from its declaration ({@link #addFlags}), so flags, config-file keys and spec fields
 * cannot drift apart. Values are kept as text and bound by the same code as config files:
 * defaults ← {@code --config} file ← command-line flags.
 */
final class TrainOptions {
    @Spec(Spec.Target.MIXEE) CommandSpec command;

    @Option(names = "--config", description =
            "Run configuration file (JSON or YAML, snake_case keys as the flags; its data: path is relative to "
                    + "the file's folder); command-line options override it.")
    Path config;

    /** Adds a flag for every key of {@link Keys} to a command (called once per command line). */
    static void addFlags(CommandSpec cmd) {
        for (Setting<?> s : Keys.all()) {
            List<String> names = new ArrayList<>(List.of(s.flag()));
            for (String a : s.aliases()) names.add("--" + a.replace('_', '-'));
            Object dflt = s.defaultFor(null);
            String help = s.help() + (dflt == null || s == Keys.WEIGHT_DECAY ? ""
                    : " Default: " + plain(s, dflt) + ".");
            OptionSpec.Builder b = OptionSpec.builder(names.toArray(String[]::new)).type(String.class).description(help)
                    .paramLabel(s.kind() == Kind.BOOL ? "true|false" : s.name().toUpperCase());
            if (s.kind() == Kind.BOOL) b.arity("0..1").fallbackValue("true");
            cmd.addOption(b.build());
        }
    }

    private LayerSpec cli, file;

    /** The values given on this command line, as a layer. */
    LayerSpec commandLine() {
        if (cli == null) cli = bindCommandLine();
        return cli;
    }

    private LayerSpec bindCommandLine() {
        ParseResult pr = command.commandLine().getParseResult();
        Map<String, Raw> raw = new LinkedHashMap<>();
        for (Setting<?> s : Keys.all()) {
            OptionSpec o = command.findOption(s.flag());
            if (o == null || !pr.hasMatchedOption(o)) continue;
            String v = o.getValue();
            if (s == Keys.DATA && v != null && !v.isBlank()) {
                v = Path.of(v).toAbsolutePath().normalize().toString();      // a checkpoint resumes from any folder
            }
            raw.put(s.name(), Raw.text(v, s.flag()));
        }
        return LayerSpec.bind(raw, Keys.all());
    }

    /** The values of the {@code --config} file (empty if none); its {@code data} path is relative to the file. */
    LayerSpec configFile() {
        if (file == null) file = config == null ? LayerSpec.empty() : LayerSpec.bind(fileValues(Document.read(config)),
                Keys.all());
        return file;
    }

    private static Map<String, Raw> fileValues(Document doc) {
        Map<String, Raw> raw = doc.raw();
        Raw data = raw.get(Keys.DATA.name());
        if (data != null && data.value() instanceof String name && !name.isEmpty()) {
            raw.put(Keys.DATA.name(), Raw.typed(doc.resolve(name).toString(), data.where()));
        }
        return raw;
    }

    /** The input files of a request: the config file and the CSV data. */
    Inputs inputs(RunRequest s) {
        return new Inputs().add("--config", config).add("--data", Experiment.dataFile(s));
    }

    /** defaults ← {@code base} (a checkpoint's settings, or empty) ← config file ← command line. */
    RunRequest resolve(LayerSpec base) {
        return RunRequest.of(List.of(base, configFile(), commandLine()));
    }

    /** The user's layers (config file, then command line) without the optimizer fields, and those fields apart. */
    List<LayerSpec> splitOptimizerFields(Map<String, Object> fields) {
        List<LayerSpec> out = new ArrayList<>();
        for (LayerSpec l : List.of(configFile(), commandLine())) {
            Map<Setting<?>, Object> v = new LinkedHashMap<>();
            Map<Setting<?>, String> w = new LinkedHashMap<>();
            l.values().forEach((k, x) -> {
                if (k.isOptimizerField()) fields.put(k.name(), x);
                else { v.put(k, x); w.put(k, l.where().get(k)); }
            });
            out.add(new LayerSpec(v, w));
        }
        return out;
    }

    /** Keys set by the user (file or flags), with where. */
    Map<Setting<?>, String> userGiven() {
        Map<Setting<?>, String> m = new LinkedHashMap<>(configFile().where());
        m.putAll(commandLine().where());
        return m;
    }

    /** Rejects user-given keys that a command does not use, e.g. checkpoint_every for compare. */
    void refuse(String commandName, String why, Setting<?>... unused) {
        Map<Setting<?>, String> given = userGiven();
        for (Setting<?> s : unused) {
            if (given.containsKey(s)) {
                throw new ConfigException(given.get(s) + ": setting '" + s.name() + "' has no effect with "
                        + commandName + " (" + why + ")");
            }
        }
    }

    /** A default as one would type it: lists comma-separated. */
    @SuppressWarnings("unchecked")
    private static <T> Object plain(Setting<T> s, Object v) {
        Object p = s.kind().plain((T) v);
        return p instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : p;
    }
}
