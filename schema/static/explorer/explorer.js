// The stakegraph explorer: search, entity pages with their sources, influence paths drawn hop
// by hop, each quote readable where it stands. It talks to this server's GraphQL API only, and
// keeps what it shows in the address (#search=..., #entity=..., #paths=...), so a view can be
// shared by its URL.
"use strict";

const view = document.getElementById("view");
const TYPES = ["Person", "LobbyGroup", "Company", "Agency", "Initiative", "Organization", "Topic", "Place"];
let rows = [];  // the current view's table, for the CSV export

async function gql(query, variables) {
  const response = await fetch("/graphql", {
    method: "POST", headers: {"content-type": "application/json"},
    body: JSON.stringify({query, variables}),
  });
  const data = await response.json();
  if (data.errors) throw new Error(data.errors.map(e => e.message).join("; "));
  return data.data;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "onclick") node.addEventListener("click", v);
    else node.setAttribute(k, v);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) {
      node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
    }
  }
  return node;
}

function badge(type) {
  return el("span", {class: "type", style: `background:${window.PALETTE[type] || "#888"}`}, type);
}

function entityLink(entity) {
  return el("a", {href: "#entity=" + encodeURIComponent(entity.id)}, entity.name);
}

function citation(ev) {
  const d = ev.document;
  const title = d.title && d.title.length > 90 ? d.title.slice(0, 87) + "..." : d.title;
  const parts = [title, d.published].filter(Boolean).join(", ");
  const where = d.url ? el("a", {href: d.url, target: "_blank", rel: "noopener"}, d.url) : d.source;
  const read = el("a", {href: `#passage=${encodeURIComponent(d.id)}|${ev.start}|${ev.end}`,
                        class: "read"}, "read it in place");
  return el("div", {class: "cite"}, parts, parts ? " — " : "", where, " · ", read);
}

function evidence(ev) {
  return [el("blockquote", {}, ev.quote), citation(ev)];
}

function fail(error) {
  view.replaceChildren(el("p", {class: "error"}, String(error.message || error)));
}

function exports(gexf) {
  const csv = el("a", {href: "#", class: "csv", onclick: event => {
    event.preventDefault();
    const columns = Object.keys(rows[0] || {});
    const quote = v => `"${String(v ?? "").replaceAll('"', '""')}"`;
    const text = [columns.join(","), ...rows.map(r => columns.map(c => quote(r[c])).join(","))].join("\n");
    const link = el("a", {href: URL.createObjectURL(new Blob([text], {type: "text/csv"})),
                          download: "stakegraph.csv"});
    link.click();
  }}, "Download CSV");
  return el("p", {class: "exports"}, el("a", {href: gexf, class: "gexf", download: "stakegraph.gexf"},
                                            "Download GEXF (Gephi)"), csv);
}

const EVIDENCE = "quote start end document { id title published url source }";

async function showSearch(text, type) {
  const data = await gql(`query($t: String!) { entities(search: $t, first: 100) {
    edges { node { id name type aliases } } } }`, {t: text});
  const found = data.entities.edges.map(e => e.node);
  const counts = {};
  for (const e of found) counts[e.type] = (counts[e.type] || 0) + 1;
  const shown = type ? found.filter(e => e.type === type) : found;
  rows = shown.map(e => ({id: e.id, name: e.name, type: e.type}));
  const facets = el("p", {class: "facets"},
    el("button", {class: type ? "" : "on", onclick: () => go({search: text})}, `all ${found.length}`),
    TYPES.filter(t => counts[t]).map(t => el("button", {class: t === type ? "on" : "",
      onclick: () => go({search: text, type: t})}, `${t} ${counts[t]}`)));
  view.replaceChildren(el("h2", {}, `Entities matching “${text}”`), facets,
    el("ul", {class: "results"}, shown.map(e => el("li", {}, badge(e.type), entityLink(e),
      e.aliases.length ? el("small", {}, "  also " + e.aliases.join(", ")) : null))));
}

async function showEntity(id) {
  const data = await gql(`query($id: ID!) { entity(id: $id) { id name type aliases
    relations { type role start attributes source { id name type } target { id name type }
      evidence { ${EVIDENCE} } } } }`, {id});
  const e = data.entity;
  if (!e) throw new Error(`no entity ${id}`);
  rows = e.relations.map(r => ({source: r.source.name, relation: r.type, target: r.target.name,
    role: r.role || "", start: r.start || "", quote: r.evidence[0] ? r.evidence[0].quote : "",
    document: r.evidence[0] ? r.evidence[0].document.title : ""}));
  const byType = {};
  for (const r of e.relations) (byType[r.type] = byType[r.type] || []).push(r);
  const groups = Object.keys(byType).sort().map(type => el("section", {},
    el("h3", {}, type),
    byType[type].map(r => {
      const out = r.source.id === e.id;
      const other = out ? r.target : r.source;
      const extra = [r.role, r.start, (r.attributes || {}).purpose].filter(Boolean).join(", ");
      return el("div", {class: "relation"}, out ? "→ " : "← ", badge(other.type), entityLink(other),
                extra ? el("small", {}, `  (${extra})`) : null, r.evidence.slice(0, 3).map(evidence));
    })));
  view.replaceChildren(el("h2", {class: "entity-name"}, badge(e.type), e.name),
    e.aliases.length ? el("p", {}, "Also: " + e.aliases.join(", ")) : "",
    exports(`/export/graph.gexf?ego=${encodeURIComponent(e.id)}&depth=1`), ...groups);
}

function drawPath(path) {
  const step = 250, height = 100;
  const nodes = path.nodes;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("width", String(step * nodes.length));
  svg.setAttribute("height", String(height));
  svg.setAttribute("class", "drawing");
  const ns = "http://www.w3.org/2000/svg";
  path.hops.forEach((hop, i) => {
    const line = document.createElementNS(ns, "line");
    Object.entries({x1: 20 + i * step + 12, y1: 30, x2: 20 + (i + 1) * step - 12, y2: 30,
                    stroke: "#888", "stroke-width": 2}).forEach(([k, v]) => line.setAttribute(k, v));
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", String(20 + i * step + step / 2));
    label.setAttribute("y", "22");
    label.setAttribute("text-anchor", "middle");
    label.textContent = hop.reversed ? `← ${hop.type}` : `${hop.type} →`;
    svg.append(line, label);
  });
  nodes.forEach((node, i) => {
    const circle = document.createElementNS(ns, "circle");
    Object.entries({cx: 20 + i * step, cy: 30, r: 11, fill: window.PALETTE[node.type] || "#888"})
      .forEach(([k, v]) => circle.setAttribute(k, v));
    const name = document.createElementNS(ns, "text");
    name.setAttribute("x", String(20 + i * step));
    name.setAttribute("y", String(i % 2 ? 84 : 62));  // alternate rows: long names never meet
    name.setAttribute("text-anchor", i === 0 ? "start" : i === nodes.length - 1 ? "end" : "middle");
    name.textContent = node.name;
    svg.append(circle, name);
  });
  return svg;
}

async function showPaths(p) {
  const variables = {s: p.from, t: p.to, k: Number(p.k || 3), m: p.mode || "INFLUENCE",
    r: p.types ? p.types.split(",").map(x => x.trim().toUpperCase()).filter(Boolean) : null,
    a: p.asOf || null, h: Number(p.hub || 0)};
  const data = await gql(`query($s: String!, $t: String!, $k: Int!, $m: PathMode!,
      $r: [RelationType!], $a: Date, $h: Float!) {
    influencePaths(source: $s, target: $t, k: $k, mode: $m, relationTypes: $r, asOf: $a,
                   hubPenalty: $h) {
      strength explanation nodes { id name type }
      hops { type reversed strength source { id name type } target { id name type }
             evidence { ${EVIDENCE} } } } }`, variables);
  const paths = data.influencePaths;
  rows = [];
  paths.forEach((path, i) => path.hops.forEach((hop, j) => rows.push({path: i + 1, hop: j + 1,
    source: hop.source.name, relation: hop.type, target: hop.target.name,
    strength: hop.strength.toFixed(3), quote: hop.evidence[0] ? hop.evidence[0].quote : ""})));
  const gexf = `/export/graph.gexf?from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}&k=${variables.k}`;
  view.replaceChildren(el("h2", {}, `How ${p.from} reaches ${p.to}`),
    paths.length ? exports(gexf) : el("p", {}, "No path within the limits."),
    ...paths.map((path, i) => el("div", {class: "path"},
      el("h3", {}, `${i + 1}. ${path.explanation} `, el("small", {}, `strength ${path.strength.toFixed(3)}`)),
      drawPath(path),
      path.hops.map(hop => el("div", {class: "hop"},
        el("b", {}, hop.reversed ? `${hop.target.name} ← ${hop.type} — ${hop.source.name}`
                                 : `${hop.source.name} — ${hop.type} → ${hop.target.name}`),
        hop.evidence.slice(0, 2).map(evidence))))));
}

async function showPassage(documentId, start, end) {
  const data = await gql(`query($id: ID!, $s: Int!, $e: Int!) { node(id: $id) {
    ... on Document { title published url source passage(start: $s, end: $e, around: 600) {
      before text after } } } }`, {id: documentId, s: Number(start), e: Number(end)});
  const d = data.node;
  if (!d) throw new Error(`no document ${documentId}`);
  view.replaceChildren(el("h2", {}, d.title), el("p", {class: "cite"},
      [d.published, d.url || d.source].filter(Boolean).join(" — ")),
    el("div", {class: "passage"}, "…" + d.passage.before, el("mark", {}, d.passage.text),
       d.passage.after + "…"));
  document.querySelector("mark").scrollIntoView({block: "center"});
}

function go(state) {
  const hash = Object.entries(state).filter(([, v]) => v !== "" && v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
  if (location.hash.slice(1) === hash) route(); else location.hash = hash;
}

function route() {
  const state = Object.fromEntries(location.hash.slice(1).split("&").filter(Boolean)
    .map(part => part.split("=")).map(([k, v]) => [k, decodeURIComponent(v || "")]));
  let shown;
  if (state.passage) shown = showPassage(...state.passage.split("|"));
  else if (state.entity) shown = showEntity(state.entity);
  else if (state.from && state.to) shown = showPaths(state);
  else if (state.search) shown = showSearch(state.search, state.type);
  if (shown) shown.catch(fail);
}

document.getElementById("search-form").addEventListener("submit", event => {
  event.preventDefault();
  go({search: document.getElementById("search").value});
});
document.getElementById("paths-form").addEventListener("submit", event => {
  event.preventDefault();
  const v = id => document.getElementById(id).value;
  go({from: v("from"), to: v("to"), k: v("k"), mode: v("mode"), types: v("relation-types"),
      asOf: v("as-of"), hub: v("hub-penalty")});
});
window.addEventListener("hashchange", route);
route();
