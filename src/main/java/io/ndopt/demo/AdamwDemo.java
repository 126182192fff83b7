package io.ndopt.demo;

import java.nio.file.Path;
import java.util.Map;

final class AdamwDemo {
    private AdamwDemo() {}

    static Map<String, Object> run(Path dir, long seed) { throw new UnsupportedOperationException("todo"); }
}
