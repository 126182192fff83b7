package io.ndopt.demo;

import java.nio.file.Path;
import java.util.Map;

final class LambdaCvDemo {
    private LambdaCvDemo() {}

    static Map<String, Object> run(Path dir, long seed) { throw new UnsupportedOperationException("todo"); }
}
