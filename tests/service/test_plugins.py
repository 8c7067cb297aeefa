"""A package the user installs adds a loader and an export format without editing ours: the
plugins of docs/extending.md, installed as a distribution (a .dist-info with entry points on
the path), are picked up by the `stakegraph` command; a broken one is reported, not fatal."""
from __future__ import annotations

import json
import os
import textwrap

from conftest import run_cli

PLUGIN = '''
"""A tab-separated register: source, source type, relation, target, target type a line."""
from graph.extraction import Extraction
from graph.model import Document
from graph.ontology import EntityType, RelationType
from loaders import LoaderError


def load_tsv(path, extractor=None):
    text = path.read_text(encoding="utf-8")
    ex = Extraction(document=Document.from_text(text, title=path.name, source=str(path)))
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        cells = line.rstrip("\\n").split("\\t")
        if len(cells) != 5:
            raise LoaderError(str(path), "expected 5 tab-separated cells", line=number)
        a = ex.add_entity(cells[0], EntityType(cells[1]))
        b = ex.add_entity(cells[3], EntityType(cells[4]))
        ex.add_relation(a, RelationType(cells[2]), b, start=offset,
                        end=offset + len(line.rstrip()), extractor="tsv")
        offset += len(line)
    return ex


load_tsv.suffixes = (".tsv",)


def write_names(g, out, **options):
    for node in sorted(g.nodes):
        out.write(g.nodes[node]["name"] + "\\n")
'''


def _install(site, entry_points: str):
    (site / "sgplugin.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = site / "sgplugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: sgplugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points), encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}


def test_an_installed_loader_and_exporter_are_used(tmp_path):
    env = _install(tmp_path, """
        [stakegraph.loaders]
        tsv = sgplugin:load_tsv
        [stakegraph.exporters]
        names = sgplugin:write_names
        """)
    register = tmp_path / "register.tsv"
    register.write_text("Acme Alliance\tLobbyGroup\tLOBBIES\tJo Bloggs\tPerson\n"
                        "Acme Alliance\tLobbyGroup\tFUNDS\tThink Ltd\tCompany\n",
                        encoding="utf-8")
    db = tmp_path / "g.db"
    out = run_cli("load", str(register), "--db", str(db), env=env)  # detected by its suffix
    assert out.returncode == 0, out.stderr
    out = run_cli("stats", "--db", str(db), "--format", "json", env=env)
    assert json.loads(out.stdout)["relations"] == 2
    out = run_cli("export", "--format", "names", "--out", "-", "--db", str(db), env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["Acme", "Alliance", "Jo", "Bloggs", "Think", "Ltd"] or \
        sorted(out.stdout.splitlines()) == ["Acme Alliance", "Jo Bloggs", "Think Ltd"]
    bad = tmp_path / "bad.tsv"
    bad.write_text("only\tthree\tcells\n", encoding="utf-8")
    out = run_cli("load", str(bad), "--db", str(db), env=env)
    assert out.returncode == 1 and "bad.tsv" in out.stderr and "line 1" in out.stderr


def test_a_broken_plugin_or_a_taken_name_is_reported_and_the_rest_works(tmp_path):
    env = _install(tmp_path, """
        [stakegraph.exporters]
        gexf = sgplugin:write_names
        broken = sgplugin:no_such_function
        """)
    db = str(tmp_path / "g.db")
    assert run_cli("load", "--db", db, str(tmp_path / "sgplugin.py"), "--format", "text",
                   env=env).returncode == 0
    out = run_cli("export", "--format", "gexf", "--out", "-", "--db", db, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("<?xml")  # the built-in gexf, not the plugin
    assert "gexf (sgplugin:write_names, package sgplugin) ignored: the name is taken" \
        in out.stderr
    assert "broken (sgplugin:no_such_function, package sgplugin) ignored: AttributeError" \
        in out.stderr
