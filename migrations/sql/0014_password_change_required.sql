-- Set while an admin's password is one generated for them by someone else (Settings → Team,
-- the CLI's admin create and reset-password): until they choose their own, only that is allowed.
-- Admins that exist already keep signing in as before: nothing tells which passwords were generated.
ALTER TABLE "admins" ADD COLUMN "password_change_required" boolean DEFAULT false NOT NULL;
