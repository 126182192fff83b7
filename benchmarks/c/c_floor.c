/* c_floor: the machine's real limit for one optimizer step, in C.
 *
 * Each bench's exact arithmetic (the rule, hyper-parameters, dtype and memory layout of
 * OptimizerStepBench, in the order of io.ndopt.optim.ReferenceUpdate) over arrays of the same size,
 * compiled by benchmarks/run with gcc -O3 -march=native -fno-math-errno -fopenmp, on 2 threads.
 * Without -fno-math-errno gcc does not vectorize sqrt (PERF-NOTES).
 *
 *   c_floor BENCH LAYOUT N DTYPE [CHECK]   BENCH: sgd_l2|adam|adamw|adamw_l1, or one of the element-wise rules
 *                                          at its defaults and lr 1e-3: rmsprop|adagrad|adadelta|adamax|nadam|
 *                                          radam|rprop|lion (the loops of VectorKernels' rule records), LAYOUT: flat|tensors1000,
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
    int rule;                /* 0: sgd/adam above; else an element-wise rule (RULES), its own scalars in r[] */
    double r[9];             /* in KernelScalars.Family's order after the common four */
} scalars;

/* The element-wise rules, in the order of KernelScalars.Family after SGD and ADAM. */
static const char *RULES[] = {"", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam", "rprop", "lion"};
enum { RMSPROP = 1, ADAGRAD, ADADELTA, ADAMAX, NADAM, RADAM, RPROP, LION, NRULES };

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

/* One step of an element-wise rule at its defaults (no decay, L2 or L1: the arithmetic of the rule itself) over
 * one tensor, as the loop records of src/main/templates/VectorKernels.java.template; a = first state array,
 * b = second. One loop per rule, so each vectorizes on its own. */
#define RULE_KERNELS(T, SQRT, FABS, NAME)                                                           \
static void rule_##NAME(const scalars *s, T *restrict p, const T *restrict g, T *restrict a,        \
                        T *restrict b, long n) {                                                    \
    const T gs = (T) s->gs, r0 = (T) s->r[0], r1 = (T) s->r[1], r2 = (T) s->r[2], r3 = (T) s->r[3];  \
    const T r4 = (T) s->r[4], r5 = (T) s->r[5], r6 = (T) s->r[6], r7 = (T) s->r[7], r8 = (T) s->r[8]; \
    switch (s->rule) {                                                                              \
    case RMSPROP:   /* alpha, 1 − alpha, eps, −lr */                                                \
        for (long i = 0; i < n; i++) {                                                              \
            T d = g[i] * gs, sq = a[i] * r0 + d * d * r1;                                           \
            a[i] = sq;                                                                              \
            p[i] = p[i] + d / (SQRT(sq) + r2) * r3;                                                 \
        }                                                                                           \
        break;                                                                                      \
    case ADAGRAD:   /* init, eps, −clr; the sum starts at init */                                   \
        for (long i = 0; i < n; i++) {                                                              \
            T d = g[i] * gs, sum = (s->first ? r0 : a[i]) + d * d;                                  \
            a[i] = sum;                                                                             \
            p[i] = p[i] + d / (SQRT(sum) + r1) * r2;                                                \
        }                                                                                           \
        break;                                                                                      \
    case ADADELTA:  /* rho, 1 − rho, eps, −lr */                                                    \
        for (long i = 0; i < n; i++) {                                                              \
            T d = g[i] * gs, sq = a[i] * r0 + d * d * r1, acc = b[i];                               \
            a[i] = sq;                                                                              \
            T delta = SQRT(acc + r2) / SQRT(sq + r2) * d;                                           \
            b[i] = acc * r0 + delta * delta * r1;                                                   \
            p[i] = p[i] + delta * r3;                                                               \
        }                                                                                           \
        break;                                                                                      \
    case ADAMAX:    /* b1, 1 − b1, b2, eps, −lr/(1 − b1^t) */                                       \
        for (long i = 0; i < n; i++) {                                                              \
            T d = g[i] * gs, m = a[i] * r0 + d * r1, u = b[i] * r2, e = FABS(d) + r3;               \
            u = u > e ? u : e;                                                                      \
            a[i] = m; b[i] = u;                                                                     \
            p[i] = p[i] + m / u * r4;                                                               \
        }                                                                                           \
        break;                                                                                      \
    case NADAM:     /* b1, 1 − b1, b2, 1 − b2, 1 − b2^t, eps, cg, cm */                             \
        for (long i = 0; i < n; i++) {                                                              \
            T d = g[i] * gs, m = a[i] * r0 + d * r1, v = b[i] * r2 + d * d * r3;                    \
            a[i] = m; b[i] = v;                                                                     \
            T den = SQRT(v / r4) + r5;                                                              \
            p[i] = p[i] + d / den * r6 + m / den * r7;                                              \
        }                                                                                           \
        break;                                                                                      \
    case RADAM:     /* b1, 1 − b1, b2, 1 − b2, eps, 1 − b1^t, lr, sqrt(1 − b2^t), r_t (rectified steps) */ \
        for (long i = 0; i < n; i++) {                                                              \
            T d = g[i] * gs, m = a[i] * r0 + d * r1, v = b[i] * r2 + d * d * r3;                    \
            a[i] = m; b[i] = v;                                                                     \
            T step = m / r5 * r6;                                                                   \
            if (s->first) step = step * (r7 / (SQRT(v) + r4)) * r8; /* first = rectify here */      \
            p[i] = p[i] - step;                                                                     \
        }                                                                                           \
        break;                                                                                      \
    case RPROP:     /* etaminus, etaplus, step min, step max, lr; prev = 0, step = lr at the first step */ \
        for (long i = 0; i < n; i++) {                                                              \
            T d = g[i] * gs, prev = s->first ? 0 : a[i], step = s->first ? r4 : b[i];               \
            T prod = d * prev, f = prod > 0 ? r1 : (prod < 0 ? r0 : 1);                             \
            step = step * f;                                                                        \
            step = step < r2 ? r2 : (step > r3 ? r3 : step);                                        \
            b[i] = step;                                                                            \
            T gz = prod < 0 ? 0 : d;                                                                \
            a[i] = gz;                                                                              \
            p[i] = p[i] - (gz > 0 ? step : (gz < 0 ? -step : 0));                                   \
        }                                                                                           \
        break;                                                                                      \
    case LION:      /* b1, 1 − b1, b2, 1 − b2, −lr */                                               \
        for (long i = 0; i < n; i++) {                                                              \
            T d = g[i] * gs, m = a[i], c = m * r0 + d * r1;                                         \
            p[i] = p[i] + (c > 0 ? r4 : (c < 0 ? -r4 : 0));                                         \
            a[i] = m * r2 + d * r3;                                                                 \
        }                                                                                           \
        break;                                                                                      \
    }                                                                                               \
}
RULE_KERNELS(float, sqrtf, fabsf, f32)
RULE_KERNELS(double, sqrt, fabs, f64)

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* An element-wise rule's scalars at step t, torch's defaults but lr (as RuleScalars and KernelScalars work them out;
 * benchmarks/ab/KernelAB.java builds the same). */
static scalars resolve_rule(scalars s, double lr, long t) {
    double *r = s.r;
    switch (s.rule) {
    case RMSPROP: r[0] = 0.99; r[1] = 1 - 0.99; r[2] = 1e-8; r[3] = -lr; break;
    case ADAGRAD: r[0] = 0; r[1] = 1e-10; r[2] = -lr; break;
    case ADADELTA: r[0] = 0.9; r[1] = 1 - 0.9; r[2] = 1e-6; r[3] = -lr; break;
    case ADAMAX: r[0] = 0.9; r[1] = 1 - 0.9; r[2] = 0.999; r[3] = 1e-8; r[4] = -lr / (1 - pow(0.9, (double) t)); break;
    case NADAM: {
        double prod = 1, mu = 0, next;
        for (long i = 1; i <= t; i++) prod *= (mu = 0.9 * (1 - 0.5 * pow(0.96, i * 4e-3)));
        next = 0.9 * (1 - 0.5 * pow(0.96, (t + 1) * 4e-3));
        r[0] = 0.9; r[1] = 1 - 0.9; r[2] = 0.999; r[3] = 1 - 0.999; r[4] = 1 - pow(0.999, (double) t); r[5] = 1e-8;
        r[6] = -lr * (1 - mu) / (1 - prod); r[7] = -lr * next / (1 - prod * next);
        break;
    }
    case RADAM: {
        double b2t = pow(0.999, (double) t), rho_inf = 2 / (1 - 0.999) - 1, rho = rho_inf - 2 * t * b2t / (1 - b2t);
        r[0] = 0.9; r[1] = 1 - 0.9; r[2] = 0.999; r[3] = 1 - 0.999; r[4] = 1e-8; r[5] = 1 - pow(0.9, (double) t);
        r[6] = lr; r[7] = sqrt(1 - b2t);
        s.first = rho > 5;      /* RADAM reads `first` as "rectify" */
        r[8] = s.first ? sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho)) : 0;
        break;
    }
    case RPROP: r[0] = 0.5; r[1] = 1.2; r[2] = 1e-6; r[3] = 50; r[4] = lr; break;
    case LION: r[0] = 0.9; r[1] = 1 - 0.9; r[2] = 0.99; r[3] = 1 - 0.99; r[4] = -lr; break;
    }
    return s;
}

/* The hyper-parameters of OptimizerStepBench.recipe() at step t (lr 1e-3, no clipping). */
static scalars resolve(const char *bench, long t) {
    scalars s = {.gs = 1, .decay = 1, .b1 = 0.9, .b2 = 0.999, .eps = 1e-8, .first = t == 1};
    double lr = 1e-3;
    s.neg_lr = -lr;
    s.omb1 = 1 - s.b1;
    s.omb2 = 1 - s.b2;
    for (int k = 1; k < NRULES; k++) if (strcmp(bench, RULES[k]) == 0) s.rule = k;
    if (s.rule) return resolve_rule(s, lr, t);
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
        if (s->rule && f32) rule_f32(s, (float *) arr[4 * k] + lo, (float *) arr[4 * k + 1] + lo,
                                     (float *) arr[4 * k + 2] + lo, (float *) arr[4 * k + 3] + lo, hi - lo);
        else if (s->rule) rule_f64(s, (double *) arr[4 * k] + lo, (double *) arr[4 * k + 1] + lo,
                                   (double *) arr[4 * k + 2] + lo, (double *) arr[4 * k + 3] + lo, hi - lo);
        else if (f32) update_f32(s, (float *) arr[4 * k] + lo, (float *) arr[4 * k + 1] + lo,
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
    int known = strcmp(bench, "sgd_l2") == 0 || strcmp(bench, "adam") == 0 || strcmp(bench, "adamw") == 0
                || strcmp(bench, "adamw_l1") == 0;
    for (int k = 1; k < NRULES; k++) known |= strcmp(bench, RULES[k]) == 0;
    if (!known) {
        fprintf(stderr, "c_floor: unknown bench %s\n", bench);
        return 2;
    }
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
