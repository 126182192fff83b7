package io.ndopt.internal.cuda;

/**
 * A failed CUDA driver or NVRTC call. The message names the call and the library's own error name
 * and text, e.g. {@code cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory) while
 * allocating 400000000 bytes}.
 */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final int code;

    CudaException(String call, int code, String name, String text, String context) {
        super(message(call, code, name, text, context));
        this.call = call;
        this.code = code;
    }

    static String message(String call, int code, String name, String text, String context) {
        String what = name == null || name.isBlank() ? "error " + code : name;
        String detail = text == null || text.isBlank() || text.equals(name) ? "" : " (" + text + ")";
        return call + " failed: " + what + detail + (context == null || context.isBlank() ? "" : " while " + context);
    }

    /** The function that failed, e.g. "cuMemAlloc_v2". */
    public String call() { return call; }

    /** The CUresult / nvrtcResult code. */
    public int code() { return code; }
}
