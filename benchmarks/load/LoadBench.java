import io.ndopt.data.DataFiles;
import io.ndopt.data.Dataset;
import io.ndopt.data.ParquetCodecs;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Load-time benchmark of io.ndopt.data.DataFiles (run by run_load_bench.sh, one JVM per file):
 *   java -cp target/ndopt-cli.jar benchmarks/load/LoadBench.java load FILE REPEATS
 * prints one JSON line: the seconds of each load (float32 dataset, target = last column) and the growth of
 * the process's peak resident memory during each load (VmHWM after it minus VmRSS before it, VmHWM reset
 * through /proc/self/clear_refs first). The first load also pays class loading and JIT compilation.
 *   java -cp target/ndopt-cli.jar benchmarks/load/LoadBench.java parquet IN.npy OUT.parquet
 * writes IN's table as a SNAPPY Parquet file of float columns x0.., y (parquet-java, no Hadoop).
 */
public class LoadBench {
    public static void main(String[] a) throws Throwable {
        if (a[0].equals("parquet")) {
            toParquet(Path.of(a[1]), Path.of(a[2]));
            return;
        }
        Path file = Path.of(a[1]);
        int repeats = Integer.parseInt(a[2]);
        Nd4j.create(DataType.FLOAT, 4, 4).addi(1);     // backend loaded before the baseline
        List<Double> secs = new ArrayList<>(), growth = new ArrayList<>();
        int rows = 0, cols = 0;
        for (int i = 0; i < repeats; i++) {
            System.gc();
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");   // resets VmHWM to the current RSS
            long before = status("VmRSS:");
            long t0 = System.nanoTime();
            Dataset d = DataFiles.load(file, null, false, DataType.FLOAT);
            secs.add((System.nanoTime() - t0) / 1e9);
            growth.add((status("VmHWM:") - before) / 1e6);
            rows = d.size();
            cols = d.features() + 1;
            d = null;
        }
        double datasetMb = rows * (double) cols * 4 / 1e6;
        System.out.printf("{\"file\": \"%s\", \"bytes\": %d, \"rows\": %d, \"cols\": %d, \"seconds\": %s, "
                + "\"float32_mb\": %.1f, \"peak_rss_growth_mb\": %s, \"java\": \"%s\"}%n", file.getFileName(),
                Files.size(file), rows, cols, secs, datasetMb, growth, System.getProperty("java.version"));
    }

    /** A line of /proc/self/status in bytes. */
    private static long status(String key) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith(key)) return Long.parseLong(l.replaceAll("\\D+", "")) * 1024;
        }
        throw new IllegalStateException(key);
    }

    private static void toParquet(Path in, Path out) throws Throwable {
        Dataset d = DataFiles.load(in, null, false, DataType.FLOAT);
        int p = d.features();
        Types.MessageTypeBuilder mb = Types.buildMessage();
        for (int j = 0; j < p; j++) mb.required(PrimitiveTypeName.FLOAT).named("x" + j);
        MessageType type = mb.required(PrimitiveTypeName.FLOAT).named("y").named("table");
        Files.deleteIfExists(out);
        var lookup = MethodHandles.publicLookup();   // builder(OutputFile) and withConf(ParquetConfiguration) have
        Object b = lookup.findStatic(ExampleParquetWriter.class, "builder",  // Hadoop-typed overloads
                MethodType.methodType(ExampleParquetWriter.Builder.class, OutputFile.class)).invoke(new LocalOutputFile(out));
        b = lookup.findVirtual(ParquetWriter.Builder.class, "withConf",
                MethodType.methodType(ParquetWriter.Builder.class, ParquetConfiguration.class))
                .invoke(b, new PlainParquetConfiguration());
        float[] x = d.x().ravel().toFloatVector(), y = d.y().ravel().toFloatVector();
        try (ParquetWriter<Group> w = ((ExampleParquetWriter.Builder) b).withType(type)
                .withCodecFactory(new ParquetCodecs(out.toString())).withCompressionCodec(CompressionCodecName.SNAPPY)
                .build()) {
            SimpleGroupFactory f = new SimpleGroupFactory(type);
            for (int i = 0; i < d.size(); i++) {
                Group g = f.newGroup();
                for (int j = 0; j < p; j++) g.append("x" + j, x[i * p + j]);
                w.write(g.append("y", y[i]));
            }
        }
    }
}
