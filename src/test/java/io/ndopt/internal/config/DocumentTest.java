package io.ndopt.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ndopt.data.DataFormatException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Config and spec files: exact types with the line of every key; YAML 1.1's loose scalars and duplicate keys refused.
 */
class DocumentTest {
    @TempDir Path dir;

    private Document read(String name, String text) throws Exception {
        return Document.read(Files.writeString(dir.resolve(name), text));
    }

    @Test
    void aFolderOrAMissingFileIsNamedAsSuch() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("c.yaml"));
        var e = assertThrows(DataFormatException.class, () -> Document.read(folder));
        assertTrue(e.getMessage().contains("is a folder, not a file"), e.getMessage());
        var missing = assertThrows(DataFormatException.class, () -> Document.read(dir.resolve("none.yaml")));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        var csv = assertThrows(DataFormatException.class, () -> io.ndopt.data.Csv.read(dir.resolve("none.csv"), "y"));
        assertTrue(csv.getMessage().endsWith("no such file") && !csv.getMessage().contains("java."), csv.getMessage());
    }

    @Test
    void keepsTypesAndLines() throws Exception {
        Document d = read("a.yaml",
                "lr: 1e-3\nepochs: 5\nbig: 123456789012345678901234567890\nopt:\n  betas: [0.9, 0.99]\n  amsgrad: "
                        + "true\n");
        assertEquals(0.001, d.root().get("lr"));
        assertEquals(5L, d.root().get("epochs"));
        assertEquals(new BigInteger("123456789012345678901234567890"), d.root().get("big"));
        assertEquals(Map.of("betas", List.of(0.9, 0.99), "amsgrad", true), d.root().get("opt"));
        assertEquals(dir.resolve("a.yaml") + ":5", d.where("opt.betas"));
        assertEquals(dir.resolve("a.yaml") + ":2", d.raw().get("epochs").where());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "flag: yes | true or false", "flag: off | true or false", "seed: 0x10 | plain decimal",
                    "seed: 010 | plain decimal",
            "seed: 1_000 | plain decimal", "lr: .inf | plain decimal", "a: 1\\na: 2 | given twice",
            "[1, 2] | a mapping", "lr: [0.1 | malformed YAML"})
    void looseYamlIsRefused(String text, String says) {
        String m = assertThrows(ConfigException.class, () -> read("b.yaml", text.replace("\\n", "\n"))).getMessage();
        assertTrue(m.contains("b.yaml") && m.contains(says), m);
    }

    @Test
    void jsonSyntaxErrorsHaveLineAndColumn() {
        String m = assertThrows(ConfigException.class, () -> read("c.json", "{\"lr\": 0.1,\n \"epochs\": }"))
                .getMessage();
        assertTrue(m.contains("c.json:2:") && m.contains("malformed JSON"), m);
        m = assertThrows(ConfigException.class, () -> read("d.json", "{\"lr\": NaN}")).getMessage();
        assertTrue(m.contains("d.json:1"), m);
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThrows(DataFormatException.class, () -> Document.read(dir.resolve("none.yaml")));
    }
}
