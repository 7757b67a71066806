//! The event log's SQL, and only the SQL: the hashes and links are computed by the service,
//! and every row is read once into a typed struct.

use super::service::{Actor, Event, GENESIS, Subject};
use crate::db::Backend;
use sqlx::{AnyConnection, AnyPool};

/// The head of the global chain: the number of the last entry and its link.
#[derive(Debug, sqlx::FromRow)]
pub struct Head {
    pub gseq: i64,
    pub link_hash: String,
}

/// Moves the head on by `n` entries and returns it as it is after the move. Inside the caller's
/// transaction the row stays locked until it commits, so no two writers take the same numbers.
pub async fn advance_head(conn: &mut AnyConnection, n: i64) -> sqlx::Result<Head> {
    sqlx::query_as("UPDATE event_head SET gseq = gseq + $1 WHERE id = 1 RETURNING gseq, link_hash")
        .bind(n)
        .fetch_one(&mut *conn)
        .await
}

/// Sets the head to the last entry written: its number and its link.
pub async fn set_head(conn: &mut AnyConnection, gseq: i64, link_hash: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE event_head SET gseq = $1, link_hash = $2 WHERE id = 1")
        .bind(gseq)
        .bind(link_hash)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// The head as it is now, read without taking it.
pub async fn head<'e>(conn: impl sqlx::Executor<'e, Database = sqlx::Any>) -> sqlx::Result<Head> {
    sqlx::query_as("SELECT gseq, link_hash FROM event_head WHERE id = 1")
        .fetch_one(conn)
        .await
}

/// Creates the head, before the first entry, unless it is there already.
pub async fn insert_head(conn: &mut AnyConnection) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO event_head (id, gseq, link_hash) VALUES (1, 0, '{GENESIS}') ON CONFLICT (id) DO NOTHING"
    ))
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// The last entry of a subject's chain, which the next one follows.
#[derive(Debug, sqlx::FromRow)]
pub struct Last {
    pub seq: i64,
    pub hash: String,
}

pub async fn last(conn: &mut AnyConnection, subject: Subject<'_>) -> sqlx::Result<Option<Last>> {
    sqlx::query_as(
        "SELECT seq, hash FROM events WHERE subject_type = $1 AND subject_id = $2 ORDER BY seq DESC LIMIT 1",
    )
    .bind(subject.kind)
    .bind(subject.id)
    .fetch_optional(&mut *conn)
    .await
}

/// The last entry of one of many subjects' chains.
#[derive(Debug, sqlx::FromRow)]
pub struct LastOf {
    pub subject_id: String,
    pub seq: i64,
    pub hash: String,
}

/// The last entries of the chains of the subjects `ids` of one kind (those that have any), in a
/// few statements.
pub async fn lasts(
    conn: &mut AnyConnection,
    kind: &str,
    ids: &[&str],
) -> sqlx::Result<Vec<LastOf>> {
    let mut lasts = Vec::new();
    for chunk in ids.chunks(crate::db::JSON_CHUNK) {
        let sql = format!(
            "SELECT subject_id, seq, hash FROM events e WHERE subject_type = $1
             AND subject_id IN (SELECT v.value FROM {})
             AND seq = (SELECT MAX(seq) FROM events m WHERE m.subject_type = e.subject_type AND m.subject_id = e.subject_id)",
            crate::db::json_texts(conn, 2)
        );
        let rows: Vec<LastOf> = sqlx::query_as(&sql)
            .persistent(false)
            .bind(kind)
            .bind(crate::db::json_array(chunk))
            .fetch_all(&mut *conn)
            .await?;
        lasts.extend(rows);
    }
    Ok(lasts)
}

/// Writes one entry, already hashed and linked, under a new id.
pub async fn insert(
    conn: &mut AnyConnection,
    subject: Subject<'_>,
    event: &Event,
    gseq: i64,
    link_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO events (id, subject_type, subject_id, seq, at, actor_id, actor_label, action,
             details, ip, prev_hash, hash, gseq, link_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(subject.kind)
    .bind(subject.id)
    .bind(event.seq)
    .bind(&event.at)
    .bind(&event.actor_id)
    .bind(&event.actor_label)
    .bind(&event.action)
    .bind(&event.details)
    .bind(&event.ip)
    .bind(&event.prev_hash)
    .bind(&event.hash)
    .bind(gseq)
    .bind(link_hash)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// One entry of [`insert_many`], already hashed and linked.
pub struct Chained<'a> {
    pub subject_id: &'a str,
    pub event: Event,
    pub gseq: i64,
    pub link_hash: String,
}

/// An entry as [`insert_many`] sends it.
#[derive(serde::Serialize)]
struct Json<'a> {
    id: String,
    subject: &'a str,
    seq: i64,
    action: &'a str,
    details: &'a str,
    prev: &'a str,
    hash: &'a str,
    gseq: i64,
    link: &'a str,
}

/// Entries as [`insert_many`] sends them: JSON arrays of a thousand each, with new ids.
pub fn payloads(rows: &[Chained<'_>]) -> Vec<String> {
    rows.chunks(crate::db::JSON_CHUNK)
        .map(|chunk| {
            let json: Vec<Json> = chunk
                .iter()
                .map(|r| Json {
                    id: uuid::Uuid::now_v7().to_string(),
                    subject: r.subject_id,
                    seq: r.event.seq,
                    action: &r.event.action,
                    details: &r.event.details,
                    prev: &r.event.prev_hash,
                    hash: &r.event.hash,
                    gseq: r.gseq,
                    link: &r.link_hash,
                })
                .collect();
            crate::db::json_array(&json)
        })
        .collect()
}

/// Writes entries of subjects of one kind, by one actor at one time, in a few statements: who,
/// when and from where are bound once, the rest goes as the JSON [`payloads`] made.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert_many(
    conn: &mut AnyConnection,
    kind: &str,
    at: &str,
    actor: &Actor,
    payloads: &[String],
) -> sqlx::Result<()> {
    let sql = format!(
        "INSERT INTO events (id, subject_type, subject_id, seq, at, actor_id, actor_label, action,
             details, ip, prev_hash, hash, gseq, link_hash)
         SELECT v.value ->> 'id', $1, v.value ->> 'subject', CAST(v.value ->> 'seq' AS BIGINT),
             $2, $3, $4, v.value ->> 'action', v.value ->> 'details', $5, v.value ->> 'prev',
             v.value ->> 'hash', CAST(v.value ->> 'gseq' AS BIGINT), v.value ->> 'link'
         FROM {}",
        crate::db::json_rows(conn, 6)
    );
    for payload in payloads {
        sqlx::query(&sql)
            .persistent(false)
            .bind(kind)
            .bind(at)
            .bind(&actor.account_id)
            .bind(&actor.label)
            .bind(&actor.ip)
            .bind(payload.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A subject's entries, oldest first, as they were hashed.
pub async fn list(pool: &AnyPool, subject: Subject<'_>) -> sqlx::Result<Vec<Event>> {
    sqlx::query_as(
        "SELECT seq, at, actor_id, actor_label, action, details, ip, prev_hash, hash FROM events
         WHERE subject_type = $1 AND subject_id = $2 ORDER BY seq",
    )
    .bind(subject.kind)
    .bind(subject.id)
    .fetch_all(pool)
    .await
}

/// A subject that has entries.
#[derive(Debug, sqlx::FromRow)]
pub struct Logged {
    pub subject_type: String,
    pub subject_id: String,
}

/// Every subject with entries, in a stable order.
pub async fn subjects(pool: &AnyPool) -> sqlx::Result<Vec<Logged>> {
    sqlx::query_as(
        "SELECT DISTINCT subject_type, subject_id FROM events ORDER BY subject_type, subject_id",
    )
    .fetch_all(pool)
    .await
}

/// An entry's place in the global chain. Its number and link are missing only when the entry
/// was written before the global chain existed and `prepare` has not linked it yet.
#[derive(Debug, sqlx::FromRow)]
pub struct Linked {
    pub gseq: Option<i64>,
    pub hash: String,
    pub link_hash: Option<String>,
}

/// Every entry's place in the global chain, in its order.
pub async fn links(pool: &AnyPool) -> sqlx::Result<Vec<Linked>> {
    sqlx::query_as("SELECT gseq, hash, link_hash FROM events ORDER BY gseq")
        .fetch_all(pool)
        .await
}

/// The first entry after `covered` written before `before`: one that no signed checkpoint
/// covers although it should.
pub async fn first_uncovered(
    pool: &AnyPool,
    covered: i64,
    before: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MIN(gseq) FROM events WHERE gseq > $1 AND at < $2")
        .bind(covered)
        .bind(before)
        .fetch_one(pool)
        .await
}

/// An entry written before the global chain existed.
#[derive(Debug, sqlx::FromRow)]
pub struct Unlinked {
    pub id: String,
    pub hash: String,
}

/// The entries not yet in the global chain, in the order they were written.
pub async fn unlinked(conn: &mut AnyConnection) -> sqlx::Result<Vec<Unlinked>> {
    sqlx::query_as(
        "SELECT id, hash FROM events WHERE gseq IS NULL ORDER BY at, subject_type, subject_id, seq",
    )
    .fetch_all(&mut *conn)
    .await
}

/// Puts an entry written before the global chain existed into it (the triggers are dropped
/// meanwhile: this is the only update the log allows).
pub async fn set_link(
    conn: &mut AnyConnection,
    id: &str,
    gseq: i64,
    link_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE events SET gseq = $1, link_hash = $2 WHERE id = $3")
        .bind(gseq)
        .bind(link_hash)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// A signed checkpoint of the global chain's head.
#[derive(Debug, sqlx::FromRow)]
pub struct Checkpoint {
    pub at: String,
    pub gseq: i64,
    pub link_hash: String,
    pub signature: String,
}

/// Every checkpoint, oldest first: each signs the signature of the one before it.
pub async fn checkpoints(pool: &AnyPool) -> sqlx::Result<Vec<Checkpoint>> {
    sqlx::query_as(
        "SELECT at, gseq, link_hash, signature FROM event_checkpoints ORDER BY gseq, at, id",
    )
    .fetch_all(pool)
    .await
}

/// The newest checkpoint's signature, which the next checkpoint signs too.
pub async fn last_signature(conn: &mut AnyConnection) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT signature FROM event_checkpoints ORDER BY gseq DESC, at DESC, id DESC LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await
}

/// When the newest checkpoint was signed, and the head it signed.
#[derive(Debug, sqlx::FromRow)]
pub struct LastCheckpoint {
    pub at: String,
    pub gseq: i64,
}

pub async fn last_checkpoint(pool: &AnyPool) -> sqlx::Result<Option<LastCheckpoint>> {
    sqlx::query_as(
        "SELECT at, gseq FROM event_checkpoints ORDER BY gseq DESC, at DESC, id DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await
}

/// Keeps a signed checkpoint, under a new id, with the public key that verifies it.
pub async fn insert_checkpoint(
    conn: &mut AnyConnection,
    at: &str,
    gseq: i64,
    link_hash: &str,
    public_key: &str,
    signature: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO event_checkpoints (id, at, gseq, link_hash, public_key, signature)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(at)
    .bind(gseq)
    .bind(link_hash)
    .bind(public_key)
    .bind(signature)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// An entry as an event log page shows it.
#[derive(Debug, sqlx::FromRow)]
pub struct Shown {
    pub seq: i64,
    pub at: String,
    pub actor_label: String,
    pub action: String,
    pub details: String,
    pub ip: Option<String>,
}

/// A subject's entries newest first, `limit` of them after `offset`, leaving out the actions
/// `hide`.
pub async fn page(
    pool: &AnyPool,
    subject: Subject<'_>,
    limit: i64,
    offset: i64,
    hide: &[&str],
) -> sqlx::Result<Vec<Shown>> {
    let hidden = if hide.is_empty() {
        String::new()
    } else {
        format!(
            " AND action NOT IN ({})",
            crate::db::placeholders(5, hide.len())
        )
    };
    let sql = format!(
        "SELECT seq, at, actor_label, action, details, ip FROM events
         WHERE subject_type = $1 AND subject_id = $2{hidden} ORDER BY seq DESC LIMIT $3 OFFSET $4"
    );
    let mut q = sqlx::query_as(&sql)
        .bind(subject.kind)
        .bind(subject.id)
        .bind(limit)
        .bind(offset);
    for h in hide {
        q = q.bind(*h);
    }
    q.fetch_all(pool).await
}

/// The tables that only ever grow.
const APPEND_ONLY: [&str; 2] = ["events", "event_checkpoints"];

/// Drops the append-only triggers, for `prepare` to link older entries.
pub async fn drop_triggers(conn: &mut AnyConnection, backend: Backend) -> sqlx::Result<()> {
    for table in APPEND_ONLY {
        let sql = match backend {
            Backend::Sqlite => format!(
                "DROP TRIGGER IF EXISTS {table}_no_update; DROP TRIGGER IF EXISTS {table}_no_delete;"
            ),
            Backend::Postgres => format!(
                "DROP TRIGGER IF EXISTS {table}_append_only ON {table}; \
                 DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};"
            ),
        };
        sqlx::raw_sql(&sql).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Makes the tables append-only, unless they are already: creating a trigger needs the
/// tables' owner, and a server may run as a role that is not.
pub async fn create_triggers(conn: &mut AnyConnection, backend: Backend) -> sqlx::Result<()> {
    for table in APPEND_ONLY {
        match backend {
            Backend::Sqlite => {
                sqlx::raw_sql(&format!(
                    "CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
                     BEGIN SELECT RAISE(ABORT, 'the table {table} is append-only'); END;
                     CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
                     BEGIN SELECT RAISE(ABORT, 'the table {table} is append-only'); END;"
                ))
                .execute(&mut *conn)
                .await?;
            }
            Backend::Postgres => {
                let present: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM pg_trigger WHERE tgname IN ($1, $2) AND NOT tgisinternal",
                )
                .bind(format!("{table}_append_only"))
                .bind(format!("{table}_no_truncate"))
                .fetch_one(&mut *conn)
                .await?;
                if present == 2 {
                    continue;
                }
                sqlx::raw_sql(&format!(
                    "CREATE OR REPLACE FUNCTION certportal_append_only() RETURNS trigger
                     LANGUAGE plpgsql AS $$
                     BEGIN RAISE EXCEPTION 'the table % is append-only', TG_TABLE_NAME; END $$;
                     DROP TRIGGER IF EXISTS {table}_append_only ON {table};
                     DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
                     CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                     FOR EACH ROW EXECUTE FUNCTION certportal_append_only();
                     CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                     FOR EACH STATEMENT EXECUTE FUNCTION certportal_append_only();"
                ))
                .execute(&mut *conn)
                .await?;
            }
        }
    }
    Ok(())
}
