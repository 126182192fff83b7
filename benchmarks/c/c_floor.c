/* c_floor: the machine's real limit for one optimizer step, in C.
 *
 * Each bench's exact arithmetic (the rule, hyper-parameters, dtype and memory layout of
 * OptimizerStepBench, in the order of io.ndopt.optim.ReferenceUpdate) over arrays of the same size,
 * compiled by benchmarks/run with gcc -O3 -march=native -fno-math-errno -fopenmp, on 2 threads.
 * Without -fno-math-errno gcc does not vectorize sqrt (PERF-NOTES).
 *
 *   c_floor BENCH LAYOUT N DTYPE [CHECK]   BENCH: sgd_l2|adam|adamw|adamw_l1, LAYOUT: flat|tensors1000,
 *                                          DTYPE: float32|float64, CHECK: 1 = also a Σg² pass first
 * prints one JSON object: the median ms per step over the measured steps.
 *
 *   c_floor serve BENCH LAYOUT N DTYPE     the same arrays, driven by benchmarks/ab/FloorAB.java through
 *                                          stdin: each line "K CHECK" runs K steps (the step count goes on
 *                                          across lines) and answers one line of K times in ms; EOF ends it.
 *                                          So the JVM and the C loop take turns on the same machine, any JDK.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { WARMUP = 10, STEPS = 40, THREADS = 2 };

typedef struct {             /* one step's scalars, as io.ndopt.optim.StepScalars + Rule resolve them */
    double gs, decay, l2, neg_lr, thr, mu, omd, b1, b2, omb1, omb2, eps, bc2_sqrt, neg_step;
    int first, adam, prox;
} scalars;

/* The update of one tensor of n elements, written once per element type by a macro. */
#define KERNELS(T, SQRT, NAME)                                                                      \
static void update_##NAME(const scalars *s, T *restrict p, const T *restrict g, T *restrict m,      \
                          T *restrict v, long n) {                                                  \
    const T gs = (T) s->gs, decay = (T) s->decay, l2 = (T) s->l2, thr = (T) s->thr;                 \
    if (s->adam) {                                                                                  \
        const T b1 = (T) s->b1, b2 = (T) s->b2, omb1 = (T) s->omb1, omb2 = (T) s->omb2;             \
        const T eps = (T) s->eps, bc2 = (T) s->bc2_sqrt, step = (T) s->neg_step;                    \
        for (long i = 0; i < n; i++) {                                                              \
            T w = p[i], d = g[i] * gs;                                                              \
            if (l2 != 0) d = d + w * l2;                                                            \
            if (decay != 1) w = w * decay;                                                          \
            T mi = m[i] * b1 + d * omb1, vi = v[i] * b2 + d * d * omb2;                             \
            m[i] = mi; v[i] = vi;                                                                   \
            w = w + mi / (SQRT(vi) / bc2 + eps) * step;                                             \
            if (s->prox) w = w > thr ? w - thr : (w < -thr ? w + thr : 0);                          \
            p[i] = w;                                                                               \
        }                                                                                           \
    } else {                                                                                        \
        const T mu = (T) s->mu, omd = (T) s->omd, neg_lr = (T) s->neg_lr;                           \
        for (long i = 0; i < n; i++) {                                                              \
            T w = p[i], d = g[i] * gs;                                                              \
            if (l2 != 0) d = d + w * l2;                                                            \
            if (decay != 1) w = w * decay;                                                          \
            T buf = s->first ? d : m[i] * mu + d * omd;                                             \
            m[i] = buf;                                                                             \
            w = w + buf * neg_lr;                                                                   \
            p[i] = w;                                                                               \
        }                                                                                           \
    }                                                                                               \
}                                                                                                   \
static double sum_squares_##NAME(const T *restrict g, long n) {  /* 64 partial sums: not latency-bound */ \
    T acc[64] = {0};                                                                                \
    long i = 0;                                                                                     \
    for (; i + 64 <= n; i += 64)                                                                    \
        for (int j = 0; j < 64; j++) acc[j] += g[i + j] * g[i + j];                                 \
    for (; i < n; i++) acc[i % 64] += g[i] * g[i];                                                  \
    T sum = 0;                                                                                      \
    for (int j = 0; j < 64; j++) sum += acc[j];                                                     \
    return sum;                                                                                     \
}
KERNELS(float, sqrtf, f32)
KERNELS(double, sqrt, f64)

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* The hyper-parameters of OptimizerStepBench.recipe() at step t (lr 1e-3, no clipping). */
static scalars resolve(const char *bench, long t) {
    scalars s = {.gs = 1, .decay = 1, .b1 = 0.9, .b2 = 0.999, .eps = 1e-8, .first = t == 1};
    double lr = 1e-3;
    s.neg_lr = -lr;
    s.omb1 = 1 - s.b1;
    s.omb2 = 1 - s.b2;
    if (strcmp(bench, "sgd_l2") == 0) {
        s.mu = 0.9; s.omd = 1; s.l2 = 1e-4;
    } else {
        s.adam = 1;
        if (strcmp(bench, "adam") != 0) s.decay = 1 - lr * 1e-2;
        if (strcmp(bench, "adamw_l1") == 0) { s.prox = 1; s.thr = lr * 1e-5; }
        s.bc2_sqrt = sqrt(1 - pow(s.b2, (double) t));
        s.neg_step = -(lr / (1 - pow(s.b1, (double) t)));
    }
    return s;
}

/* One step over `tensors` tensors of `each` elements (arr: p, g, m, v per tensor), 8 slices per tensor so both
 * threads are busy on one flat tensor: the Σg² pass first when check is 1 (returning its non-finite value without
 * updating), then the update. Returns the Σg² (0 without the pass). */
static double one_step(const scalars *s, void **arr, long tensors, long each, int f32, int check) {
    double sq = 0;
    if (check) {
        #pragma omp parallel for reduction(+:sq) schedule(static)
        for (long c = 0; c < tensors * 8L; c++) {
            long k = c / 8, lo = each * (c % 8) / 8, hi = each * (c % 8 + 1) / 8;
            sq += f32 ? sum_squares_f32((float *) arr[4 * k + 1] + lo, hi - lo)
                      : sum_squares_f64((double *) arr[4 * k + 1] + lo, hi - lo);
        }
        if (!isfinite(sq)) return sq;
    }
    #pragma omp parallel for schedule(static)
    for (long c = 0; c < tensors * 8L; c++) {
        long k = c / 8, lo = each * (c % 8) / 8, hi = each * (c % 8 + 1) / 8;
        if (f32) update_f32(s, (float *) arr[4 * k] + lo, (float *) arr[4 * k + 1] + lo,
                            (float *) arr[4 * k + 2] + lo, (float *) arr[4 * k + 3] + lo, hi - lo);
        else update_f64(s, (double *) arr[4 * k] + lo, (double *) arr[4 * k + 1] + lo,
                        (double *) arr[4 * k + 2] + lo, (double *) arr[4 * k + 3] + lo, hi - lo);
    }
    return sq;
}

/* One step of BENCH over one flat tensor of n elements at step t, on buffers the caller owns: the in-process
 * entry point that benchmarks/ab/KernelAB.java calls through FFM on ndopt's own buffers (a shared library
 * built by benchmarks/run --ab). Returns the Σg² (0 without the pass). */
double c_floor_step(const char *bench, int f32, void *p, void *g, void *m, void *v, long n, long t, int check) {
    omp_set_num_threads(THREADS);
    scalars s = resolve(bench, t);
    void *arr[4] = {p, g, m, v};
    return one_step(&s, arr, 1, n, f32, check);
}

/* The serve mode's loop: "K CHECK" lines in, one line of K step times (ms) out per line. */
static int serve_steps(const char *bench, void **arr, long tensors, long each, int f32) {
    long t = 0, k;
    int check;
    while (scanf("%ld %d", &k, &check) == 2 && k > 0) {
        for (long i = 0; i < k; i++) {
            scalars s = resolve(bench, ++t);
            double t0 = now_ms();
            if (!isfinite(one_step(&s, arr, tensors, each, f32, check))) {
                fprintf(stderr, "c_floor: non-finite gradient\n");
                return 1;
            }
            printf("%s%.5f", i ? " " : "", now_ms() - t0);
        }
        printf("\n");
        fflush(stdout);
    }
    return 0;
}

int main(int argc, char **argv) {
    int serve = argc > 1 && strcmp(argv[1], "serve") == 0;
    if (serve) {
        argc--;
        argv++;
    }
    if (argc < 5) {
        fprintf(stderr, "usage: c_floor BENCH LAYOUT N DTYPE [CHECK] | c_floor serve BENCH LAYOUT N DTYPE\n");
        return 2;
    }
    const char *bench = argv[1], *layout = argv[2], *dtype = argv[4];
    long n = atol(argv[3]);
    int check = argc > 5 && atoi(argv[5]) == 1, f32 = strcmp(dtype, "float32") == 0;
    int tensors = strcmp(layout, "flat") == 0 ? 1 : 1000;
    if (n <= 0 || n % tensors != 0 || (!f32 && strcmp(dtype, "float64") != 0)
        || (strcmp(layout, "flat") != 0 && strcmp(layout, "tensors1000") != 0)) {
        fprintf(stderr, "c_floor: bad arguments (n=%s, layout=%s, dtype=%s)\n", argv[3], layout, dtype);
        return 2;
    }
    long each = n / tensors;
    size_t width = f32 ? 4 : 8;
    void **arr = calloc(4 * (size_t) tensors, sizeof(void *));  /* p, g, m, v per tensor */
    srand(1);
    for (int k = 0; k < 4 * tensors; k++) {
        arr[k] = aligned_alloc(64, (each * width + 63) / 64 * 64);
        for (long i = 0; i < each; i++) {
            double x = k % 4 == 0 ? rand() / (double) RAND_MAX - 0.5 : k % 4 == 1 ? (rand() / (double) RAND_MAX - 0.5) * 1e-2 : 0;
            if (f32) ((float *) arr[k])[i] = (float) x; else ((double *) arr[k])[i] = x;
        }
    }
    omp_set_num_threads(THREADS);
    if (serve) return serve_steps(bench, arr, tensors, each, f32);
    double times[STEPS];
    for (long t = 1; t <= WARMUP + STEPS; t++) {
        scalars s = resolve(bench, t);
        double t0 = now_ms();
        if (!isfinite(one_step(&s, arr, tensors, each, f32, check))) {
            fprintf(stderr, "c_floor: non-finite gradient\n");
            return 1;
        }
        if (t > WARMUP) times[t - WARMUP - 1] = now_ms() - t0;
    }
    qsort(times, STEPS, sizeof(double), cmp);
    printf("{\"bench\": \"%s\", \"impl\": \"%s\", \"layout\": \"%s\", \"n\": %ld, \"dtype\": \"%s\", \"ms_median\": %.4f, "
           "\"ms_min\": %.4f, \"ms_p10\": %.4f}\n", bench, check ? "c_floor_check" : "c_floor", layout, n, dtype,
           (times[STEPS / 2 - 1] + times[STEPS / 2]) / 2, times[0], times[STEPS / 10]);
    return 0;
}
