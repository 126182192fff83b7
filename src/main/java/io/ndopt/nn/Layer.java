package io.ndopt.nn;

import io.ndopt.param.Param;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A differentiable layer: forward caches what backward needs; backward writes parameter gradients. */
public interface Layer {
    INDArray forward(INDArray x);

    /**
     * Given dL/d(output) of the last forward, writes dL/d(param) into each parameter's gradient and
     * returns dL/d(input).
     */
    INDArray backward(INDArray dOut);

    List<Param> params();

    String name();
}
