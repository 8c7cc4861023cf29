-- whoami returns the session a request runs with, so that tests see the
-- role and variables authentication produced.
CREATE TABLE session_echo (session json);
CREATE FUNCTION whoami(hasura_session json) RETURNS SETOF session_echo
  LANGUAGE sql STABLE AS $$ SELECT hasura_session $$;
