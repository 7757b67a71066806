use super::store;
use crate::clock::{Clock, to_db};
use crate::db::Db;
use crate::keys::Keys;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// The hash a subject's first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subject<'a> {
    pub kind: &'a str,
    pub id: &'a str,
}

/// Every domain's subjects are named here, so a domain that logs another's events (a person's
/// employment on the company's log) needs only `events`.
impl<'a> Subject<'a> {
    pub fn account(id: &'a str) -> Self {
        Subject {
            kind: "account",
            id,
        }
    }

    pub fn person(id: &'a str) -> Self {
        Subject { kind: "person", id }
    }

    /// A case: what its handlers did with it.
    pub fn case(id: &'a str) -> Self {
        Subject { kind: "case", id }
    }

    /// A certification scheme: what its administrators changed (its required documents).
    pub fn scheme(id: &'a str) -> Self {
        Subject { kind: "scheme", id }
    }

    pub fn company(id: &'a str) -> Self {
        Subject {
            kind: "company",
            id,
        }
    }

    /// A booking on a course: its status, certificate, consent and review.
    pub fn booking(id: &'a str) -> Self {
        Subject {
            kind: "booking",
            id,
        }
    }

    /// A training provider: its profile and courses.
    pub fn provider(id: &'a str) -> Self {
        Subject {
            kind: "provider",
            id,
        }
    }

    pub fn certificate(id: &'a str) -> Self {
        Subject {
            kind: "certificate",
            id,
        }
    }
}

/// Who did it: an account, or the system itself (a job, the command line).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    pub account_id: Option<String>,
    pub label: String,
    pub ip: Option<String>,
}

impl Actor {
    pub fn system(label: &str) -> Actor {
        Actor {
            account_id: None,
            label: label.to_owned(),
            ip: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Event {
    pub seq: i64,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub action: String,
    pub details: String,
    pub ip: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

fn digest(subject: Subject<'_>, e: &Event) -> String {
    // Fields are length-prefixed, so no two different entries hash the same text.
    let mut h = Sha256::new();
    for field in [
        e.prev_hash.as_str(),
        subject.kind,
        subject.id,
        &e.seq.to_string(),
        &e.at,
        e.actor_id.as_deref().unwrap_or(""),
        &e.actor_label,
        &e.action,
        &e.details,
        e.ip.as_deref().unwrap_or(""),
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The global chain's link after an entry: over the link before it, its number and its hash.
fn link(prev_link: &str, gseq: i64, hash: &str) -> String {
    let mut h = Sha256::new();
    for field in [prev_link, &gseq.to_string(), hash] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Takes the head of the global chain for `n` new entries, inside the caller's transaction:
/// the row is locked until it commits, so entries are numbered gaplessly in commit order.
/// Returns the number and link the new entries follow.
async fn take_head(conn: &mut AnyConnection, n: i64) -> sqlx::Result<(i64, String)> {
    let store::Head { gseq, link_hash } = store::advance_head(conn, n).await?;
    Ok((gseq - n, link_hash))
}

/// Appends an event inside the caller's transaction. `details` is JSON.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn append(
    conn: &mut AnyConnection,
    clock: &Clock,
    subject: Subject<'_>,
    actor: &Actor,
    action: &str,
    details: serde_json::Value,
) -> sqlx::Result<Event> {
    let (gseq, prev_link) = take_head(conn, 1).await?;
    let last = store::last(conn, subject).await?;
    let (seq, prev_hash) = match last {
        Some(r) => (r.seq + 1, r.hash),
        None => (1, GENESIS.to_owned()),
    };
    let mut event = Event {
        seq,
        at: to_db(clock.now()),
        actor_id: actor.account_id.clone(),
        actor_label: actor.label.clone(),
        action: action.to_owned(),
        details: details.to_string(),
        ip: actor.ip.clone(),
        prev_hash,
        hash: String::new(),
    };
    event.hash = digest(subject, &event);
    let gseq = gseq + 1;
    let link_hash = link(&prev_link, gseq, &event.hash);
    store::insert(conn, subject, &event, gseq, &link_hash).await?;
    store::set_head(conn, gseq, &link_hash).await?;
    Ok(event)
}

/// A subject's events, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(db: &Db, subject: Subject<'_>) -> sqlx::Result<Vec<Event>> {
    store::list(&db.pool, subject).await
}

/// What `verify-events` finds wrong.
#[derive(Debug, PartialEq, Eq)]
pub enum Broken {
    /// A subject's chain: the first entry whose sequence, link or hash is wrong.
    Subject { kind: String, id: String, seq: i64 },
    /// The global chain, at the first number missing or out of place, or whose link does not
    /// follow from the one before (entries deleted, rewritten or re-hashed).
    Chain { gseq: i64 },
    /// The head does not name the last entry (entries cut from the end).
    Head { head: i64, last: i64 },
    /// A checkpoint this server's key did not sign, or that does not follow the checkpoint
    /// before it (one was deleted between them).
    ForgedCheckpoint { gseq: i64 },
    /// A signed checkpoint names an entry that is gone (the end was cut) or whose link differs
    /// (the chain was rewritten).
    Checkpoint { gseq: i64 },
    /// Entries more than a day old that no signed checkpoint covers: the server signs one
    /// every hour the log grew, so the checkpoints were deleted, or no server ran since.
    Uncovered { gseq: i64 },
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Broken::Subject { kind, id, seq } => {
                write!(f, "the chain of {kind} {id} breaks at its entry {seq}")
            }
            Broken::Chain { gseq } => write!(f, "the global chain breaks at entry {gseq}"),
            Broken::Head { head, last } => {
                write!(f, "the head says {head} entries, the log holds {last}")
            }
            Broken::ForgedCheckpoint { gseq } => write!(
                f,
                "the checkpoint at entry {gseq} is not signed by this server's key, \
                 or a checkpoint before it was deleted"
            ),
            Broken::Checkpoint { gseq } => write!(
                f,
                "the signed checkpoint at entry {gseq} no longer matches: entries were cut or rewritten"
            ),
            Broken::Uncovered { gseq } => write!(
                f,
                "entry {gseq} is more than a day old and no signed checkpoint covers it: \
                 checkpoints were deleted, or no server has run since it was written"
            ),
        }
    }
}

/// Checks one subject's chain; returns how many entries it holds.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn verify(db: &Db, subject: Subject<'_>) -> sqlx::Result<Result<usize, Broken>> {
    let events = list(db, subject).await?;
    let mut prev = GENESIS.to_owned();
    for (i, e) in events.iter().enumerate() {
        if e.seq != i as i64 + 1 || e.prev_hash != prev || digest(subject, e) != e.hash {
            return Ok(Err(Broken::Subject {
                kind: subject.kind.to_owned(),
                id: subject.id.to_owned(),
                seq: e.seq,
            }));
        }
        prev = e.hash.clone();
    }
    Ok(Ok(events.len()))
}

/// Checks everything: every subject's chain, the global chain from its first entry to its head,
/// every signed checkpoint against it and against the checkpoint before it, and that no entry
/// older than a day is left uncovered. Returns the number of subjects and entries, or what is
/// broken.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn verify_all(
    db: &Db,
    clock: &Clock,
    keys: &Keys,
) -> sqlx::Result<Result<(usize, usize), Vec<Broken>>> {
    let subjects = store::subjects(&db.pool).await?;
    let (mut entries, mut broken) = (0, Vec::new());
    for s in &subjects {
        let (kind, id) = (&s.subject_type, &s.subject_id);
        match verify(db, Subject { kind, id }).await? {
            Ok(n) => entries += n,
            Err(b) => broken.push(b),
        }
    }
    let links = global_links(db, &mut broken).await?;
    let store::Head {
        gseq: head,
        link_hash: head_link,
    } = store::head(&db.pool).await?;
    let last = links.len() as i64;
    if head != last || links.last().map_or(GENESIS, String::as_str) != head_link {
        broken.push(Broken::Head { head, last });
    }
    let mut prev_signature = String::new();
    let mut covered = 0;
    for c in store::checkpoints(&db.pool).await? {
        let message = checkpoint_message(c.gseq, &c.link_hash, &c.at, &prev_signature);
        if !keys.verify(message.as_bytes(), &c.signature) {
            broken.push(Broken::ForgedCheckpoint { gseq: c.gseq });
        } else if c.gseq > 0 && links.get(c.gseq as usize - 1) != Some(&c.link_hash) {
            broken.push(Broken::Checkpoint { gseq: c.gseq });
        } else {
            covered = covered.max(c.gseq);
        }
        prev_signature = c.signature;
    }
    let day_ago = to_db(clock.now() - chrono::Duration::days(1));
    let uncovered = store::first_uncovered(&db.pool, covered, &day_ago).await?;
    if let Some(gseq) = uncovered {
        broken.push(Broken::Uncovered { gseq });
    }
    Ok(if broken.is_empty() {
        Ok((subjects.len(), entries))
    } else {
        Err(broken)
    })
}

/// The global chain's links in order, each checked against the one before; a break is noted
/// once, at the first entry out of place.
async fn global_links(db: &Db, broken: &mut Vec<Broken>) -> sqlx::Result<Vec<String>> {
    let rows = store::links(&db.pool).await?;
    let mut links = Vec::with_capacity(rows.len());
    let mut prev = GENESIS.to_owned();
    let mut ok = true;
    for (i, row) in rows.into_iter().enumerate() {
        let store::Linked {
            gseq,
            hash,
            link_hash,
        } = row;
        let expected = i as i64 + 1;
        let l = link_hash.unwrap_or_default();
        if ok && (gseq != Some(expected) || l != link(&prev, expected, &hash)) {
            broken.push(Broken::Chain {
                gseq: gseq.unwrap_or(expected),
            });
            ok = false;
        }
        prev = l.clone();
        links.push(l);
    }
    Ok(links)
}

/// What a checkpoint signs: the head, the time, and the signature of the checkpoint before it,
/// so a checkpoint cannot be deleted from between two others unnoticed.
fn checkpoint_message(gseq: i64, link_hash: &str, at: &str, prev_signature: &str) -> String {
    format!("certportal event checkpoint v2\n{gseq}\n{link_hash}\n{at}\n{prev_signature}")
}

/// Signs the chain's head as it is now and keeps the signature; returns the head's number and
/// link (an operator may keep them elsewhere too: they are also logged).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn checkpoint(db: &Db, clock: &Clock, keys: &Keys) -> sqlx::Result<(i64, String)> {
    // The head's row is locked (taken for no entries) until the checkpoint is written, so
    // checkpoints are chained in the order of the heads they sign, also across servers.
    let mut tx = db.begin().await?;
    let (gseq, link_hash) = take_head(&mut tx, 0).await?;
    let prev_signature = store::last_signature(&mut tx).await?.unwrap_or_default();
    let at = to_db(clock.now());
    let signature =
        keys.sign(checkpoint_message(gseq, &link_hash, &at, &prev_signature).as_bytes());
    store::insert_checkpoint(
        &mut tx,
        &at,
        gseq,
        &link_hash,
        &keys.public_key(),
        &signature,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(gseq, link_hash = %link_hash, "event log checkpoint signed");
    Ok((gseq, link_hash))
}

/// A checkpoint when the log grew since the last one, or the last is a day old. The workers
/// call this hourly, so entries go at most an hour unsigned.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn checkpoint_if_due(db: &Db, clock: &Clock, keys: &Keys) -> sqlx::Result<bool> {
    let last = store::last_checkpoint(&db.pool).await?;
    let head = store::head(&db.pool).await?.gseq;
    let day_ago = to_db(clock.now() - chrono::Duration::days(1));
    if last.is_some_and(|store::LastCheckpoint { at, gseq }| gseq == head && at > day_ago) {
        return Ok(false);
    }
    checkpoint(db, clock, keys).await.map(|_| true)
}

/// Prepares the log after migrations: the head row, the links of entries written before the
/// global chain existed (numbered in the order they were written), and the triggers that make
/// the tables append-only on both databases. On PostgreSQL, also take UPDATE, DELETE and
/// TRUNCATE on `events` and `event_checkpoints` from the application's role (see the README).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn prepare(db: &Db) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    store::insert_head(&mut tx).await?;
    let unlinked = store::unlinked(&mut tx).await?;
    if !unlinked.is_empty() {
        store::drop_triggers(&mut tx, db.backend).await?;
        let (mut gseq, mut prev) = take_head(&mut tx, unlinked.len() as i64).await?;
        for store::Unlinked { id, hash } in &unlinked {
            gseq += 1;
            prev = link(&prev, gseq, hash);
            store::set_link(&mut tx, id, gseq, &prev).await?;
        }
        store::set_head(&mut tx, gseq, &prev).await?;
    }
    store::create_triggers(&mut tx, db.backend).await?;
    tx.commit().await
}

/// Who reads an event log: staff see the addresses requests came from and personnummer in
/// full; the subject's owner (the holder of a certificate, the person themselves) sees the
/// email addresses in it; everyone else none of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reader {
    pub staff: bool,
    pub owner: bool,
}

/// Entries per page of an event log.
pub const PAGE_SIZE: u32 = crate::types::LIST_PAGE;

/// One page of a subject's events as a page shows them, newest first: each written as a
/// sentence in both languages. `hide` leaves out actions the reader may not know of.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn views(
    state: &crate::state::AppState,
    subject: Subject<'_>,
    reader: Reader,
    page: u32,
    hide: &[&str],
) -> sqlx::Result<super::model::EventPage> {
    let page = page.max(1);
    let rows = store::page(
        &state.db.pool,
        subject,
        i64::from(PAGE_SIZE) + 1,
        crate::types::offset(page, PAGE_SIZE),
        hide,
    )
    .await?;
    let has_next = rows.len() > PAGE_SIZE as usize;
    let items = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|r| {
            use crate::i18n::{Locale, Named};
            let [(title_sv, sentence_sv), (title_en, sentence_en)] = [Locale::Sv, Locale::En]
                .map(|l| super::words::describe(&r.action, &r.details, l, reader, state.words));
            let (title, sentence) = (
                Named::new(title_sv, title_en),
                Named::new(sentence_sv, sentence_en),
            );
            super::model::EventView {
                seq: r.seq,
                at: r.at,
                actor: r.actor_label,
                action: title,
                details: sentence,
                ip: if reader.staff { r.ip } else { None },
            }
        })
        .collect();
    Ok(super::model::EventPage {
        items,
        page,
        has_next,
    })
}

/// One entry of [`append_many`].
pub struct Entry<'a> {
    pub subject_id: &'a str,
    pub action: &'a str,
    pub details: serde_json::Value,
}

/// Appends an entry to each of many subjects of one kind, by one actor, inside the caller's
/// transaction: the same chains as [`append`], in a few statements instead of two per entry.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn append_many(
    conn: &mut AnyConnection,
    clock: &Clock,
    kind: &str,
    actor: &Actor,
    entries: &[Entry<'_>],
) -> sqlx::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = entries.iter().map(|e| e.subject_id).collect();
    let mut chains = Chains::peek(conn, clock, kind, actor, &ids).await?;
    chains.hold(conn, clock, &ids).await?;
    let linked = chains.link(entries);
    chains.write(conn, &linked).await
}

/// The ends of many subjects' chains and of the global one, for a bulk append inside the
/// caller's transaction. [`Chains::link`] hashes and links entries without the database, so a
/// caller may do it while its transaction does something else, and do it again should the
/// entries change; [`Chains::write`] writes them.
pub struct Chains {
    kind: String,
    actor: Actor,
    at: String,
    /// Each subject's last entry: its number in the subject's chain, and its hash.
    last: std::collections::HashMap<String, (i64, String)>,
    gseq: i64,
    link: String,
}

/// Entries hashed and linked after [`Chains`], ready to write.
pub struct Linked {
    payloads: Vec<String>,
    gseq: i64,
    link: String,
}

impl Chains {
    /// The ends as they are, read without taking the global head: a caller may link entries
    /// and lock rows of its own (every writer locks the rows it changes before the head, so no
    /// two wait on each other) before it takes the head with [`Chains::hold`].
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn peek(
        conn: &mut AnyConnection,
        clock: &Clock,
        kind: &str,
        actor: &Actor,
        ids: &[&str],
    ) -> sqlx::Result<Chains> {
        let head = store::head(&mut *conn).await?;
        Self::after(conn, clock, kind, actor, ids, head).await
    }

    /// Takes the head for chains [`Chains::peek`] read. `true` when no entry was written since,
    /// so what was linked holds; otherwise the ends are read again, under the head, and the
    /// entries must be linked again.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn hold(
        &mut self,
        conn: &mut AnyConnection,
        clock: &Clock,
        ids: &[&str],
    ) -> sqlx::Result<bool> {
        let head = store::advance_head(conn, 0).await?;
        if head.gseq == self.gseq && head.link_hash == self.link {
            return Ok(true);
        }
        let (kind, actor) = (self.kind.clone(), self.actor.clone());
        *self = Self::after(conn, clock, &kind, &actor, ids, head).await?;
        Ok(false)
    }

    /// The chains as they end after `head`: each of `ids`' last entry read.
    async fn after(
        conn: &mut AnyConnection,
        clock: &Clock,
        kind: &str,
        actor: &Actor,
        ids: &[&str],
        head: store::Head,
    ) -> sqlx::Result<Chains> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let last = store::lasts(conn, kind, &ids)
            .await?
            .into_iter()
            .map(|r| (r.subject_id, (r.seq, r.hash)))
            .collect();
        Ok(Chains {
            kind: kind.to_owned(),
            actor: actor.clone(),
            at: to_db(clock.now()),
            last,
            gseq: head.gseq,
            link: head.link_hash,
        })
    }

    /// `entries`, in order, each after its subject's last entry (or the one before it among
    /// `entries`) and all after the global head.
    pub fn link(&self, entries: &[Entry<'_>]) -> Linked {
        let mut last: std::collections::HashMap<&str, (i64, String)> =
            std::collections::HashMap::new();
        let (mut gseq, mut prev_link) = (self.gseq, self.link.clone());
        let mut rows = Vec::with_capacity(entries.len());
        for e in entries {
            let (seq, prev_hash) = last
                .get(e.subject_id)
                .or_else(|| self.last.get(e.subject_id))
                .map(|(s, h)| (s + 1, h.clone()))
                .unwrap_or((1, GENESIS.to_owned()));
            let mut event = Event {
                seq,
                at: self.at.clone(),
                actor_id: self.actor.account_id.clone(),
                actor_label: self.actor.label.clone(),
                action: e.action.to_owned(),
                details: e.details.to_string(),
                ip: self.actor.ip.clone(),
                prev_hash,
                hash: String::new(),
            };
            event.hash = digest(
                Subject {
                    kind: &self.kind,
                    id: e.subject_id,
                },
                &event,
            );
            last.insert(e.subject_id, (seq, event.hash.clone()));
            gseq += 1;
            prev_link = link(&prev_link, gseq, &event.hash);
            rows.push(store::Chained {
                subject_id: e.subject_id,
                event,
                gseq,
                link_hash: prev_link.clone(),
            });
        }
        Linked {
            payloads: store::payloads(&rows),
            gseq,
            link: prev_link,
        }
    }

    /// Writes the entries `linked` and moves the global head past them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn write(&self, conn: &mut AnyConnection, linked: &Linked) -> sqlx::Result<()> {
        if linked.payloads.is_empty() {
            return Ok(());
        }
        store::insert_many(conn, &self.kind, &self.at, &self.actor, &linked.payloads).await?;
        store::set_head(conn, linked.gseq, &linked.link).await
    }
}
