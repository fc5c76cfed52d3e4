-- A webhook may receive several event types: "events" is the list, each existing webhook
-- keeping its one event. "event" stays (no longer written, no longer required) so that
-- instances still running the previous release keep working during a rolling upgrade.
ALTER TABLE "webhooks" ADD COLUMN "events" text[];--> statement-breakpoint
UPDATE "webhooks" SET "events" = ARRAY["event"];--> statement-breakpoint
ALTER TABLE "webhooks" ALTER COLUMN "events" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "webhooks" ALTER COLUMN "event" DROP NOT NULL;--> statement-breakpoint
DROP INDEX "webhooks_store_event_idx";--> statement-breakpoint
CREATE INDEX "webhooks_store_idx" ON "webhooks" USING btree ("store_id");--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_events_not_empty" CHECK (cardinality("webhooks"."events") > 0);
