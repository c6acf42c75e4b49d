-- Sign-in tokens carry the user's session generation; signing out, or a change of role, enabled or
-- password, moves it on, so every token issued before stops working at once (tokens are stateless
-- JWTs otherwise valid for 8 hours).
ALTER TABLE app_user ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;
