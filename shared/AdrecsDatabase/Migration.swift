/// One versioned schema change: statements run in order in one transaction, with
/// `search_path` set to the target schema (so names are unqualified).
struct Migration: Sendable {
    let version: Int
    let statements: [String]
}

extension Migration {
    /// Every migration, in version order. Append new versions; never edit an applied one.
    static let all: [Migration] = [
        Migration(version: 1, statements: [
            """
            CREATE TABLE runs (run_id text PRIMARY KEY, date date NOT NULL,
              state text NOT NULL CHECK (state IN ('queued','running','succeeded','failed')),
              created_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz, error text)
            """,
            "CREATE UNIQUE INDEX runs_one_active_per_date ON runs (date) WHERE state IN ('queued','running')",
            "CREATE INDEX runs_date ON runs (date, created_at DESC)",
            """
            CREATE TABLE run_stages (run_id text NOT NULL REFERENCES runs ON DELETE CASCADE,
              stage text NOT NULL CHECK (stage IN ('ingest','models','writer')),
              state text NOT NULL CHECK (state IN ('pending','queued','running','succeeded','failed')),
              queued_at timestamptz, started_at timestamptz, finished_at timestamptz, heartbeat_at timestamptz,
              worker text, counts jsonb NOT NULL DEFAULT '{}', s3_keys jsonb NOT NULL DEFAULT '{}', error text,
              PRIMARY KEY (run_id, stage))
            """,
            "CREATE INDEX run_stages_queued ON run_stages (stage, queued_at) WHERE state = 'queued'",
            """
            CREATE TABLE recommendations (date date NOT NULL, advertiser_id text NOT NULL,
              model text NOT NULL CHECK (model IN ('TopCTR','TopProduct')), rank int NOT NULL CHECK (rank BETWEEN 1 AND 20),
              product_id text NOT NULL, views int, impressions int, clicks int, ctr double precision,
              PRIMARY KEY (date, advertiser_id, model, rank))
            """,
            """
            CREATE TABLE active_advertisers (date date NOT NULL, advertiser_id text NOT NULL,
              PRIMARY KEY (date, advertiser_id))
            """,
            """
            CREATE TABLE committed_days (date date PRIMARY KEY, run_id text NOT NULL,
              committed_at timestamptz NOT NULL DEFAULT now(),
              recommendation_rows int NOT NULL, advertisers int NOT NULL)
            """,
        ]),
        // Redelivery from the ledger: how often a stage was claimed, and the message that queued it.
        Migration(version: 2, statements: [
            "ALTER TABLE run_stages ADD COLUMN attempts int NOT NULL DEFAULT 0",
            "ALTER TABLE run_stages ADD COLUMN handover text",
        ]),
        // A run kicked with `force` commits a day the writer's volume check would refuse; a retracted
        // day is recorded with what was removed and who asked.
        Migration(version: 3, statements: [
            "ALTER TABLE runs ADD COLUMN force boolean NOT NULL DEFAULT false",
            """
            CREATE TABLE retractions (retraction_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              date date NOT NULL, run_id text NOT NULL, retracted_at timestamptz NOT NULL DEFAULT now(),
              recommendation_rows int NOT NULL, advertisers int NOT NULL,
              source text NOT NULL CHECK (source IN ('http', 'cli')))
            """,
            "CREATE INDEX retractions_date ON retractions (date, retracted_at DESC)",
        ]),
    ]
}
