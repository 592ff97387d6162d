-- The role the counters connect as (issue 18, least privilege), run by the database's owner
-- after `loket init` has made the schema: it reads and writes loket's rows, but it cannot
-- change the schema (it owns nothing, and may not create in the schema), cannot change or
-- remove audit rows (no UPDATE, DELETE or TRUNCATE on audit_log, besides the triggers that
-- refuse them to everyone), and cannot drop those triggers. Set its password with
-- `\password loket_counter` in psql; counters give it through PGPASSWORD or ~/.pgpass.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'loket_counter') THEN
        CREATE ROLE loket_counter LOGIN;
    END IF;
END
$$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO loket_counter;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO loket_counter;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM loket_counter;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO loket_counter;
