/**
 * ndopt inside Deeplearning4j: {@link io.ndopt.dl4j.NdoptUpdater} (ndopt's SGD and Adam rules with
 * PyTorch's semantics as a DL4J {@code IUpdater}) and {@link io.ndopt.dl4j.ProximalL1} (the soft
 * threshold as a post-updater {@code Regularization}, giving exact zeros).
 *
 * <p>AdamW needs nothing more: DL4J's own {@code WeightDecay(wd, true)} adds {@code lr·wd·w} to the
 * update after the updater, with {@code lr} the updater's scheduled rate, which is PyTorch's
 * decoupled decay {@code w ← w·(1 − lr·wd) − adam(g)}. With {@code NdoptUpdater} it follows ndopt's
 * AdamW step for step (tested with constant and scheduled rates). List the regularizations per layer,
 * decay first and {@code ProximalL1} last.
 */
package io.ndopt.dl4j;
