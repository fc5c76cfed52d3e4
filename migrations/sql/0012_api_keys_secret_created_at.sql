ALTER TABLE "api_keys" ADD COLUMN "secret_created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- The age of each existing secret: the key's creation, or its last regeneration in the audit
-- log (one pass over each table, whatever their sizes).
UPDATE "api_keys" SET "secret_created_at" = "created_at";--> statement-breakpoint
UPDATE "api_keys" SET "secret_created_at" = "regenerated"."at"
  FROM (SELECT "target_id", max("created_at") AS "at" FROM "audit_log"
        WHERE "target_type" = 'api_key' AND "action" = 'api_key.secret_regenerated'
        GROUP BY "target_id") AS "regenerated"
  WHERE "regenerated"."target_id" = "api_keys"."id";
