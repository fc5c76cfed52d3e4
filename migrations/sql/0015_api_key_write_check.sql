-- Fails the statement that calls it unless `held` is true: a write that checks its API key
-- in its own statement (api-keys/write-key-check.ts) calls it with whether the key's row was
-- found and is still valid. Raising, rather than writing nothing, rolls back every part of
-- the statement at once, whatever parts it has. SQLSTATE DFK01 is this refusal's own.
CREATE FUNCTION api_key_write_held(held boolean) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF held IS NOT TRUE THEN
    RAISE EXCEPTION 'the API key of this write was revoked or changed while it ran' USING ERRCODE = 'DFK01';
  END IF;
  RETURN true;
END
$$;
