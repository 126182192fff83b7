package io.ndopt.glm;

import com.fasterxml.jackson.databind.JsonNode;
import io.ndopt.Conformance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assertions;

/** The scikit-learn reference cases of src/test/resources/glm/paths.json (made by make_reference.py). */
final class Reference {
    private static final JsonNode ROOT = read();

    private Reference() {}

    private static JsonNode read() {
        try (var in = Reference.class.getResourceAsStream("/glm/paths.json")) {
            return Conformance.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode get(String name) {
        for (JsonNode c : ROOT.get("cases")) if (c.get("name").asText().equals(name)) return c;
        throw new IllegalArgumentException("no reference case " + name);
    }

    static Stream<String> names(String kind) {
        return StreamSupport.stream(ROOT.get("cases").spliterator(), false)
                .filter(c -> c.get("kind").asText().equals(kind)).map(c -> c.get("name").asText());
    }

    static Design design(JsonNode c) {
        double[] w = c.has("weights") ? Conformance.doubles(c.get("weights")) : null;
        double[][] x = Conformance.matrix(c.get("X"));
        return Design.ofRows(x, Conformance.doubles(c.get("y")), w,
                IntStream.range(0, x[0].length).mapToObj(j -> "x" + j).toList());
    }

    static void assertClose(double[] expected, double[] actual, double tol, String what) {
        Assertions.assertEquals(expected.length, actual.length, what + " length");
        for (int j = 0; j < expected.length; j++) {
            if (!(Math.abs(expected[j] - actual[j]) <= tol)) {
                throw new AssertionError(what + "[" + j + "]: expected " + expected[j] + ", got " + actual[j]
                        + " (|diff| " + Math.abs(expected[j] - actual[j]) + " > " + tol + ")");
            }
        }
    }
}
