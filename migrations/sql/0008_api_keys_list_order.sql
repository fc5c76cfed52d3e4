DROP INDEX "api_keys_store_idx";--> statement-breakpoint
CREATE INDEX "api_keys_store_idx" ON "api_keys" USING btree ("store_id","created_at","id");