"""`stakegraph evaluate`'s table: a report of ``service.evaluation.report`` for a terminal."""
from __future__ import annotations


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
