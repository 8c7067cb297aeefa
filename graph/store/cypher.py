"""The Cypher the Bolt store sends, in one place: every statement is a constant with
parameters; labels and relationship types are formatted in only from the ontology's enums.

The same text runs on Neo4j 5 and on FalkorDB's Bolt endpoint, so it keeps to the Cypher both
accept: no ``EXISTS {}`` subqueries, no ``IF NOT EXISTS`` on indexes for FalkorDB, no ``CALL {}``.
Offsets are stored as ``span_start`` and ``span_end``: ``end`` is a keyword.

Examples
--------
>>> label(EntityType.Person)
'`Person`'
>>> rel_type("LOBBIES")
'`LOBBIES`'
>>> rel_type("LOBBIES`]->() DETACH DELETE n //")
Traceback (most recent call last):
...
ValueError: 'LOBBIES`]->() DETACH DELETE n //' is not a valid RelationType
"""
from __future__ import annotations

from graph.ontology import EntityType, RelationType


def label(type: EntityType | str) -> str:
    """An entity type as a quoted Cypher label; anything not in the ontology raises."""
    return f"`{EntityType(type).value}`"


def rel_type(type: RelationType | str) -> str:
    """A relation type as a quoted Cypher relationship type; only ontology names pass."""
    return f"`{RelationType(type).value}`"


# (label, property) pairs the store looks things up by.
INDEXES = [("Entity", "id"), ("Key", "tk"), ("Key", "key"), ("Key", "entity_id"),
           ("Document", "id"), ("Document", "source"), ("Evidence", "uid"), ("Evidence", "rid"),
           ("Evidence", "document_id"), ("Mention", "uid"), ("Mention", "document_id"),
           ("Mention", "entity_id"), ("Ingest", "document_id"), ("Meta", "key"),
           ("Merge", "id"), ("Merge", "kept"), ("Merge", "merged"),
           ("PendingMerge", "document_id")]

META = "MERGE (m:Meta {key: 'revision'}) ON CREATE SET m.value = 0"
BUMP = "MATCH (m:Meta {key: 'revision'}) SET m.value = m.value + 1"
REVISION = "MATCH (m:Meta {key: 'revision'}) RETURN m.value AS value"

HAS_DOCUMENT = "MATCH (d:Document {id: $id}) RETURN d.id AS id"
JOURNAL_OPEN = ("MERGE (j:Ingest {document_id: $id}) SET j.text = '', j.started = $now "
                "RETURN j.document_id AS id")
JOURNAL_FIND = "MATCH (j:Ingest) RETURN j.document_id AS id"
JOURNAL_FOR = "MATCH (j:Ingest {document_id: $id}) RETURN j.document_id AS id"
JOURNAL_TEXT = "MATCH (j:Ingest {document_id: $id}) SET j.text = j.text + $chunk"
JOURNAL_DROP = "MATCH (j:Ingest {document_id: $id}) DELETE j"
# The commit point: the document appears, numbered by the new revision, and its journal
# goes, in one statement.
COMMIT = ("MATCH (j:Ingest {document_id: $id}) MATCH (m:Meta {key: 'revision'}) "
          "SET m.value = m.value + 1 "
          "CREATE (d:Document {id: $id, title: $title, source: $source, published: $published, "
          "ingested_at: $now, seq: m.value}) SET d.text = j.text DELETE j")
# The automatic merges a committed document leaves to make (a later transaction), one node an
# entity or pair, written with the document: a crash before they are made leaves them to the
# next ingest of it.
PENDING_CREATE = ("UNWIND $rows AS r CREATE (:PendingMerge {document_id: r.document_id, "
                  "item: r.item})")
PENDING_FIND = "MATCH (p:PendingMerge {document_id: $id}) RETURN p.item AS item"
PENDING_DROP = "MATCH (p:PendingMerge {document_id: $id}) DELETE p"

KEYS_FIND = ("UNWIND $rows AS tk MATCH (k:Key {tk: tk}) MATCH (e:Entity {id: k.entity_id}) "
             "RETURN tk, e.id AS id, e.attributes AS attributes, e.name AS name, "
             "k.alias AS alias ORDER BY tk, id")
KEYS_ALIAS = ("UNWIND $rows AS r MATCH (k:Key {tk: r.tk, entity_id: r.entity_id}) "
              "SET k.alias = r.alias")
LINKED = ("MATCH (a:Entity {id: $id})-[x]-(b:Entity) WHERE b.id IN $near "
          "RETURN count(x) AS n")
ORG_KEYS_FIND = ("UNWIND $rows AS key MATCH (k:Key {key: key}) WHERE k.type IN $types "
                 "MATCH (e:Entity {id: k.entity_id}) "
                 "RETURN key, k.type AS type, e.id AS id, e.attributes AS attributes, "
                 "e.name AS name ORDER BY k.entity_id")
IDS_FIND = "UNWIND $rows AS id MATCH (e:Entity {id: id}) RETURN e.id AS id"
ATTRS_FIND = ("UNWIND $rows AS id MATCH (e:Entity {id: id}) "
              "RETURN e.id AS id, e.attributes AS attributes, e.name AS name")
ENTITY_NAMES = "UNWIND $rows AS r MATCH (e:Entity {id: r.id}) SET e.name = r.name"

ENTITIES_CREATE = ("UNWIND $rows AS r CREATE (e:Entity:{label} {{id: r.id, type: r.type, "
                   "name: r.name, attributes: r.attributes}})")
ENTITY_ATTRIBUTES = "UNWIND $rows AS r MATCH (e:Entity {id: r.id}) SET e.attributes = r.attributes"
ENTITY_RETYPE = ("MATCH (e:Entity {{id: $id}}) REMOVE e:{old} SET e:{new}, e.type = $type, "
                 "e.attributes = $attributes")
KEYS_RETYPE = ("MATCH (k:Key {entity_id: $id}) WHERE NOT k.type = $type "
               "OPTIONAL MATCH (other:Key {tk: $type + '\t' + k.key, entity_id: $id}) "
               "WITH k, other WHERE other IS NULL "
               "SET k.type = $type, k.tk = $type + '\t' + k.key")
KEYS_CREATE = ("UNWIND $rows AS r MERGE (k:Key {tk: r.tk, entity_id: r.entity_id}) "
               "ON CREATE SET k.type = r.type, k.key = r.key, k.alias = r.alias")
MENTIONS_CREATE = ("UNWIND $rows AS r MERGE (m:Mention {uid: r.uid}) ON CREATE SET "
                   "m.entity_id = r.entity_id, m.document_id = r.document_id, "
                   "m.span_start = r.start, m.span_end = r.end, m.text = r.text")
RELATIONS_FIND = ("UNWIND $rows AS r MATCH (a:Entity {{id: r.source}})-[x:{type}]->"
                  "(b:Entity {{id: r.target}}) WHERE x.id = r.id "
                  "RETURN x.id AS id, x.attributes AS attributes")
RELATIONS_MERGE = ("UNWIND $rows AS r MATCH (a:Entity {{id: r.source}}) "
                   "MATCH (b:Entity {{id: r.target}}) MERGE (a)-[x:{type} {{id: r.id}}]->(b) "
                   "SET x.attributes = r.attributes")
EVIDENCE_CREATE = ("UNWIND $rows AS r MERGE (v:Evidence {uid: r.uid}) ON CREATE SET "
                   "v.rid = r.rid, v.source = r.source, v.target = r.target, v.type = r.type, "
                   "v.document_id = r.document_id, v.quote = r.quote, v.span_start = r.start, "
                   "v.span_end = r.end, v.extractor = r.extractor, v.confidence = r.confidence")
EVIDENCE_QUOTE = "MATCH (v:Evidence {uid: $uid}) SET v.quote = v.quote + $chunk"
EVIDENCE_QUOTE_SLICE = ("MATCH (v:Evidence {uid: $uid}) "
                        "RETURN substring(v.quote, $start, $n) AS text")

# Removing what one document said (delete, or undoing an ingest that did not commit).
DOC_EVIDENCE = ("MATCH (v:Evidence {document_id: $id}) RETURN DISTINCT v.rid AS rid, "
                "v.source AS source, v.target AS target, v.type AS type")
DOC_MENTIONED = "MATCH (m:Mention {document_id: $id}) RETURN DISTINCT m.entity_id AS id"
DOC_EVIDENCE_DELETE = "MATCH (v:Evidence {document_id: $id}) DELETE v RETURN count(*) AS n"
DOC_MENTIONS_DELETE = "MATCH (m:Mention {document_id: $id}) DELETE m RETURN count(*) AS n"
UNBACKED = ("UNWIND $rows AS rid OPTIONAL MATCH (v:Evidence {rid: rid}) "
            "WITH rid, count(v) AS n WHERE n = 0 RETURN rid")
RELATIONS_DELETE = ("UNWIND $rows AS r MATCH (a:Entity {{id: r.source}})-[x:{type}]->"
                    "(b:Entity {{id: r.target}}) WHERE x.id = r.rid DELETE x "
                    "RETURN count(*) AS n")
ORPHANS = ("UNWIND $rows AS id MATCH (e:Entity {id: id}) OPTIONAL MATCH (e)-[x]-() "
           "WITH e, count(x) AS links OPTIONAL MATCH (m:Mention {entity_id: e.id}) "
           "WITH e, links, count(m) AS mentions WHERE links = 0 AND mentions = 0 "
           "RETURN e.id AS id")
KEYS_DELETE = "UNWIND $rows AS id MATCH (k:Key {entity_id: id}) DELETE k"
ENTITIES_DELETE = "UNWIND $rows AS id MATCH (e:Entity {id: id}) DELETE e"
DOCUMENT_DELETE = "MATCH (d:Document {id: $id}) DELETE d"

# Merges and splits (graph.resolution.merges): rows of ``Changes``, applied in its order.
EVIDENCE_DELETE = "UNWIND $rows AS uid MATCH (v:Evidence {uid: uid}) DELETE v"
MENTIONS_DELETE = "UNWIND $rows AS uid MATCH (m:Mention {uid: uid}) DELETE m"
KEYS_REMOVE = "UNWIND $rows AS r MATCH (k:Key {tk: r.tk, entity_id: r.entity_id}) DELETE k"
MERGE_RECORD = ("MERGE (m:Merge {id: $id}) SET m.kept = $kept, m.merged = $merged, "
                "m.reason = $reason, m.automatic = $automatic, m.at = $at, m.undone = $undone, "
                "m.detail = ''")
MERGE_DETAIL = "MATCH (m:Merge {id: $id}) SET m.detail = m.detail + $chunk"
MERGE_COLUMNS = ("m.id AS id, m.kept AS kept, m.merged AS merged, m.reason AS reason, "
                 "m.automatic AS automatic, m.at AS at, m.undone AS undone, "
                 "size(m.detail) AS detail_size")
MERGES_OF = (f"MATCH (m:Merge) WHERE m.kept = $id OR m.merged = $id RETURN {MERGE_COLUMNS} "
             "ORDER BY at")
MERGES_ALL = f"MATCH (m:Merge) RETURN {MERGE_COLUMNS} ORDER BY at"
MERGE_DETAIL_SLICE = "MATCH (m:Merge {id: $id}) RETURN substring(m.detail, $start, $n) AS text"
KEYS_OF = ("MATCH (k:Key {entity_id: $id}) RETURN k.type AS type, k.key AS key, "
           "k.alias AS alias ORDER BY key")
MENTIONS_OF = ("MATCH (m:Mention {entity_id: $id}) RETURN m.document_id AS document_id, "
               "m.span_start AS start, m.span_end AS end, m.text AS text "
               "ORDER BY document_id, start")

# Reads.
DOCUMENT_TEXT = "MATCH (d:Document {id: $id}) RETURN d.text AS text"
DOCUMENT_TEXT_SIZE = "MATCH (d:Document {id: $id}) RETURN size(d.text) AS n"
DOCUMENT_TEXT_SLICE = "MATCH (d:Document {id: $id}) RETURN substring(d.text, $start, $n) AS text"
DOCUMENT_FIND = ("MATCH (d:Document) WHERE d.id = $ref OR d.source = $ref "
                 "RETURN d.id AS id, '' AS text, d.title AS title, d.source AS source, "
                 "d.published AS published ORDER BY d.seq LIMIT 1")
DOCUMENTS = ("MATCH (d:Document) RETURN d.id AS id, '' AS text, d.title AS title, "
             "d.source AS source, d.published AS published ORDER BY d.seq")
DOCUMENTS_BY_ID = ("UNWIND $rows AS id MATCH (d:Document {id: id}) RETURN d.id AS id, "
                   "'' AS text, d.title AS title, d.source AS source, d.published AS published")
ENTITY_COLUMNS = "e.id AS id, e.type AS type, e.name AS name, e.attributes AS attributes"
ENTITIES_BY_ID = f"UNWIND $rows AS id MATCH (e:Entity {{id: id}}) RETURN {ENTITY_COLUMNS}"
ENTITIES_ALL = f"MATCH (e:Entity) RETURN {ENTITY_COLUMNS}"
ALIASES_BY_ID = ("UNWIND $rows AS id MATCH (k:Key {entity_id: id}) "
                 "RETURN id, k.alias AS alias ORDER BY alias")
ALIASES_ALL = "MATCH (k:Key) RETURN k.entity_id AS id, k.alias AS alias ORDER BY alias"
KEY_LOOKUP = ("MATCH (k:Key {{key: $key}}) {where} RETURN k.entity_id AS id "
              "ORDER BY id LIMIT 1")
NAMES = "MATCH (k:Key) RETURN k.entity_id AS id, k.alias AS alias"
SEARCH = ("MATCH (k:Key) WHERE k.key CONTAINS $key {where} "
          "WITH k.entity_id AS id, min(CASE WHEN k.key = $key THEN 0 "
          "WHEN k.key STARTS WITH $key THEN 1 ELSE 2 END) AS rank "
          "RETURN id, rank ORDER BY rank, id LIMIT $limit")
SHARE_NEIGHBOUR = ("MATCH (a:Entity {id: $a})-[]-(n:Entity)-[]-(b:Entity {id: $b}) "
                   "WHERE NOT n.id IN [$a, $b] RETURN n.id AS id LIMIT 1")
BLOCK_PREFIX = ("MATCH (k:Key) WHERE k.tk STARTS WITH $tk AND size(k.key) >= $lo "
                "AND size(k.key) <= $hi RETURN k.entity_id AS id, k.key AS key LIMIT $limit")
BLOCK_SURNAME = ("MATCH (k:Key) WHERE k.tk STARTS WITH $tk AND k.key ENDS WITH $end "
                 "AND size(k.key) >= $lo AND size(k.key) <= $hi "
                 "RETURN k.entity_id AS id, k.key AS key LIMIT $limit")
RELATION_COLUMNS = ("x.id AS id, a.id AS source, b.id AS target, type(x) AS type, "
                    "x.attributes AS attributes")
RELATIONS = "MATCH (a:Entity){out}[x]{inn}(b:Entity) {where} RETURN {columns} ORDER BY id"
RELATIONS_BY_ID = ("UNWIND $rows AS id MATCH (a:Entity)-[x]->(b:Entity) WHERE x.id = id "
                   "RETURN {columns}")
RELATIONS_OF = ("UNWIND $rows AS id MATCH (a:Entity {{id: id}})-[x]->(b:Entity) {where} "
                "RETURN {columns}")
RELATIONS_TO = ("UNWIND $rows AS id MATCH (a:Entity)-[x]->(b:Entity {{id: id}}) {where} "
                "RETURN {columns}")
# a quote comes in its first $slice characters; longer ones are read on in EVIDENCE_QUOTE_SLICE.
# substring() is only asked for characters that exist: FalkorDB's, asked for more, drops a
# character from the end for every multi-byte one in the string.
EVIDENCE_COLUMNS = ("v.uid AS uid, v.rid AS rid, v.source AS source, v.target AS target, "
                    "v.type AS type, v.document_id AS document_id, "
                    "CASE WHEN size(v.quote) <= $slice THEN v.quote "
                    "ELSE substring(v.quote, 0, $slice) END AS quote, size(v.quote) AS quote_size, "
                    "v.span_start AS start, v.span_end AS end, v.extractor AS extractor, "
                    "v.confidence AS confidence")
EVIDENCE_OF = (f"UNWIND $rows AS rid MATCH (v:Evidence {{rid: rid}}) RETURN {EVIDENCE_COLUMNS} "
               "ORDER BY document_id, start")
EVIDENCE_ALL = f"MATCH (v:Evidence) RETURN {EVIDENCE_COLUMNS} ORDER BY document_id, start"
COUNT = {"documents": "MATCH (n:Document) RETURN count(n) AS n",
         "entities": "MATCH (n:Entity) RETURN count(n) AS n",
         "relations": "MATCH (:Entity)-[x]->(:Entity) RETURN count(x) AS n",
         "evidence": "MATCH (n:Evidence) RETURN count(n) AS n",
         "mentions": "MATCH (n:Mention) RETURN count(n) AS n"}
CLEAR = "MATCH (n) DETACH DELETE n"

# Copying a whole graph in (push, pull): rows keep their ids, and MERGE makes a re-run a no-op.
ENTITIES_MERGE = ("UNWIND $rows AS r MERGE (e:Entity:{label} {{id: r.id}}) "
                  "SET e.type = r.type, e.name = r.name, e.attributes = r.attributes")
KEYS_ALL = ("MATCH (k:Key) RETURN k.type AS type, k.key AS key, k.entity_id AS entity_id, "
            "k.alias AS alias")
MENTIONS_ALL = ("MATCH (m:Mention) RETURN m.entity_id AS entity_id, m.document_id AS "
                "document_id, m.span_start AS start, m.span_end AS end, m.text AS text")
DOCUMENTS_ALL = ("MATCH (d:Document) RETURN d.id AS id, d.title AS title, d.source AS source, "
                 "d.published AS published, d.ingested_at AS ingested_at ORDER BY d.seq")
