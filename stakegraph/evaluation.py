"""`stakegraph evaluate`: the text extractor scored on gold articles, held out by folds and fitted
on all, per article and by kind of error, as a dict (JSON) or a table (text)."""
from __future__ import annotations

from loaders.text.evaluation import Article, Report, evaluate


def _extractor_for(kind: str, registers: list[str]):
    """``training articles -> extractor`` for an extractor kind (``loaders.EXTRACTORS``):
    the learned layer is fitted on the training articles; the rules and an LLM learn
    nothing."""
    from loaders.llm import HybridExtractor, LLMExtractor
    from loaders.text.extractor import TextExtractor
    from loaders.text.learned import TextModel
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


def as_text(data: dict) -> str:
    """A report as tables for a terminal."""
    held = data.get("folds")
    cols = ["ent P", "ent R", "ent F1", "rel P", "rel R", "rel F1"]
    keys = ["entity_p", "entity_r", "entity_f1", "relation_p", "relation_r", "relation_f1"]
    head = f"{'article':44}" + "".join(f"{c:>7}" for c in cols)
    lines = [f"{'held out, ' + str(held) + ' folds' if held else 'fit on all articles'}",
             head + ("   fit: ent F1 rel F1" if held else "")]
    for row in data["rows"]:
        shown = row["held_out"] if held else row["fit"]
        line = f"{row['article'][:44]:44}" + "".join(f"{shown[k]:7.2f}" for k in keys)
        if held:
            line += f"   {row['fit']['entity_f1']:10.2f} {row['fit']['relation_f1']:6.2f}"
        lines.append(line)
    lines.append("")
    for label, name in (("held-out mean", "held_out_mean"), ("held-out pooled",
                                                             "held_out_pooled"), ("fit", "fit")):
        if name in data:
            f = data[name]
            lines.append(f"{label:16} entities P={f['entity_p']:.2f} R={f['entity_r']:.2f} "
                         f"F1={f['entity_f1']:.2f}  relations P={f['relation_p']:.2f} "
                         f"R={f['relation_r']:.2f} F1={f['relation_f1']:.2f}  "
                         f"grounded={f['grounded_pct']:.0f}%")
    lines += ["", f"{'errors by kind':44}{'held out':>9}{'fit':>6}" if held else
              f"{'errors by kind':44}{'count':>9}"]
    order = sorted(data["errors"].items(), key=lambda kv: -kv[1].get("held_out", kv[1]["fit"]))
    for kind, n in order:
        lines.append(f"{kind:44}{n.get('held_out', n['fit']):9}" +
                     (f"{n['fit']:6}" if held else ""))
    return "\n".join(lines)
