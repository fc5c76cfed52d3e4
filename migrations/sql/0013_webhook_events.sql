-- A webhook may receive several event types: "event" becomes the list "events", each
-- existing webhook keeping its one event.
ALTER TABLE "webhooks" ADD COLUMN "events" text[];--> statement-breakpoint
UPDATE "webhooks" SET "events" = ARRAY["event"];--> statement-breakpoint
ALTER TABLE "webhooks" ALTER COLUMN "events" SET NOT NULL;--> statement-breakpoint
DROP INDEX "webhooks_store_event_idx";--> statement-breakpoint
CREATE INDEX "webhooks_store_idx" ON "webhooks" USING btree ("store_id");--> statement-breakpoint
ALTER TABLE "webhooks" DROP COLUMN "event";
