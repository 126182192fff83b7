package io.ndopt.spark;

import io.ndopt.device.Device;
import io.ndopt.internal.cli.SweepGrid;
import io.ndopt.internal.config.Keys;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The Spark task of one grid cell, on an executor. The executor parses the sweep's arguments itself and loads the
 * data once per executor JVM (kept for the next task of the same job); the data comes from the path in the
 * arguments, or, where that path does not exist on the executor, from the file of that name shipped with
 * {@code spark-submit --files} ({@link SparkFiles}); either way its SHA-256 must be the driver's. The device: a
 * task given a GPU by Spark ({@code spark.task.resource.gpu.amount=1}) trains on that CUDA device (its address is
 * the ordinal), unless the sweep asked for {@code --device cpu}; a task without one trains on the sweep's device
 * (cpu by default).
 */
final class SweepTask {
    private SweepTask() {}

    /** Tests only: the cell whose first attempt fails (a retried task must give the same numbers); -1 none. */
    static volatile int failFirstAttemptOf = -1;

    private static final Object LOCK = new Object();
    private static List<String> cachedArgs;
    private static SweepGrid cached;

    static SweepGrid.Result run(List<String> args, String dataSha256, SweepGrid.Cell cell) throws IOException {
        TaskContext tc = TaskContext.get();
        if (tc != null && tc.attemptNumber() == 0 && cell.index() == failFirstAttemptOf) {
            throw new IllegalStateException("the first attempt of cell " + cell.index() + " fails (test hook)");
        }
        SweepGrid grid = grid(args);
        if (!grid.dataSha256().equals(dataSha256)) {
            throw new IllegalStateException("the data this executor read (" + dataPath(args) + ") differs from the "
                    + "driver's (SHA-256 " + grid.dataSha256() + " here, " + dataSha256 + " there): every executor "
                    + "must see the same file");
        }
        return grid.run(cell, device(tc, grid), SweepGrid.Watcher.NONE);
    }

    /** The task's GPU if Spark gave it one; otherwise null (the sweep's own device). */
    static Device device(TaskContext tc, SweepGrid grid) {
        if (tc == null) return null;
        ResourceInformation gpu = tc.resourcesJMap().get("gpu");
        if (gpu == null || gpu.addresses().length == 0) return null;
        if (grid.settings().isGiven(Keys.DEVICE) && !grid.device().isCuda()) return null;   // --device cpu: asked for
        return Device.cuda(Integer.parseInt(gpu.addresses()[0].trim()));
    }

    private static SweepGrid grid(List<String> args) {
        synchronized (LOCK) {
            if (!args.equals(cachedArgs)) {
                cached = null;                         // the previous job's data can go
                cached = SweepGrid.parse(local(args).toArray(String[]::new));
                cachedArgs = List.copyOf(args);
            }
            return cached;
        }
    }

    /** The arguments with the files they name (--data, --config) where this executor has them. */
    static List<String> local(List<String> args) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i < out.size(); i++) {
            String a = out.get(i);
            for (String flag : List.of("--data", "--config")) {
                if (a.equals(flag) && i + 1 < out.size()) out.set(i + 1, shipped(out.get(i + 1)));
                else if (a.startsWith(flag + "=")) out.set(i, flag + "=" + shipped(a.substring(flag.length() + 1)));
            }
        }
        return out;
    }

    /** {@code path} if it exists here, else the file of its name shipped with --files, if any. */
    private static String shipped(String path) {
        if (Files.exists(Path.of(path)) || TaskContext.get() == null) return path;
        String name = Path.of(path).getFileName().toString();
        File f = new File(SparkFiles.get(name));
        return f.exists() ? f.getPath() : path;
    }

    private static String dataPath(List<String> args) {
        for (int i = 0; i + 1 < args.size(); i++) if (args.get(i).equals("--data")) return args.get(i + 1);
        return args.stream().filter(a -> a.startsWith("--data=")).findFirst().map(a -> a.substring(7))
                .orElse("a bundled dataset");
    }

}
