"""The embedded store's schema, as numbered migrations applied in order and recorded in the
``migrations`` table, so an old file is brought up to date when it is opened."""

# Every name's key made again by the store's SQL function ``name_key`` (for when the normal
# form changes); a row whose new key its entity already holds goes; registry-id keys ("ID ...")
# stay.
REKEY = """
    UPDATE OR IGNORE entity_keys SET key = name_key(alias)
        WHERE substr(key, 1, 3) != 'ID ' AND key != name_key(alias);
    DELETE FROM entity_keys WHERE substr(key, 1, 3) != 'ID ' AND key != name_key(alias);
"""

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial schema", """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        );
        INSERT INTO meta VALUES ('revision', 0);
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            published TEXT,
            text TEXT NOT NULL,
            ingested_at TEXT NOT NULL
        );
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            attributes TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE entity_keys (
            type TEXT NOT NULL,
            key TEXT NOT NULL,
            entity_id TEXT NOT NULL REFERENCES entities(id),
            alias TEXT NOT NULL,
            PRIMARY KEY (type, key)
        );
        CREATE INDEX entity_keys_entity ON entity_keys(entity_id);
        CREATE TABLE mentions (
            entity_id TEXT NOT NULL REFERENCES entities(id),
            document_id TEXT NOT NULL REFERENCES documents(id),
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (entity_id, document_id, start, end)
        );
        CREATE INDEX mentions_document ON mentions(document_id);
        CREATE TABLE relations (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL REFERENCES entities(id),
            target TEXT NOT NULL REFERENCES entities(id),
            type TEXT NOT NULL,
            attributes TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX relations_source ON relations(source);
        CREATE INDEX relations_target ON relations(target);
        CREATE TABLE evidence (
            relation_id TEXT NOT NULL REFERENCES relations(id),
            document_id TEXT NOT NULL REFERENCES documents(id),
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            quote TEXT NOT NULL,
            extractor TEXT NOT NULL,
            confidence REAL NOT NULL,
            PRIMARY KEY (relation_id, document_id, start, end)
        );
        CREATE INDEX evidence_document ON evidence(document_id);
    """),
    (2, "entity keys by key alone", """
        CREATE INDEX entity_keys_key ON entity_keys(key);
    """),
    # Search by any part of a name: a trigram index of the keys, kept in step by triggers. Its
    # rows carry the entity id, so a hit needs no join; their rowids follow entity_keys' own,
    # which is how a deleted or updated key finds its row.
    (3, "trigram search of names", """
        CREATE VIRTUAL TABLE entity_search USING fts5(key, entity_id UNINDEXED, type UNINDEXED,
                                                      tokenize = 'trigram');
        INSERT INTO entity_search(rowid, key, entity_id, type)
            SELECT rowid, key, entity_id, type FROM entity_keys;
        CREATE TRIGGER entity_keys_search_insert AFTER INSERT ON entity_keys BEGIN
            INSERT INTO entity_search(rowid, key, entity_id, type)
                VALUES (new.rowid, new.key, new.entity_id, new.type);
        END;
        CREATE TRIGGER entity_keys_search_delete AFTER DELETE ON entity_keys BEGIN
            DELETE FROM entity_search WHERE rowid = old.rowid;
        END;
        CREATE TRIGGER entity_keys_search_update AFTER UPDATE ON entity_keys BEGIN
            DELETE FROM entity_search WHERE rowid = old.rowid;
            INSERT INTO entity_search(rowid, key, entity_id, type)
                VALUES (new.rowid, new.key, new.entity_id, new.type);
        END;
    """),
    # Merges of two entities into one, with what a split needs to undo them
    # (graph.resolution.merges).
    (4, "entity merges", """
        CREATE TABLE merges (
            id TEXT PRIMARY KEY,
            kept TEXT NOT NULL,
            merged TEXT NOT NULL,
            reason TEXT NOT NULL,
            automatic INTEGER NOT NULL,
            at TEXT NOT NULL,
            undone TEXT,
            detail TEXT NOT NULL
        );
        CREATE INDEX merges_kept ON merges(kept);
        CREATE INDEX merges_merged ON merges(merged);
    """),
    # A key may name several entities of one type (two people called John Smith, two firms
    # with the same name and different registry ids): resolution chooses among them.
    (5, "a key may name several entities", """
        DROP TRIGGER entity_keys_search_insert;
        DROP TRIGGER entity_keys_search_delete;
        DROP TRIGGER entity_keys_search_update;
        CREATE TABLE entity_keys_v5 (
            type TEXT NOT NULL,
            key TEXT NOT NULL,
            entity_id TEXT NOT NULL REFERENCES entities(id),
            alias TEXT NOT NULL,
            PRIMARY KEY (type, key, entity_id)
        );
        INSERT INTO entity_keys_v5 SELECT type, key, entity_id, alias FROM entity_keys
            ORDER BY rowid;
        DROP TABLE entity_keys;
        ALTER TABLE entity_keys_v5 RENAME TO entity_keys;
        CREATE INDEX entity_keys_entity ON entity_keys(entity_id);
        CREATE INDEX entity_keys_key ON entity_keys(key);
        DELETE FROM entity_search;
        INSERT INTO entity_search(rowid, key, entity_id, type)
            SELECT rowid, key, entity_id, type FROM entity_keys;
        CREATE TRIGGER entity_keys_search_insert AFTER INSERT ON entity_keys BEGIN
            INSERT INTO entity_search(rowid, key, entity_id, type)
                VALUES (new.rowid, new.key, new.entity_id, new.type);
        END;
        CREATE TRIGGER entity_keys_search_delete AFTER DELETE ON entity_keys BEGIN
            DELETE FROM entity_search WHERE rowid = old.rowid;
        END;
        CREATE TRIGGER entity_keys_search_update AFTER UPDATE ON entity_keys BEGIN
            DELETE FROM entity_search WHERE rowid = old.rowid;
            INSERT INTO entity_search(rowid, key, entity_id, type)
                VALUES (new.rowid, new.key, new.entity_id, new.type);
        END;
    """),
    # Keys drop honorifics and post-nominals ("The Rt Hon Francis Maude MP" is "francis
    # maude"): re-key every name.
    (6, "keys without honorifics", REKEY),
    # The automatic merges an ingest leaves to make (``graph.resolution.ingest`` makes them
    # after the ingest commits, then drops the rows): the new entities' ids, and the pairs one
    # document names as one ("a<TAB>b"). A crash in between leaves them here for the next try.
    (7, "pending merges", """
        CREATE TABLE pending_merges (
            document_id TEXT NOT NULL,
            item TEXT NOT NULL
        );
        CREATE INDEX pending_merges_document ON pending_merges(document_id);
    """),
    # One list of honorifics (graph/data/names.toml) now also holds "Frau" and "Herr": re-key
    # every name again, as migration 6 did.
    (8, "keys without the honorifics of one list", REKEY),
    # Evidence by reference: a row holds its document and span; the quote is cut from the
    # document's text when read (it is always text[start:end], Extraction.validate sees to it),
    # so a register record quoted by each of its relations is stored once, in the document.
    (9, "evidence by reference", """
        CREATE TABLE evidence_v9 (
            relation_id TEXT NOT NULL REFERENCES relations(id),
            document_id TEXT NOT NULL REFERENCES documents(id),
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            extractor TEXT NOT NULL,
            confidence REAL NOT NULL,
            PRIMARY KEY (relation_id, document_id, start, end)
        );
        INSERT INTO evidence_v9 SELECT relation_id, document_id, start, end, extractor,
            confidence FROM evidence ORDER BY rowid;
        DROP TABLE evidence;
        ALTER TABLE evidence_v9 RENAME TO evidence;
        CREATE INDEX evidence_document ON evidence(document_id);
    """),
    # What each write changed, for readers that keep something built from the graph (the
    # analytic index of ``graph.view``) and bring it up to date from what changed rather than
    # from the whole graph. An ingest logs its document (its relations are those with evidence
    # there); triggers log entities created, retyped or deleted and relations moved or deleted
    # (with their ends before) or losing evidence; a merge or split logs the relations it
    # writes; a restore logs 'all'. In the writing transaction, so the log and the rows agree;
    # the last 100,000 entries are kept (a reader further behind reads the whole graph again).
    # The store gets an id of its own, so that what is saved beside its file (the analytic
    # index, graph.index_files) is known to be its.
    (10, "a log of changes", """
        CREATE TABLE changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            source TEXT,
            target TEXT
        );
        CREATE TRIGGER entities_created AFTER INSERT ON entities BEGIN
            INSERT INTO changes(kind, id) VALUES ('entity', new.id);
        END;
        CREATE TRIGGER entities_retyped AFTER UPDATE OF type ON entities BEGIN
            INSERT INTO changes(kind, id) VALUES ('entity', old.id);
        END;
        CREATE TRIGGER entities_deleted AFTER DELETE ON entities BEGIN
            INSERT INTO changes(kind, id) VALUES ('entity', old.id);
        END;
        CREATE TRIGGER relations_moved AFTER UPDATE OF source, target, type ON relations BEGIN
            INSERT INTO changes(kind, id, source, target)
                VALUES ('relation', old.id, old.source, old.target);
        END;
        CREATE TRIGGER relations_deleted AFTER DELETE ON relations BEGIN
            INSERT INTO changes(kind, id, source, target)
                VALUES ('relation', old.id, old.source, old.target);
        END;
        CREATE TRIGGER evidence_removed AFTER DELETE ON evidence BEGIN
            INSERT INTO changes(kind, id) VALUES ('relation', old.relation_id);
        END;
        INSERT INTO meta VALUES ('store', abs(random()));
        CREATE TRIGGER changes_pruned AFTER UPDATE OF value ON meta
            WHEN new.key = 'revision' BEGIN
            DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - 100000;
        END;
    """),
]
