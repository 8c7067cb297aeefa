"""A multinomial logistic regression over sparse string features, kept as plain data.

Fitting uses scikit-learn (``LogisticRegression``, deterministic for the same rows); predicting
needs only the weights, so the extractor loads a small JSON file and no scikit-learn model.

Examples
--------
>>> rows = [["w=acme", "next=said"], ["w=jo", "prev=mr"], ["w=acme"], ["prev=mr"]]
>>> model = LinearModel.fit(rows, ["Company", "Person", "Company", "Person"])
>>> model.predict(["prev=mr", "w=sam"])[0]
'Person'
>>> LinearModel.from_dict(model.to_dict()).predict(["w=acme"])[0]
'Company'
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class LinearModel:
    """Classes, a bias per class, and per feature a weight per class."""

    classes: list[str]
    bias: list[float]
    weights: dict[str, list[float]]
    _index: dict[str, int] | None = field(default=None, repr=False, compare=False)
    _matrix: np.ndarray | None = field(default=None, repr=False, compare=False)

    @classmethod
    def fit(cls, rows: list[list[str]], labels: list[str], c: float = 1.0) -> "LinearModel":
        """Fit on feature lists and their labels (L2-regularised, strength ``1/c``)."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        vectoriser = DictVectorizer()
        x = vectoriser.fit_transform([{f: 1.0 for f in row} for row in rows])
        classes = sorted(set(labels))
        if len(classes) == 1:
            return cls(classes, [0.0], {})
        fitted = LogisticRegression(C=c, max_iter=5000).fit(x, labels)
        coef = fitted.coef_ if len(classes) > 2 else [-fitted.coef_[0], fitted.coef_[0]]
        bias = fitted.intercept_ if len(classes) > 2 else [-fitted.intercept_[0],
                                                            fitted.intercept_[0]]
        weights = {}
        for j, name in enumerate(vectoriser.feature_names_):
            w = [round(float(row[j]), 3) for row in coef]
            if max(abs(v) for v in w) >= 0.01:
                weights[name] = w
        return cls([str(k) for k in fitted.classes_], [round(float(b), 4) for b in bias],
                   weights)

    def scores(self, rows: list[list[str]]) -> np.ndarray:
        """The probability of each class (columns) for each row, in one matrix operation."""
        if self._matrix is None:
            self._index = {f: i for i, f in enumerate(self.weights)}
            self._matrix = np.array([*self.weights.values(), self.bias], dtype=np.float64) \
                .reshape(len(self.weights) + 1, len(self.classes))
        bias_row = len(self.weights)
        index, starts = [], []
        for row in rows:
            starts.append(len(index))
            index.append(bias_row)
            index += [self._index[f] for f in row if f in self._index]
        if not rows:
            return np.zeros((0, len(self.classes)))
        z = np.add.reduceat(self._matrix[index], starts, axis=0)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def predict_many(self, rows: list[list[str]]) -> list[tuple[str, float]]:
        """The likeliest class of each row, and its probability."""
        p = self.scores(rows)
        best = p.argmax(axis=1) if len(rows) else []
        return [(self.classes[k], float(p[i, k])) for i, k in enumerate(best)]

    def best_other(self, rows: list[list[str]], other: str) -> list[tuple[str, float]]:
        """The likeliest class of each row but ``other``, and its probability (so that a
        threshold below one half can trade precision for recall against ``other``)."""
        p = self.scores(rows)
        if other in self.classes and len(rows):
            p[:, self.classes.index(other)] = -1.0
        best = p.argmax(axis=1) if len(rows) else []
        return [(self.classes[k], float(p[i, k])) for i, k in enumerate(best)]

    def predict(self, features: list[str]) -> tuple[str, float]:
        """The likeliest class of one row, and its probability."""
        return self.predict_many([features])[0]

    def to_dict(self) -> dict:
        return {"classes": self.classes, "bias": self.bias, "weights": self.weights}

    @classmethod
    def from_dict(cls, data: dict) -> "LinearModel":
        return cls(list(data["classes"]), list(data["bias"]), dict(data["weights"]))
