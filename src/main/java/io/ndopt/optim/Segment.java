package io.ndopt.optim;

import io.ndopt.param.Param;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters that share every step scalar (one group, all regularized or all not, one dtype),
 * with arrays covering them: in the flat layout one contiguous range of the flat buffers, in the
 * tensor layout a single parameter.
 */
final class Segment {
    final String group;
    final GroupOptions options;
    final List<Param> params;
    final INDArray value;
    final INDArray grad;
    final INDArray[] state;
    /** L1-with-factors and group proxes after the update; set once by {@link SegmentPlan}. */
    StructuredProx prox = StructuredProx.NONE;

    Segment(String group, GroupOptions options, List<Param> params, INDArray value, INDArray grad, INDArray[] state) {
        this.group = group;
        this.options = options;
        this.params = params;
        this.value = value;
        this.grad = grad;
        this.state = state;
    }

    long length() { return value.length(); }
}
