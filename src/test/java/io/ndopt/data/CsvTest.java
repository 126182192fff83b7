package io.ndopt.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.nn.Activation;
import io.ndopt.nn.Loss;
import io.ndopt.nn.Sequential;
import io.ndopt.optim.Optimizer;
import io.ndopt.train.Trainer;
import io.ndopt.train.TrainerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** CSV loading: BOM, CRLF, quoting, and errors that name file, line and column; non-finite data names the row. */
class CsvTest {
    @TempDir Path dir;

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsBomCrlfQuotedHeaderAndTargetColumn() throws Exception {
        Csv.Table t = Csv.read(write("a.csv", "\uFEFF\"x1\",y,x2\r\n1,10,2\r\n3,30,4\r\n\r\n"), "y");
        assertEquals(List.of("x1", "x2"), t.featureNames());
        assertArrayEquals(new double[] {10, 30}, t.y());
        assertArrayEquals(new double[] {3, 4}, t.x()[1]);
    }

    @Test
    void errorsNameFileLineAndColumn() throws Exception {
        var missing = assertThrows(DataFormatException.class, () -> Csv.read(write("m.csv", "a,b,y\n1,,3\n"), null));
        assertTrue(missing.getMessage().contains("m.csv:2") && missing.getMessage().contains("'b'")
                && missing.getMessage().contains("missing"), missing.getMessage());
        var cols = assertThrows(DataFormatException.class, () -> Csv.read(write("c.csv", "a,y\n1,2\n1,2,3\n"), null));
        assertTrue(cols.getMessage().contains("c.csv:3") && cols.getMessage().contains("expected 2 columns"),
                cols.getMessage());
        var text = assertThrows(DataFormatException.class, () -> Csv.read(write("t.csv", "a,y\n1,2\nfoo,3\n"), null));
        assertTrue(text.getMessage().contains("t.csv:3") && text.getMessage().contains("'a'")
                && text.getMessage().contains("foo"), text.getMessage());
        var target = assertThrows(DataFormatException.class, () -> Csv.read(write("g.csv", "a,y\n1,2\n"), "label"));
        assertTrue(target.getMessage().contains("label"), target.getMessage());
        var label = assertThrows(DataFormatException.class,
                () -> CsvDataset.load(write("l.csv", "a,y\n1,0\n2,1.5\n"), "y", true, DataType.FLOAT));
        assertTrue(label.getMessage().contains("l.csv:3"), label.getMessage());
    }

    @Test
    void nonFiniteTrainingDataNamesTheRow() {
        Dataset d = Dataset.of(new double[][] {{1, 2}, {3, Double.NaN}, {5, 6}}, new double[] {1, 2, 3},
                DataType.DOUBLE);
        Sequential m = Sequential.mlp(2, new int[0], 1, Activation.RELU, Activation.IDENTITY, DataType.DOUBLE, 1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(m, Loss.MSE, Optimizer.sgd(0.1).build(m.params()),
                TrainerOptions.defaults().withEpochs(1)).fit(d, null));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("features"), e.getMessage());
    }
}
