#!/usr/bin/env python3
"""Reference values for io.ndopt.glm tests, computed with scikit-learn (Debian python3-sklearn 1.2).

Run from the repository root:  /usr/bin/python3 src/test/resources/glm/make_reference.py
Writes src/test/resources/glm/paths.json and the bundled data set src/main/resources/datasets/diabetes.csv
(sklearn's raw diabetes data: 442 rows, 10 features in original units, target = disease progression).

sklearn's lasso_path/enet_path fit no intercept, so each case stores raw (uncentred) X and y and runs the
path on the centred copies: that is exactly the intercept fit ndopt does (intercept = mean(y) - mean(X) w).
"""
import gzip, json, os, platform
import numpy as np
import sklearn
from sklearn.linear_model import lasso_path, enet_path, ElasticNet, Lasso, LassoCV, Ridge
from sklearn.model_selection import KFold

ROOT = os.getcwd()
TOL = 1e-12          # sklearn tol: dual gap < TOL * ||y||^2 ; tight so the reference is exact to ~1e-9
MAX_ITER = 1_000_000


def data(seed, n, p, s, noise, shift=True):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3.0, p)
    if shift:
        X += rng.uniform(-5, 5, p)
    w = np.zeros(p)
    w[:s] = rng.choice([-1, 1], s) * rng.uniform(1, 3, s)
    y = X @ w + 4.0 + noise * rng.standard_normal(n)
    return X, y


def centred(X, y):
    return X - X.mean(0), y - y.mean()


def path_case(name, X, y, l1_ratio, positive=False):
    Xc, yc = centred(X, y)
    fn = lasso_path if l1_ratio == 1 else enet_path
    kw = {} if l1_ratio == 1 else {"l1_ratio": l1_ratio}
    alphas, coefs, gaps = fn(Xc, yc, eps=1e-3, n_alphas=100, tol=TOL, max_iter=MAX_ITER, positive=positive, **kw)
    coefs = coefs.T
    return {"name": name, "kind": "path", "l1_ratio": l1_ratio, "positive": positive, "X": X.tolist(), "y": y.tolist(),
            "alphas": alphas.tolist(), "coef": coefs.tolist(), "intercept": (y.mean() - X.mean(0) @ coefs.T).tolist(),
            "sklearn": f"{fn.__name__}(X - mean, y - mean, eps=1e-3, n_alphas=100, tol={TOL}, positive={positive})"}


def weighted_case(X, y, sw, l1_ratio, alphas):
    coef, b = [], []
    for a in alphas:
        m = ElasticNet(alpha=a, l1_ratio=l1_ratio, tol=TOL, max_iter=MAX_ITER).fit(X, y, sample_weight=sw)
        coef.append(m.coef_.tolist()); b.append(float(m.intercept_))
    return {"name": "weighted_enet", "kind": "fits", "l1_ratio": l1_ratio, "X": X.tolist(), "y": y.tolist(), "weights": sw.tolist(),
            "alphas": list(alphas), "coef": coef, "intercept": b, "sklearn": f"ElasticNet(alpha, l1_ratio={l1_ratio}, tol={TOL}).fit(X, y, sample_weight)"}


def standardized_case(X, y, alphas):
    mu, sd = X.mean(0), X.std(0)
    Z = (X - mu) / sd
    coef, b = [], []
    for a in alphas:
        m = Lasso(alpha=a, tol=TOL, max_iter=MAX_ITER).fit(Z, y)
        c = m.coef_ / sd
        coef.append(c.tolist()); b.append(float(m.intercept_ - mu @ c))
    return {"name": "standardized_lasso", "kind": "fits", "l1_ratio": 1.0, "standardize": True, "X": X.tolist(), "y": y.tolist(),
            "alphas": list(alphas), "coef": coef, "intercept": b,
            "sklearn": "Lasso(alpha).fit(StandardScaler().fit_transform(X), y), coef_/scale_, intercept_ - mean_ @ coef"}


def ridge_case(X, y, alphas):
    coef, b = [], []
    for a in alphas:
        m = Ridge(alpha=a, solver="cholesky").fit(X, y)
        coef.append(m.coef_.tolist()); b.append(float(m.intercept_))
    return {"name": "ridge_wide", "kind": "fits", "model": "ridge", "X": X.tolist(), "y": y.tolist(), "alphas": list(alphas),
            "coef": coef, "intercept": b, "sklearn": "Ridge(alpha, solver='cholesky')"}


def cv_case(X, y):
    m = LassoCV(n_alphas=30, eps=1e-2, cv=KFold(5), tol=TOL, max_iter=MAX_ITER).fit(X, y)
    return {"name": "lasso_cv", "kind": "cv", "X": X.tolist(), "y": y.tolist(), "alphas": m.alphas_.tolist(),
            "mse_path": m.mse_path_.T.tolist(), "alpha_min": float(m.alpha_),
            "sklearn": "LassoCV(n_alphas=30, eps=1e-2, cv=KFold(5), tol=1e-12); mse_path is folds x alphas"}


def num(v):
    """Shortest text that reads back as the same double ('101' rather than '101.0')."""
    r = repr(float(v))
    return r[:-2] if r.endswith(".0") else r


def main():
    cases = []
    X, y = data(1, 80, 12, 4, 1.0)
    cases.append(path_case("lasso_tall", X, y, 1.0))
    cases.append(path_case("lasso_tall_positive", X, y, 1.0, positive=True))
    X2, y2 = data(2, 40, 90, 6, 0.5)
    cases.append(path_case("enet_wide", X2, y2, 0.5))
    cases.append(path_case("lasso_wide", X2, y2, 1.0))
    rng = np.random.default_rng(3)
    X3, y3 = data(3, 50, 8, 3, 1.0)
    cases.append(weighted_case(X3, y3, rng.uniform(0.1, 3.0, 50), 0.7, [1.0, 0.3, 0.05, 0.005]))
    cases.append(standardized_case(X3, y3, [2.0, 0.5, 0.1, 0.01]))
    cases.append(ridge_case(X2, y2, [1000.0, 10.0, 0.1, 0.001]))
    X4, y4 = data(4, 67, 10, 3, 2.0)
    cases.append(cv_case(X4, y4))
    gen = {"python": platform.python_version(), "sklearn": sklearn.__version__, "numpy": np.__version__,
           "script": "src/test/resources/glm/make_reference.py"}
    with open(os.path.join(ROOT, "src/test/resources/glm/paths.json"), "w") as f:
        json.dump({"generator": gen, "cases": cases}, f)

    d = "/usr/lib/python3/dist-packages/sklearn/datasets/data/"
    Xd = np.loadtxt(gzip.open(d + "diabetes_data_raw.csv.gz"))
    yd = np.loadtxt(gzip.open(d + "diabetes_target.csv.gz"))
    names = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "target"]
    with open(os.path.join(ROOT, "src/main/resources/datasets/diabetes.csv"), "w") as f:
        f.write(",".join(names) + "\n")
        for row, t in zip(Xd, yd):
            f.write(",".join(num(v) for v in row) + "," + num(t) + "\n")


if __name__ == "__main__":
    main()
