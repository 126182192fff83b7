package io.ndopt.internal.config;

/**
 * A configuration the user gave is invalid: unknown key, wrong type, value out of range, a setting
 * that would have no effect, or a refused output folder. The message names the key and where it
 * came from (flag, file and line, or spec). The CLI exits with status 2 for it, from every command.
 */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) { super(message); }
}
