/**
 * Argument checks every package shares, so the same mistake reads the same everywhere: {@link
 * io.ndopt.internal.validate.Require} (range checks) and {@link io.ndopt.internal.validate.EnumNames} (enum spellings and aliases).
 * A leaf: it uses no other ndopt package.
 */
package io.ndopt.internal.validate;
