-- The `npm start` demo, after Neon's "PostgREST with Neon" guide: an exposed schema `api`, a
-- NOINHERIT login role the API connects as, `anonymous` for requests without a token (read only)
-- and `authenticated` for signed-in users (writes), with row-level security deciding which rows
-- each may touch. Loaded as superuser when the demo database is created (dev/start.ts).

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticator') THEN
    CREATE ROLE authenticator LOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anonymous') THEN
    CREATE ROLE anonymous NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN
    CREATE ROLE authenticated NOLOGIN;
  END IF;
END
$$;

-- Few SCRAM iterations: the Neon driver computes the password hash in plain JS on every WebSocket
-- login. Local demo credentials only; on Neon use the role and password Neon gives you.
SET scram_iterations = 16;
ALTER ROLE authenticator LOGIN NOINHERIT PASSWORD 'authenticator';
RESET scram_iterations;
GRANT anonymous TO authenticator;
GRANT authenticated TO authenticator;

DROP SCHEMA IF EXISTS api CASCADE;
CREATE SCHEMA api;
GRANT USAGE ON SCHEMA api TO anonymous, authenticated;

CREATE TABLE api.courses (
  id serial PRIMARY KEY,
  title text NOT NULL
);
COMMENT ON TABLE api.courses IS 'Courses students can enrol in';

CREATE TABLE api.students (
  id serial PRIMARY KEY,
  name text NOT NULL,
  email text UNIQUE,
  course_id int REFERENCES api.courses (id),
  enrolled_on date NOT NULL DEFAULT current_date,
  -- The `sub` claim of the token that created the row (NULL for the seed rows).
  created_by text DEFAULT current_setting('request.jwt.claims', true)::json ->> 'sub'
);
COMMENT ON TABLE api.students IS 'Students of the demo school';

INSERT INTO api.courses (title) VALUES ('Mathematics'), ('Computer Science'), ('Physics');
INSERT INTO api.students (name, email, course_id, enrolled_on) VALUES
  ('Ada Lovelace', 'ada@example.com', 1, '2024-09-01'),
  ('Alan Turing', 'alan@example.com', 2, '2024-09-01'),
  ('Grace Hopper', 'grace@example.com', 2, '2024-09-02'),
  ('Emmy Noether', 'emmy@example.com', 1, '2024-09-03'),
  ('Marie Curie', 'marie@example.com', 3, '2024-09-04'),
  ('Katherine Johnson', 'katherine@example.com', 1, '2024-09-05');

-- Privileges: anonymous reads, authenticated writes (row-level security narrows both).
GRANT SELECT ON api.courses, api.students TO anonymous, authenticated;
GRANT INSERT, UPDATE, DELETE ON api.students TO authenticated;
GRANT USAGE ON SEQUENCE api.students_id_seq TO authenticated;

ALTER TABLE api.students ENABLE ROW LEVEL SECURITY;
CREATE POLICY students_read ON api.students FOR SELECT TO anonymous, authenticated USING (true);
-- Signed-in users manage the rows they created (`sub` of their token).
CREATE POLICY students_insert ON api.students FOR INSERT TO authenticated
  WITH CHECK (created_by = current_setting('request.jwt.claims', true)::json ->> 'sub');
CREATE POLICY students_update ON api.students FOR UPDATE TO authenticated
  USING (created_by = current_setting('request.jwt.claims', true)::json ->> 'sub');
CREATE POLICY students_delete ON api.students FOR DELETE TO authenticated
  USING (created_by = current_setting('request.jwt.claims', true)::json ->> 'sub');
