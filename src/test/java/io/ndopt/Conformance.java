package io.ndopt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Access to the PyTorch-computed conformance cases (a copy of shared/conformance under test resources). */
public final class Conformance {
    public static final ObjectMapper JSON = new ObjectMapper();

    private Conformance() {}

    public static Path dir() {
        try {
            return Path.of(Conformance.class.getResource("/conformance/index.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path file(String name) { return dir().resolve(name); }

    public static JsonNode read(String name) {
        try {
            return JSON.readTree(file(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The trajectory and trajectory-pair cases listed in index.json. */
    public static Stream<String> trajectoryCases() {
        List<String> names = new ArrayList<>();
        read("index.json").get("cases").forEach(c -> {
            if (c.get("kind").asText().startsWith("trajectory")) names.add(c.get("file").asText());
        });
        try (var files = Files.list(dir())) {
            files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".json") && !names.contains(f)
                    && !f.equals("index.json") && read(f).path("kind").asText().startsWith("trajectory"))
                    .forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names.stream().sorted();
    }

    public static double[] doubles(JsonNode n) { return JSON.convertValue(n, double[].class); }
    public static double[][] matrix(JsonNode n) { return JSON.convertValue(n, double[][].class); }
}
