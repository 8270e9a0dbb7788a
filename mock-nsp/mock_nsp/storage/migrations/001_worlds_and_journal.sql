-- mock-nsp hosted mode, schema version 1: every tenant's world and journal.
CREATE TABLE tenants (
  name text PRIMARY KEY,
  token_sha256 text,
  ca jsonb NOT NULL,
  generation bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- a citizen's version comes from one sequence, so a version never repeats (not even after a delete)
CREATE SEQUENCE citizen_versions;
CREATE TABLE sections (
  tenant text NOT NULL REFERENCES tenants ON DELETE CASCADE, key text NOT NULL, value jsonb,
  PRIMARY KEY (tenant, key)
);
CREATE TABLE citizens (
  tenant text NOT NULL REFERENCES tenants ON DELETE CASCADE, cpr text NOT NULL, data jsonb NOT NULL,
  version bigint NOT NULL, document bytea, PRIMARY KEY (tenant, cpr)
);
CREATE TABLE faults (
  tenant text NOT NULL REFERENCES tenants ON DELETE CASCADE, id text NOT NULL, seq bigserial, rule jsonb NOT NULL,
  hits integer NOT NULL DEFAULT 0, rng bytea, PRIMARY KEY (tenant, id)
);
CREATE TABLE minlog_entries (
  tenant text NOT NULL REFERENCES tenants ON DELETE CASCADE, seq bigserial, entry jsonb NOT NULL,
  PRIMARY KEY (tenant, seq)
);
CREATE TABLE minlog_requests (
  tenant text NOT NULL REFERENCES tenants ON DELETE CASCADE, seq bigserial, at double precision NOT NULL,
  PRIMARY KEY (tenant, seq)
);
CREATE TABLE lists (
  tenant text NOT NULL REFERENCES tenants ON DELETE CASCADE, kind text NOT NULL, seq bigserial, item jsonb NOT NULL,
  PRIMARY KEY (tenant, kind, seq)
);
-- the journal: ids count per tenant (journal_tenants.last_id), the oldest beyond the cap dropped and counted
CREATE TABLE journal_tenants (tenant text PRIMARY KEY, last_id bigint NOT NULL, dropped bigint NOT NULL);
CREATE TABLE journal (
  tenant text NOT NULL, id bigint NOT NULL, at text NOT NULL, service text NOT NULL, operation text,
  status integer, duration_ms double precision, cpr text, cvr text, doc text NOT NULL, request_body bytea,
  response_body bytea, PRIMARY KEY (tenant, id)
);
-- the bodies and the entry document are stored as they are: compressing ~25 KB per exchange (a base64 PDC mostly)
-- costs PostgreSQL more CPU than the answer itself and saves little
ALTER TABLE journal ALTER COLUMN doc SET STORAGE EXTERNAL, ALTER COLUMN request_body SET STORAGE EXTERNAL,
  ALTER COLUMN response_body SET STORAGE EXTERNAL;
CREATE TABLE marks (
  tenant text NOT NULL, seq bigserial, name text NOT NULL, at text NOT NULL, after_id bigint NOT NULL,
  PRIMARY KEY (tenant, seq)
);
