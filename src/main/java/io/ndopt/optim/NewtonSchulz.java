package io.ndopt.optim;

import io.ndopt.backend.Backend;
import io.ndopt.backend.Blas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Muon's Newton–Schulz ({@link ReferenceUpdate#newtonSchulz}) in place, for one A×B matrix: four workspaces allocated
 * once (X and X' of r×k, S and the update of r×r, r = min(A, B), k = max(A, B)), every product one BLAS gemm straight
 * into a workspace with transpose flags and {@code alpha}/{@code beta} doing the scaling and the sums, so an iteration
 * allocates nothing. Per iteration, as the reference: {@code S = X·Xᵀ}, {@code P = b·S + c·S·S},
 * {@code X' = a·X + P·X} (gemm adds the terms in its own order: equal to the reference up to rounding).
 */
final class NewtonSchulz {
    private final boolean tall;
    private final int r, k;
    private final INDArray x, next, gram, poly;

    NewtonSchulz(DataType dtype, long rows, long cols) {
        this.tall = rows > cols;
        this.r = (int) Math.min(rows, cols);
        this.k = (int) Math.max(rows, cols);
        this.x = Nd4j.create(dtype, r, k);
        this.next = Nd4j.create(dtype, r, k);
        this.gram = Nd4j.create(dtype, r, r);
        this.poly = Nd4j.create(dtype, r, r);
    }

    /** Whether the in-place path takes parameters of {@code dtype}: float or double on the CPU backend. */
    static boolean supports(DataType dtype) {
        return Backend.isCpu() && (dtype == DataType.FLOAT || dtype == DataType.DOUBLE);
    }

    /**
     * The orthogonalization of {@code u} (A×B): a view of a workspace (transposed back when A &gt; B), valid until the
     * next call; the caller may scale it in place.
     */
    INDArray orthogonalize(Rule.Muon rule, INDArray u) {
        x.assign(tall ? u.transpose() : u);
        x.divi(Math.max(x.norm2Number().doubleValue(), rule.eps()));         // X / max(‖X‖_F, eps)
        INDArray cur = x, nxt = next;
        DataType dt = x.dataType();
        for (int i = 0; i < rule.nsSteps(); i++) {
            Blas.gemm(dt, false, true, r, r, k, 1.0, Blas.pointer(cur), Blas.pointer(cur), 0, Blas.pointer(gram));
            poly.assign(gram);                                                           // S = X·Xᵀ
            Blas.gemm(dt, false, false, r, r, r, rule.c(), Blas.pointer(gram), Blas.pointer(gram), rule.b(),
                    Blas.pointer(poly));                                                 // P = b·S + c·S·S
            nxt.assign(cur);
            Blas.gemm(dt, false, false, r, k, r, 1.0, Blas.pointer(poly), Blas.pointer(cur), rule.a(),
                    Blas.pointer(nxt));                                                  // X' = a·X + P·X
            INDArray t = cur;
            cur = nxt;
            nxt = t;
        }
        return tall ? cur.transpose() : cur;
    }
}
