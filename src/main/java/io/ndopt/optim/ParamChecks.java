package io.ndopt.optim;

import io.ndopt.param.Param;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Build-time checks of a parameter list: no null, no two parameters over the same memory. */
final class ParamChecks {
    private ParamChecks() {}

    /** Refuses a null list or a null element, naming its index. */
    static void requireNoNulls(Collection<Param> params, String what) {
        if (params == null) throw new IllegalArgumentException(what + " is null");
        int i = 0;
        for (Param p : params) {
            if (p == null) throw new IllegalArgumentException(what + ": the element at index " + i + " is null");
            i++;
        }
    }

    private record Span(Param param, long from, long to) {}

    /**
     * Refuses two parameters whose values share memory (the same array, or overlapping views of one):
     * the optimizer would update each on its own copy and tie nothing. Views over disjoint ranges of one array
     * are fine; strided views whose address ranges interleave (two columns of one matrix) are refused too.
     */
    static void requireDistinctStorage(Collection<Param> params) {
        List<Span> spans = new ArrayList<>();
        for (Param p : params) {
            INDArray v = p.value();
            if (v.isEmpty()) continue;
            long first = v.data().addressPointer().address(), extent = 1;
            for (int d = 0; d < v.rank(); d++) extent += (v.size(d) - 1) * Math.abs(v.stride(d));
            spans.add(new Span(p, first, first + extent * v.dataType().width()));
        }
        spans.sort(Comparator.comparingLong(Span::from));
        for (int i = 1; i < spans.size(); i++) {
            Span a = spans.get(i - 1), b = spans.get(i);
            if (b.from() < a.to()) {
                throw new IllegalArgumentException("parameters '" + a.param().name() + "' and '" + b.param().name()
                        + "' share memory (the same array, or overlapping views of one): an optimizer would update"
                        + " them as two independent copies; give one Param per tensor (tie weights by sharing a Param)");
            }
        }
    }
}
