package io.ndopt.internal.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ndopt.data.DataFormatException;
import io.ndopt.internal.io.IoMessages;
import io.ndopt.internal.io.Numbers;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON or YAML file read as plain data (Map, List, String, Boolean, Long/BigInteger, Double) with
 * the line of every key, so that later errors can say {@code run.yaml:7: setting 'epochs' must be an
 * integer, got 1.7}. The top level must be a mapping; a key given twice is an error (JSON and YAML
 * parsers otherwise keep the last one silently). Syntax errors name file, line and column.
 *
 * @param lines line of each key by dotted path ({@code optimizer.lr})
 */
public record Document(Path file, Map<String, Object> root, Map<String, Integer> lines) {
    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonFactory YAML = new YAMLFactory();

    public Document {
        root = Collections.unmodifiableMap(root);
        lines = Collections.unmodifiableMap(lines);
    }

    /**
     * Reads JSON ({@code .json}) or YAML (anything else). A missing or unreadable file is a
     * {@link DataFormatException} (I/O, exit 1); malformed content is a {@link ConfigException} (exit 2).
     */
    public static Document read(Path file) {
        String notAFile = IoMessages.notAFile(file);
        if (notAFile != null) throw new DataFormatException(file.toString(), 0, null, notAFile);
        JsonFactory f = file.toString().toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
        Map<String, Integer> lines = new LinkedHashMap<>();
        try (JsonParser p = f.createParser(file.toFile())) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new ConfigException(file + ": expected a mapping of settings at the top level");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) value(p, "", lines, file);
            if (p.nextToken() != null) {
                throw new ConfigException(file + ":" + p.currentLocation().getLineNr()
                        + ": unexpected content after the top-level mapping");
            }
            return new Document(file, root, lines);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String at = loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new ConfigException(file + at + ": malformed " + (f == JSON ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage().split("\n")[0].replaceFirst(": enable `.*` to allow$", ""));
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new DataFormatException(file.toString(), 0, null, "cannot read: " + IoMessages.of(file, e));
        }
    }

    /**
     * A path named inside this file: relative to the file's own folder (the one rule for every file that names
     * another, config files and {@code fit} specs alike), absolute paths unchanged.
     */
    public Path resolve(String name) {
        return file.toAbsolutePath().getParent().resolve(name).normalize();
    }

    /** {@code file:line} of a key path, for error messages. */
    public String where(String path) {
        Integer line = lines.get(path);
        return file + (line == null ? "" : ":" + line);
    }

    /** The top-level entries as raw typed values, each with its file and line. */
    public Map<String, Raw> raw() {
        Map<String, Raw> m = new LinkedHashMap<>();
        root.forEach((k, v) -> m.put(k, Raw.typed(v, where(k))));
        return m;
    }

    /**
     * YAML 1.1 also reads {@code yes}, {@code on}, {@code 0x10}, {@code 010} (octal 8), {@code 1_000} as booleans and
     * numbers; ndopt does not.
     */
    private static void plain(JsonParser p, String path, Path file, boolean ok, String expected) throws IOException {
        if (!ok) {
            throw new ConfigException(file + ":" + p.currentLocation().getLineNr() + ": key '" + path + "': write "
                    + expected + ", got '" + p.getText() + "' (quote it if it is meant as text)");
        }
    }

    private static Object value(JsonParser p, String path, Map<String, Integer> lines, Path file) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName(), sub = path.isEmpty() ? key : path + "." + key;
                    int line = p.currentLocation().getLineNr();
                    if (m.containsKey(key)) {
                        throw new ConfigException(file + ":" + line + ": key '" + sub
                                + "' is given twice (also at line " + lines.get(sub) + ")");
                    }
                    lines.put(sub, line);
                    p.nextToken();
                    m.put(key, value(p, sub, lines, file));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(value(p, path + "[" + i++ + "]", lines, file));
                return l;
            }
            case VALUE_STRING -> { return p.getText(); }
            case VALUE_NUMBER_INT -> {
                plain(p, path, file, Numbers.isDecimal(p.getText()) && !p.getText().matches("[+-]?0\\d+"),
                        "numbers in plain decimal notation (YAML reads 010 as octal 8)");
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue()
                        : (Object) p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                plain(p, path, file, Numbers.isDecimal(p.getText()), "numbers in plain decimal notation");
                return p.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                plain(p, path, file, p.getText()
                        .equalsIgnoreCase(String.valueOf(p.currentToken() == JsonToken.VALUE_TRUE)), "true or false");
                return p.currentToken() == JsonToken.VALUE_TRUE;
            }
            case VALUE_NULL -> { return null; }
            default -> throw new JsonParseException(p, "unexpected " + p.currentToken());
        }
    }
}
