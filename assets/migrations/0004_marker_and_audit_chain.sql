-- 0004: nothing lost, nothing leaked (issue 14).
-- * loket's mark in the SQLite header: only `loket init` and `loket demo` make a database, and a
--   file without this mark (or, from before it, loket's tables) is refused unchanged.
-- * The audit trail becomes a hash chain: each row's `chain` is SHA-256 over the previous row's
--   chain and the row's own fields (db::audit::link), so a row changed, removed or inserted
--   behind the append-only triggers' back breaks the chain at that row, and `loket check` and
--   every restore say where. Existing rows are chained here in id order; the update trigger is
--   set aside for that one UPDATE and put back as it was.

PRAGMA application_id = 1280265044;

ALTER TABLE audit_log ADD COLUMN chain TEXT;

DROP TRIGGER audit_log_no_update;

CREATE TEMP TABLE audit_chain_backfill (id INTEGER PRIMARY KEY, chain TEXT NOT NULL);
INSERT INTO temp.audit_chain_backfill (id, chain)
WITH RECURSIVE link(id, chain) AS (
    SELECT id, loket_audit_link('', id, at, operator_id, operator_name, action, entity, entity_id, before_json, after_json)
    FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)
    UNION ALL
    SELECT a.id, loket_audit_link(link.chain, a.id, a.at, a.operator_id, a.operator_name, a.action, a.entity, a.entity_id, a.before_json, a.after_json)
    FROM link JOIN audit_log a ON a.id = (SELECT min(id) FROM audit_log WHERE id > link.id)
)
SELECT id, chain FROM link;
UPDATE audit_log SET chain = b.chain FROM temp.audit_chain_backfill b WHERE b.id = audit_log.id;
DROP TABLE temp.audit_chain_backfill;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
