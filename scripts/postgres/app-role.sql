-- The role the API and the webhook delivery workers run as: it reads and writes rows and
-- changes no schema. `owner` is the role that applies the migrations (see owner-role.sql).
-- Run as a superuser (BYPASSRLS needs one), before or after the first migration:
--   psql -v ON_ERROR_STOP=1 -v database=deskflow -v owner=deskflow_owner -v app=deskflow_app -v app_password='…' -f scripts/postgres/app-role.sql
-- BYPASSRLS: graphile-worker's queue tables have row level security on and no policies,
-- so that only their owner could use them otherwise. Deskflow's own tables have none.
CREATE ROLE :"app" LOGIN BYPASSRLS PASSWORD :'app_password';
GRANT CONNECT ON DATABASE :"database" TO :"app";
\connect :"database"
-- What later migrations create.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT USAGE ON SCHEMAS TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT USAGE, SELECT ON SEQUENCES TO :"app";
-- What earlier migrations created, if any.
SELECT set_config('deskflow.app_role', :'app', false);
DO $$
DECLARE s name;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname IN ('public', 'drizzle', 'graphile_worker') LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, current_setting('deskflow.app_role'));
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', s, current_setting('deskflow.app_role'));
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', s, current_setting('deskflow.app_role'));
  END LOOP;
END $$;
