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

import math
from dataclasses import dataclass


@dataclass
class LinearModel:
    """Classes, a bias per class, and per feature a weight per class."""

    classes: list[str]
    bias: list[float]
    weights: dict[str, list[float]]

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
            w = [round(float(row[j]), 4) for row in coef]
            if max(abs(v) for v in w) >= 0.001:
                weights[name] = w
        return cls([str(k) for k in fitted.classes_], [round(float(b), 4) for b in bias],
                   weights)

    def scores(self, features: list[str]) -> list[float]:
        """The probability of each class for one row."""
        z = list(self.bias)
        for f in features:
            w = self.weights.get(f)
            if w is not None:
                for k, v in enumerate(w):
                    z[k] += v
        top = max(z)
        e = [math.exp(v - top) for v in z]
        s = sum(e)
        return [v / s for v in e]

    def predict(self, features: list[str]) -> tuple[str, float]:
        """The likeliest class of one row, and its probability."""
        p = self.scores(features)
        k = max(range(len(p)), key=p.__getitem__)
        return self.classes[k], p[k]

    def to_dict(self) -> dict:
        return {"classes": self.classes, "bias": self.bias, "weights": self.weights}

    @classmethod
    def from_dict(cls, data: dict) -> "LinearModel":
        return cls(list(data["classes"]), list(data["bias"]), dict(data["weights"]))
