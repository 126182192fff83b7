/**
 * Argument checks every package shares, so the same mistake reads the same everywhere: {@link
 * io.ndopt.check.Require} (range checks) and {@link io.ndopt.check.EnumNames} (enum spellings and aliases).
 * A leaf: it uses no other ndopt package.
 */
package io.ndopt.check;
