-- Every delivered body carries its event's id ({ id, type, timestamp, data }): deliveries
-- queued before, still to be sent, redelivered or replayed, get it too.
UPDATE "webhook_deliveries" SET "payload" = jsonb_build_object('id', "event_id") || "payload"
  WHERE "event_id" IS NOT NULL AND NOT ("payload" ? 'id');
