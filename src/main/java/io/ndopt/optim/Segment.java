package io.ndopt.optim;

import io.ndopt.param.Param;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters that share every step scalar (one group, all regularized or all not, one dtype),
 * with arrays covering them: in the flat layout one contiguous range of the flat buffers, in the
 * tensor layout a single parameter. Built once by {@link SegmentPlan}.
 *
 * @param state the rule's state over the same elements, in {@link Rule#stateNames()} order
 * @param prox  the L1-with-factors and group proxes applied after the update
 */
record Segment(String group, GroupOptions options, List<Param> params, INDArray value, INDArray grad, INDArray[] state,
               StructuredProx prox) {
    long length() { return value.length(); }
}
