-- A passport or consulate-reference sign-in declares a passport identity. The code carries the
-- declaration with the registry's verdict (known only after the code is entered); the account
-- keeps the last declaration that matched, as declared, never as verified.
ALTER TABLE login_codes ADD COLUMN declared JSONB;
ALTER TABLE users ADD COLUMN declared_identity JSONB;
ALTER TABLE users ADD COLUMN declared_at TIMESTAMPTZ;
