ALTER TABLE "api_keys" ADD COLUMN "secret_created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- The age of each existing secret: its last regeneration in the audit log, else the key's creation.
UPDATE "api_keys" SET "secret_created_at" = coalesce(
  (SELECT max("audit_log"."created_at") FROM "audit_log"
    WHERE "audit_log"."target_type" = 'api_key' AND "audit_log"."target_id" = "api_keys"."id"
      AND "audit_log"."action" = 'api_key.secret_regenerated'),
  "api_keys"."created_at");
