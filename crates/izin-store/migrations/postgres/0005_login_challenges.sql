-- Sign-in codes belong to the challenge given to the client that asked for them: entering a code
-- needs the challenge, and the limits on asking count per address and client. Codes issued
-- before this have no challenge and can no longer be entered (they expire within minutes).
ALTER TABLE login_codes ADD COLUMN challenge_hash BYTEA;
ALTER TABLE login_codes ADD COLUMN email TEXT;
ALTER TABLE login_codes ADD COLUMN client_ip TEXT;
CREATE INDEX login_codes_by_challenge ON login_codes (challenge_hash, issued_at DESC);
CREATE INDEX login_codes_by_address_and_client ON login_codes (email_key, client_ip, issued_at DESC);
