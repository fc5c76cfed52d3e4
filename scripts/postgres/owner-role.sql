-- The role that owns Deskflow's schema and applies its migrations (`node server/dist/migrate.js`).
-- No superuser. Run as a superuser, for a database the app has not migrated yet:
--   createdb deskflow
--   psql -v ON_ERROR_STOP=1 -v database=deskflow -v owner=deskflow_owner -v owner_password='…' -f scripts/postgres/owner-role.sql
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password';
ALTER DATABASE :"database" OWNER TO :"owner";
-- Only the owner, superusers and the roles granted CONNECT (app-role.sql) may connect.
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
\connect :"database"
-- Up to PostgreSQL 14 every role may create objects in schema public.
ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
