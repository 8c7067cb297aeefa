"""Scoring and fitting the text extractor: the use cases behind `stakegraph evaluate` and
`stakegraph train` (and anyone else's door to them).

``report`` scores an extractor kind on gold articles, held out by folds and fitted on all, per
article and by kind of error, as plain data; ``train_model`` fits the learned layer and writes
it."""
from __future__ import annotations

from pathlib import Path

from loaders.text.evaluation import Article, Report, articles, evaluate
from loaders.text.learned import TextModel


def _extractor_for(kind: str, registers: list[str]):
    """``training articles -> extractor`` for an extractor kind (``loaders.EXTRACTORS``):
    the learned layer is fitted on the training articles; the rules and an LLM learn
    nothing."""
    from loaders.llm import HybridExtractor, LLMExtractor
    from loaders.text.extractor import TextExtractor
    from loaders.text.training import register_names, train

    if kind == "rules":
        rules = TextExtractor(model=None)
        return lambda training: rules
    if kind == "llm":
        llm = LLMExtractor()
        return lambda training: llm
    shipped = TextModel.shipped()
    names = register_names(registers) if registers else shipped.names if shipped else {}
    if kind == "hybrid":
        llm = LLMExtractor()
        return lambda training: HybridExtractor(TextExtractor(model=train(training, names)),
                                                llm)
    return lambda training: TextExtractor(model=train(training, names))


def _rounded(figures: dict[str, float]) -> dict[str, float]:
    # six places: a table rounds them to two as the reference scorer rounds the raw figures
    return {k: round(v, 6) for k, v in figures.items()}


def report(found: list[Article], folds: int | None = None, extractor: str = "learned",
           registers: list[str] | None = None) -> dict:
    """The evaluation of ``found`` by an ``extractor`` kind: with ``folds``, held out (mean
    over folds, and pooled) beside the fit on all articles; without, the fit alone. The name
    model knows the names of ``registers`` (default: those the shipped model knows; they come
    from registers, not from gold)."""
    make = _extractor_for(extractor, registers or [])
    fit = evaluate(found, make)
    held: Report | None = evaluate(found, make, folds=folds) if folds else None
    fit_rows = {r.name: r for r in fit.rows}
    out = {
        "articles": len(found), "folds": folds, "extractor": extractor,
        "fit": _rounded(fit.total.figures()),
        "rows": [{"article": r.name, "fit": _rounded(fit_rows[r.name].figures()),
                  **({"held_out": _rounded(h.figures())} if held else {})}
                 for r, h in zip(fit.rows, held.rows if held else fit.rows)],
        "errors": {kind: {"fit": fit.total.kinds.get(kind, 0),
                          **({"held_out": held.total.kinds.get(kind, 0)} if held else {})}
                   for kind in sorted({*fit.total.kinds, *(held.total.kinds if held else ())})},
    }
    if held is not None:
        out["held_out_mean"] = _rounded(held.held_out_mean())
        out["held_out_pooled"] = _rounded(held.total.figures())
        out["fold_figures"] = [_rounded(f) for f in held.folds]
    return out


def train_model(gold_dir: str | Path, registers: list[str], out: str | Path | None = None
                ) -> tuple[TextModel, Path, int]:
    """Fit the learned layer on the gold articles of ``gold_dir`` with the names of
    ``registers``, and write it to ``out`` (default: the package's model file). Returns the
    model, where it went and the number of articles; ValueError when there is no article."""
    from importlib import resources

    from loaders.text.learned import MODEL_FILE
    from loaders.text.training import register_names, train

    found = articles(gold_dir)
    if not found:
        raise ValueError(f"no article with a .gold.json in {gold_dir}")
    target = Path(out) if out else Path(str(resources.files("loaders").joinpath(MODEL_FILE)))
    model = train(found, register_names(list(registers)))
    model.save(target)
    return model, target, len(found)
