//! The database: SQLite by default, PostgreSQL at scale, picked by URL. Queries keep to the SQL
//! both understand (`$1` placeholders, text keys and timestamps, `RETURNING`, `ON CONFLICT`).

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl FromStr for Backend {
    type Err = anyhow::Error;

    fn from_str(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:")
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite's reads on the request's own thread (a file database only).
    reader: Option<std::sync::Arc<Reader>>,
}

impl Db {
    /// Opens a pool. A SQLite file (and its folder) is created when missing, and every SQLite
    /// connection runs in WAL mode with foreign keys on and a busy timeout.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        install_default_drivers();
        let backend: Backend = url.parse()?;
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let reader = (backend == Backend::Sqlite)
            .then(|| Reader::of_url(&url))
            .flatten()
            .map(std::sync::Arc::new);
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            // A SQLite connection is a file in this process: nothing to lose on the way, so no
            // round trip to its thread to ping it before each use. A PostgreSQL one is pinged.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // A page cache of up to 32 MB per connection: a bulk action's
                        // transaction (10,000 certificates and their events) stays in memory
                        // until it commits, instead of spilling pages to the log midway.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; \
                             PRAGMA cache_size = -32768;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        Ok(Db {
            pool,
            backend,
            reader,
        })
    }

    /// Every row of a read-only statement whose arguments are texts, bound in order to `$1`,
    /// `$2`, …: the reads every page of a signed-in user makes. On a SQLite file they are read
    /// on the request's own thread ([`Reader`]); otherwise, or when SQLite cannot read them
    /// there now, through the pool.
    pub async fn read_all<T>(&self, sql: &str, args: &[&str]) -> sqlx::Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        if let Some(reader) = &self.reader
            && let Some(rows) = reader
                .rows(sql, args)
                .map_err(|e| sqlx::Error::AnyDriverError(Box::new(e)))?
        {
            return rows.iter().map(T::from_row).collect();
        }
        let mut query = sqlx::query_as(sql);
        for arg in args {
            query = query.bind(*arg);
        }
        query.fetch_all(&self.pool).await
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a
    /// transaction that reads and then writes would otherwise fail outright when another writer
    /// committed in between (its snapshot is stale); this way it waits its turn instead.
    pub async fn begin(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Applies pending migrations, then readies the event log (its head, links of older
    /// entries, and the triggers that keep it append-only).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        MIGRATOR.run(&self.pool).await?;
        if self.backend == Backend::Postgres {
            leave_room_on_pages(&self.pool).await?;
        }
        crate::events::service::prepare(self).await?;
        Ok(())
    }

    pub async fn ping(&self) -> sqlx::Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// PostgreSQL's tables whose rows are updated in bulk, with the fill factor each gets: pages
/// filled to half leave room for a new version of every row on the row's own page, so an update
/// that changes no indexed column (a bulk attestation moving "Förläng senast") writes no index
/// (a heap-only tuple). Measured on 10,000 certificates, a third of them inactive: the update
/// took 115 ms while indexes held the columns it sets, and 52 ms with none and half-full pages.
/// The table takes up to twice the room. Only pages written from then on are filled to it: a
/// table filled before (an upgrade) gets it once rewritten (`VACUUM FULL certificates`, or
/// `pg_repack`). Not a migration: SQLite does not understand the statement.
const FILL_FACTORS: [(&str, u32); 1] = [("certificates", 50)];

/// Sets each table's fill factor, unless one is set already (an operator's choice stays). A
/// server that may not alter the table (it does not own it) says so in its log and goes on.
async fn leave_room_on_pages(pool: &AnyPool) -> sqlx::Result<()> {
    for (table, percent) in FILL_FACTORS {
        let set: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_class WHERE oid = CAST($1 AS regclass)
                 AND array_to_string(reloptions, ',') LIKE '%fillfactor=%')",
        )
        .bind(table)
        .fetch_one(pool)
        .await?;
        if set {
            continue;
        }
        let alter = format!("ALTER TABLE {table} SET (fillfactor = {percent})");
        if let Err(e) = pool.execute(alter.as_str()).await {
            tracing::warn!(error = %e, table, "could not set the table's fill factor; bulk updates write every index (run `certportal migrate` as the table's owner)");
        }
    }
    Ok(())
}

/// SQLite's reads without a hand-over: sqlx runs each SQLite connection on a thread of its own
/// and hands every statement, row and ping over to it and back. On the holder's certificates
/// page (three reads) those threads and their switches took about half the server's time
/// (measured with `perf`); read here instead, the page is served nearly twice as often
/// (`bench/throughput.sh`: 3,463 → 6,441 requests/s). A page's few small reads are quicker done
/// at once on the request's thread, on a read-only connection each thread opens for itself.
/// In WAL mode a reader does not wait for writers, and
/// this one's busy timeout is zero: where SQLite cannot read at once, or the file cannot be
/// opened, the read goes through the pool instead. (One rare case still waits on the request's
/// thread: SQLite's own short retries while another process recovers the log after a crash.)
struct Reader {
    path: String,
    connections: thread_local::ThreadLocal<std::cell::Cell<Option<rusqlite::Connection>>>,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("path", &self.path).finish()
    }
}

impl Reader {
    /// A reader of the file a `sqlite://` URL (as [`sqlite_url`] made it) names; none for a
    /// database in memory.
    fn of_url(url: &str) -> Option<Reader> {
        if url.contains(":memory:") || url.contains("mode=memory") {
            return None;
        }
        // The file as sqlx reads the URL (a percent-encoded path decoded).
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(url).ok()?;
        let path = options.get_filename().to_str()?.to_owned();
        if path.is_empty() || path.starts_with("file:") {
            return None;
        }
        Some(Reader {
            path,
            connections: thread_local::ThreadLocal::new(),
        })
    }

    /// The rows of `sql` with `args`, as sqlx's `AnyRow`s; `None` when SQLite could not read
    /// them here (busy, or the file could not be opened), so the pool reads them. A mistake in
    /// the call (its arguments, or a statement that writes) is an error.
    fn rows(&self, sql: &str, args: &[&str]) -> rusqlite::Result<Option<Vec<sqlx::any::AnyRow>>> {
        use rusqlite::{Error, ErrorCode, OpenFlags};
        let slot = self.connections.get_or(Default::default);
        let conn = match slot.take() {
            Some(conn) => Ok(conn),
            None => rusqlite::Connection::open_with_flags(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .and_then(|conn| conn.busy_timeout(Duration::ZERO).map(|()| conn)),
        };
        // On any failure the connection is dropped: the next read starts afresh.
        match conn.and_then(|conn| read(&conn, sql, args).map(|rows| (conn, rows))) {
            Ok((conn, rows)) => {
                slot.set(Some(conn));
                Ok(Some(rows))
            }
            Err(e @ (Error::InvalidParameterCount(..) | Error::InvalidParameterName(_))) => Err(e),
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::ReadOnly) => Err(e),
            Err(e) => {
                if !matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) {
                    tracing::warn!(error = %e, "SQLite's read on this thread failed; read through the pool");
                }
                Ok(None)
            }
        }
    }
}

/// [`Reader::rows`] on one connection.
fn read(
    conn: &rusqlite::Connection,
    sql: &str,
    args: &[&str],
) -> rusqlite::Result<Vec<sqlx::any::AnyRow>> {
    use rusqlite::types::ValueRef;
    use sqlx_core::any::AnyTypeInfoKind as K;
    use sqlx_core::any::{AnyColumn, AnyRow, AnyTypeInfo, AnyValue, AnyValueKind};
    use sqlx_core::ext::ustr::UStr;

    let mut statement = conn.prepare_cached(sql)?;
    // Stricter than sqlx (which binds a missing argument as NULL): the statement names
    // `$1` … `$n`, each once or more, and gets exactly `n` arguments.
    if statement.parameter_count() != args.len() {
        return Err(rusqlite::Error::InvalidParameterCount(
            args.len(),
            statement.parameter_count(),
        ));
    }
    for (i, arg) in args.iter().enumerate() {
        let name = format!("${}", i + 1);
        let index = statement
            .parameter_index(&name)?
            .ok_or(rusqlite::Error::InvalidParameterName(name))?;
        statement.raw_bind_parameter(index, *arg)?;
    }
    let names: Vec<UStr> = statement
        .column_names()
        .into_iter()
        .map(UStr::new)
        .collect();
    let by_name: std::sync::Arc<sqlx_core::HashMap<UStr, usize>> = std::sync::Arc::new(
        names
            .iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), i))
            .collect(),
    );
    let mut rows = statement.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut columns = Vec::with_capacity(names.len());
        let mut values = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            // As sqlx's SQLite driver maps a value: by the value's own type.
            let (kind, type_kind) = match row.get_ref(i)? {
                ValueRef::Null => (AnyValueKind::Null(K::Null), K::Null),
                ValueRef::Integer(n) => (AnyValueKind::BigInt(n), K::BigInt),
                ValueRef::Real(x) => (AnyValueKind::Double(x), K::Double),
                ValueRef::Text(text) => {
                    let text = std::str::from_utf8(text).map_err(rusqlite::Error::Utf8Error)?;
                    (AnyValueKind::Text(text.to_owned().into()), K::Text)
                }
                ValueRef::Blob(bytes) => (AnyValueKind::Blob(bytes.to_vec().into()), K::Blob),
            };
            columns.push(AnyColumn {
                ordinal: i,
                name: name.clone(),
                type_info: AnyTypeInfo { kind: type_kind },
            });
            values.push(AnyValue { kind });
        }
        out.push(AnyRow {
            column_names: by_name.clone(),
            columns,
            values,
        });
    }
    Ok(out)
}

/// Makes sure the file's folder exists and that the file is created when missing.
fn sqlite_url(url: &str) -> anyhow::Result<String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:"
        && let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)?;
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// A person's or a company's row as its forms write it: keyed by `id` and its number
/// (personnummer or organisationsnummer), with `search_text`, timestamps, and the form's fields
/// as columns of the same names.
pub struct Row<'a> {
    pub table: &'a str,
    pub id: &'a str,
    /// The number's column and value; an update must match it too.
    pub number: (&'a str, &'a str),
    pub search_text: &'a str,
    pub now: &'a str,
    pub fields: &'a [(&'a str, &'a str)],
}

impl Row<'_> {
    /// Inserts the row (`insert`) or updates its fields.
    pub async fn write(&self, conn: &mut sqlx::AnyConnection, insert: bool) -> sqlx::Result<()> {
        let (table, number) = (self.table, self.number.0);
        let names: Vec<&str> = self.fields.iter().map(|(n, _)| *n).collect();
        let sql = if insert {
            format!(
                "INSERT INTO {table} (id, {number}, search_text, created_at, updated_at, {})
                 VALUES ($1, $2, $3, $4, $4, {})",
                names.join(", "),
                placeholders(5, names.len())
            )
        } else {
            let set: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{n} = ${}", i + 5))
                .collect();
            format!(
                "UPDATE {table} SET search_text = $3, updated_at = $4, {} WHERE id = $1 AND {number} = $2",
                set.join(", ")
            )
        };
        let mut q = sqlx::query(&sql)
            .bind(self.id)
            .bind(self.number.1)
            .bind(self.search_text)
            .bind(self.now);
        for (_, value) in self.fields {
            q = q.bind(*value);
        }
        q.execute(conn).await.map(|_| ())
    }
}

/// A person's name as a row's `first_name`, `middle_name` and `last_name` make it.
pub fn person_name(r: &sqlx::any::AnyRow) -> sqlx::Result<String> {
    use sqlx::Row;
    Ok([
        r.try_get::<String, _>("first_name")?,
        r.try_get("middle_name")?,
        r.try_get("last_name")?,
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" "))
}

/// What a search matches, lower-cased here because SQLite's `lower()` knows only ASCII.
pub fn search_text(parts: &[&str]) -> String {
    parts.join(" ").to_lowercase()
}

/// `LIKE` patterns for each word of a query (all must match); a personnummer typed with a dash
/// matches without it.
pub fn search_patterns(query: &str) -> Vec<String> {
    let query: String = query.chars().take(200).collect();
    query
        .split_whitespace()
        .take(5)
        .map(|word| {
            let word = if word
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == '+')
            {
                word.replace(['-', '+'], "")
            } else {
                word.to_lowercase()
            };
            like_contains(&word)
        })
        .collect()
}

/// A `LIKE ... ESCAPE '\\'` pattern that finds `text` anywhere, its wildcards taken literally.
pub fn like_contains(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// ` AND search_text LIKE $n ...` for each pattern, numbered from `first`.
pub fn search_clause(patterns: &[String], first: usize) -> String {
    (0..patterns.len())
        .map(|i| format!(" AND search_text LIKE ${} ESCAPE '\\'", first + i))
        .collect()
}

/// How many rows one statement takes through [`json_rows`]: a few megabytes at most.
pub const JSON_CHUNK: usize = 1_000;

fn is_postgres(conn: &sqlx::AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("postgresql")
}

/// A `FROM` item `v` with one row per element of the JSON array bound at `$n`, its element as
/// `v.value`: read an object's fields as `v.value ->> 'key'` (text; `CAST` numbers), or use
/// [`json_texts`] for an array of strings. A list of any length is one bound value: SQLite looks
/// up each numbered parameter by name, so a statement with a thousand of them spends most of its
/// time binding, and PostgreSQL plans one statement instead of many.
///
/// Run a statement that reads such a list with `.persistent(false)`: PostgreSQL would keep a
/// generic plan of a cached statement, made while a table was small (early in the daily job's
/// transaction), and walk a grown table once per element with it (measured: 2.4 s a statement).
pub fn json_rows(conn: &sqlx::AnyConnection, n: usize) -> String {
    if is_postgres(conn) {
        format!("jsonb_array_elements(CAST(${n} AS jsonb)) AS v(value)")
    } else {
        format!("json_each(${n}) AS v")
    }
}

/// As [`json_rows`] for a JSON array of strings, each row's `v.value` the string itself.
pub fn json_texts(conn: &sqlx::AnyConnection, n: usize) -> String {
    if is_postgres(conn) {
        format!("jsonb_array_elements_text(CAST(${n} AS jsonb)) AS v(value)")
    } else {
        format!("json_each(${n}) AS v")
    }
}

/// The select list `columns` (`c.id, p.last_name AS name, …`) of a statement that reads
/// thousands of rows, for [`fetch_many`]. On SQLite the rows come as one JSON array of objects,
/// each keyed by its column's name or alias, a single text value: its driver hands each value of
/// each row over from its own thread (measured: 14 ms a thousand rows of thirty columns, against
/// 3 ms in SQLite itself). PostgreSQL's driver reads rows cheaply and its JSON functions are not
/// cheap (9 ms a thousand such rows), so there the rows come as they are.
pub fn many_rows(conn: &sqlx::AnyConnection, columns: &str) -> String {
    if is_postgres(conn) {
        return columns.to_owned();
    }
    let pairs: Vec<String> = top_level(columns)
        .into_iter()
        .map(|column| {
            let column = column.trim();
            let (expr, key) = match column.rsplit_once(" AS ") {
                Some((expr, alias)) => (expr, alias.trim()),
                None => (column, column.rsplit('.').next().unwrap_or(column)),
            };
            format!("'{key}', {expr}")
        })
        .collect();
    format!("json_group_array(json_object({}))", pairs.join(", "))
}

/// The rows of a statement whose select list [`many_rows`] made.
pub async fn fetch_many<'q, T>(
    conn: &mut sqlx::AnyConnection,
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
) -> sqlx::Result<Vec<T>>
where
    T: serde::de::DeserializeOwned + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    use sqlx::Row;
    if is_postgres(conn) {
        let rows = query.fetch_all(&mut *conn).await?;
        return rows.iter().map(T::from_row).collect();
    }
    let json: String = query.fetch_one(&mut *conn).await?.try_get(0)?;
    serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// The parts of a select list between its top-level commas.
fn top_level(columns: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in columns.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&columns[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&columns[start..]);
    parts
}

/// A [`coded`](crate::coded) enum read from JSON by its database code, as a row holds it.
pub fn by_code<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<String, Error = String>,
{
    let code = <String as serde::Deserialize>::deserialize(d)?;
    T::try_from(code).map_err(serde::de::Error::custom)
}

/// The JSON array [`json_rows`] and [`json_texts`] read, bound as one text value.
pub fn json_array<T: serde::Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).expect("rows serialize")
}

/// `$first, $first+1, ...` for `count` bound values: an `IN (...)` list or one row's values.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `rows` tuples of `width` bound values each, numbered on from `$first`: a multi-row `VALUES`.
pub fn tuples(first: usize, rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(first + r * width, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A SQLite file's reads are made on the calling thread, on a connection that cannot
    /// write (a write there fails where the pool's would succeed), and answer as the pool does.
    #[tokio::test]
    async fn sqlite_reads_on_the_callers_thread_and_answers_as_the_pool() {
        let path = std::env::temp_dir().join(format!(
            "certportal-reader-{}.db",
            uuid::Uuid::now_v7().simple()
        ));
        let db = Db::connect(&format!("sqlite://{}", path.display()), 2)
            .await
            .expect("the test database");
        sqlx::query("CREATE TABLE t (k TEXT, n INTEGER, x REAL, b BLOB)")
            .execute(&db.pool)
            .await
            .expect("the test database");
        sqlx::query("INSERT INTO t VALUES ('a', 1, 0.5, x'00ff'), ('b', NULL, NULL, NULL)")
            .execute(&db.pool)
            .await
            .expect("the test database");
        type Row = (String, Option<i64>, Option<f64>, Option<Vec<u8>>);
        let sql = "SELECT k, n, x, b FROM t WHERE k >= $2 AND $1 = 'yes' ORDER BY k";
        let here: Vec<Row> = db
            .read_all(sql, &["yes", "a"])
            .await
            .expect("the test database");
        let pooled: Vec<Row> = Db {
            reader: None,
            ..db.clone()
        }
        .read_all(sql, &["yes", "a"])
        .await
        .expect("the test database");
        assert_eq!(here, pooled);
        assert_eq!(
            here[0],
            ("a".into(), Some(1), Some(0.5), Some(vec![0, 255]))
        );
        assert_eq!(here[1], ("b".into(), None, None, None));
        db.read_all::<Row>(sql, &["yes"])
            .await
            .expect_err("an argument short");
        db.read_all::<(String,)>("SELECT k FROM t WHERE k = $1 OR k = $3", &["a", "b"])
            .await
            .expect_err("an argument not named");
        // A file this thread cannot open: the pool reads it.
        let elsewhere = Db {
            reader: Reader::of_url("sqlite:///nonexistent/certportal.db").map(std::sync::Arc::new),
            ..db.clone()
        };
        assert!(elsewhere.reader.is_some());
        let fallen_back: Vec<Row> = elsewhere
            .read_all(sql, &["yes", "a"])
            .await
            .expect("read through the pool");
        assert_eq!(fallen_back, pooled);
        let write = "INSERT INTO t (k) VALUES ('c') RETURNING k";
        let refused = db
            .read_all::<(String,)>(write, &[])
            .await
            .expect_err("a write on the reader");
        assert!(refused.to_string().contains("readonly"), "{refused}");
        db.pool.close().await;
        drop(db);
        for suffix in ["", "-wal", "-shm"] {
            std::fs::remove_file(format!("{}{suffix}", path.display())).ok();
        }
    }

    #[test]
    fn a_select_list_splits_at_its_top_level_commas() {
        assert_eq!(
            top_level("c.id, COALESCE(NULLIF(p.email, ''), a.email, '') AS r_email, s.name"),
            vec![
                "c.id",
                " COALESCE(NULLIF(p.email, ''), a.email, '') AS r_email",
                " s.name"
            ]
        );
    }

    #[test]
    fn backend_comes_from_the_url() {
        assert_eq!(
            "sqlite://x.db".parse::<Backend>().ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            "postgres://u@h/db".parse::<Backend>().ok(),
            Some(Backend::Postgres)
        );
        assert!("mysql://h/db".parse::<Backend>().is_err());
    }

    #[test]
    fn sqlite_files_are_created_when_missing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/sub/x.db", dir.path().display());
        let fixed = sqlite_url(&url).expect("url");
        assert!(fixed.ends_with("x.db?mode=rwc"), "{fixed}");
        assert!(dir.path().join("sub").is_dir());
    }

    #[test]
    fn a_day_is_written_as_its_column_holds_it() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 5).expect("day");
        assert_eq!(super::Day::text(day), "2026-03-05");
        assert_eq!(super::Day(day).to_string(), "2026-03-05");
    }

    #[test]
    fn placeholders_number_on_from_the_first() {
        assert_eq!(super::placeholders(3, 2), "$3, $4");
        assert_eq!(super::tuples(2, 2, 3), "($2, $3, $4), ($5, $6, $7)");
    }
}

/// A calendar date as both databases keep it (`YYYY-MM-DD` text), read into a typed date once,
/// where the store reads the row. A malformed date is a decode error, not a string that sorts
/// wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub chrono::NaiveDate);

impl Day {
    /// The text a date column holds and a query binds (chrono writes `YYYY-MM-DD` without
    /// interpreting a format string).
    pub fn text(date: chrono::NaiveDate) -> String {
        date.to_string()
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<Day> for chrono::NaiveDate {
    fn from(d: Day) -> Self {
        d.0
    }
}

impl sqlx::Type<sqlx::Any> for Day {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as sqlx::Type<sqlx::Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <String as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(Day)
            .map_err(|e| serde::de::Error::custom(format!("date {text:?}: {e}")))
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for Day {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let text = <&str as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
        Ok(Day(text
            .parse::<chrono::NaiveDate>()
            .map_err(|e| format!("date {text:?}: {e}"))?))
    }
}

/// A person's name as a row's `first_name`, `middle_name` and `last_name` hold it; a store's row
/// type flattens it in (`#[sqlx(flatten)]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonName {
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
}

impl PersonName {
    /// The name as it is written: the parts that are there, with a space between.
    pub fn full(&self) -> String {
        [&self.first_name, &self.middle_name, &self.last_name]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }
}
