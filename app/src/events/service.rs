use crate::clock::{Clock, to_db};
use crate::db::Db;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

/// The hash a subject's first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subject<'a> {
    pub kind: &'a str,
    pub id: &'a str,
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

#[derive(Clone, Debug, PartialEq, Eq)]
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
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an event inside the caller's transaction. `details` is JSON.
pub async fn append(
    conn: &mut AnyConnection,
    clock: &Clock,
    subject: Subject<'_>,
    actor: &Actor,
    action: &str,
    details: serde_json::Value,
) -> sqlx::Result<Event> {
    let last = sqlx::query(
        "SELECT seq, hash FROM events WHERE subject_type = $1 AND subject_id = $2 ORDER BY seq DESC LIMIT 1",
    )
    .bind(subject.kind)
    .bind(subject.id)
    .fetch_optional(&mut *conn)
    .await?;
    let (seq, prev_hash) = match last {
        Some(r) => (
            r.try_get::<i64, _>("seq")? + 1,
            r.try_get::<String, _>("hash")?,
        ),
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
    sqlx::query(
        "INSERT INTO events (id, subject_type, subject_id, seq, at, actor_id, actor_label, action, details, ip, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
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
    .execute(&mut *conn)
    .await?;
    Ok(event)
}

/// A subject's events, oldest first.
pub async fn list(db: &Db, subject: Subject<'_>) -> sqlx::Result<Vec<Event>> {
    sqlx::query(
        "SELECT seq, at, actor_id, actor_label, action, details, ip, prev_hash, hash FROM events
         WHERE subject_type = $1 AND subject_id = $2 ORDER BY seq",
    )
    .bind(subject.kind)
    .bind(subject.id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(Event {
            seq: r.try_get("seq")?,
            at: r.try_get("at")?,
            actor_id: r.try_get("actor_id")?,
            actor_label: r.try_get("actor_label")?,
            action: r.try_get("action")?,
            details: r.try_get("details")?,
            ip: r.try_get("ip")?,
            prev_hash: r.try_get("prev_hash")?,
            hash: r.try_get("hash")?,
        })
    })
    .collect()
}

/// Where a chain breaks: the first entry whose sequence, link or hash is wrong.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken {
    pub kind: String,
    pub id: String,
    pub seq: i64,
}

/// Checks one subject's chain; returns how many entries it holds.
pub async fn verify(db: &Db, subject: Subject<'_>) -> sqlx::Result<Result<usize, Broken>> {
    let events = list(db, subject).await?;
    let mut prev = GENESIS.to_owned();
    for (i, e) in events.iter().enumerate() {
        if e.seq != i as i64 + 1 || e.prev_hash != prev || digest(subject, e) != e.hash {
            return Ok(Err(Broken {
                kind: subject.kind.to_owned(),
                id: subject.id.to_owned(),
                seq: e.seq,
            }));
        }
        prev = e.hash.clone();
    }
    Ok(Ok(events.len()))
}

/// Checks every chain; returns the number of subjects and entries, or the breaks found.
pub async fn verify_all(db: &Db) -> sqlx::Result<Result<(usize, usize), Vec<Broken>>> {
    let subjects: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT subject_type, subject_id FROM events ORDER BY subject_type, subject_id",
    )
    .fetch_all(&db.pool)
    .await?;
    let (mut entries, mut broken) = (0, Vec::new());
    for (kind, id) in &subjects {
        match verify(db, Subject { kind, id }).await? {
            Ok(n) => entries += n,
            Err(b) => broken.push(b),
        }
    }
    Ok(if broken.is_empty() {
        Ok((subjects.len(), entries))
    } else {
        Err(broken)
    })
}

/// A subject's events as a page shows them: the action in `locale`, the details as `key: value`.
pub async fn views(
    db: &Db,
    subject: Subject<'_>,
    locale: crate::i18n::Locale,
) -> sqlx::Result<Vec<super::model::EventView>> {
    Ok(list(db, subject)
        .await?
        .into_iter()
        .map(|e| super::model::EventView {
            seq: e.seq,
            action: action_text(&e.action)
                .map(|t| locale.text(t).to_owned())
                .unwrap_or(e.action),
            details: details_text(&e.details),
            at: e.at,
            actor: e.actor_label,
            ip: e.ip,
        })
        .collect())
}

fn action_text(action: &str) -> Option<crate::i18n::Text> {
    use crate::i18n::Text;
    Some(match action {
        "account.created" => Text::EventAccountCreated,
        "account.role_granted" => Text::EventRoleGranted,
        "account.role_revoked" => Text::EventRoleRevoked,
        "person.created" => Text::EventPersonCreated,
        "person.viewed" => Text::EventPersonViewed,
        "person.change_requested" => Text::EventPersonChangeRequested,
        "person.change_approved" => Text::EventPersonChangeApproved,
        "person.change_rejected" => Text::EventPersonChangeRejected,
        "person.employed" => Text::EventPersonEmployed,
        "person.employment_ended" => Text::EventPersonEmploymentEnded,
        "company.created" => Text::EventCompanyCreated,
        "company.updated" => Text::EventCompanyUpdated,
        "company.contact_added" => Text::EventCompanyContactAdded,
        "company.contact_removed" => Text::EventCompanyContactRemoved,
        "company.branch_added" => Text::EventCompanyBranchAdded,
        "company.branch_removed" => Text::EventCompanyBranchRemoved,
        "company.employee_added" => Text::EventCompanyEmployeeAdded,
        "company.employment_ended" => Text::EventCompanyEmploymentEnded,
        "company.note_added" => Text::EventCompanyNoteAdded,
        "company.admin_added" => Text::EventCompanyAdminAdded,
        "company.admin_removed" => Text::EventCompanyAdminRemoved,
        "certificate.issued" => Text::EventCertIssued,
        "certificate.attested" => Text::EventCertAttested,
        "certificate.attestation_requested" => Text::EventCertAttestationRequested,
        "certificate.attestation_cancelled" => Text::EventCertAttestationCancelled,
        "certificate.attested_bankid" => Text::EventCertAttestedBankid,
        "certificate.inactive" => Text::EventCertInactive,
        "certificate.expired" => Text::EventCertExpired,
        _ => return None,
    })
}

/// `{"fields":["city"],"name":"Anna"}` as `fields: city; name: Anna`.
fn details_text(json: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) else {
        return String::new();
    };
    map.iter()
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            format!("{k}: {v}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One entry of [`append_many`].
pub struct Entry<'a> {
    pub subject_id: &'a str,
    pub action: &'a str,
    pub details: serde_json::Value,
}

/// Appends an entry to each of many subjects of one kind, by one actor, inside the caller's
/// transaction: the same chains as [`append`], in a few statements instead of two per entry.
pub async fn append_many(
    conn: &mut AnyConnection,
    clock: &Clock,
    kind: &str,
    actor: &Actor,
    entries: &[Entry<'_>],
) -> sqlx::Result<()> {
    use std::collections::HashMap;

    let mut last: HashMap<String, (i64, String)> = HashMap::new();
    let mut ids: Vec<&str> = entries.iter().map(|e| e.subject_id).collect();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(500) {
        let list = crate::db::placeholders(2, chunk.len());
        let sql = format!(
            "SELECT subject_id, seq, hash FROM events e WHERE subject_type = $1 AND subject_id IN ({list})
             AND seq = (SELECT MAX(seq) FROM events m WHERE m.subject_type = e.subject_type AND m.subject_id = e.subject_id)"
        );
        let mut q = sqlx::query(&sql).bind(kind);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut *conn).await? {
            last.insert(
                r.try_get("subject_id")?,
                (r.try_get("seq")?, r.try_get("hash")?),
            );
        }
    }
    let at = to_db(clock.now());
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        let (seq, prev_hash) = last
            .get(e.subject_id)
            .map(|(s, h)| (s + 1, h.clone()))
            .unwrap_or((1, GENESIS.to_owned()));
        let mut event = Event {
            seq,
            at: at.clone(),
            actor_id: actor.account_id.clone(),
            actor_label: actor.label.clone(),
            action: e.action.to_owned(),
            details: e.details.to_string(),
            ip: actor.ip.clone(),
            prev_hash,
            hash: String::new(),
        };
        event.hash = digest(
            Subject {
                kind,
                id: e.subject_id,
            },
            &event,
        );
        last.insert(e.subject_id.to_owned(), (seq, event.hash.clone()));
        rows.push((e.subject_id, event));
    }
    for chunk in rows.chunks(100) {
        let values = crate::db::tuples(1, chunk.len(), 12);
        let sql = format!(
            "INSERT INTO events (id, subject_type, subject_id, seq, at, actor_id, actor_label, action, details, ip, prev_hash, hash)
             VALUES {values}"
        );
        let mut q = sqlx::query(&sql);
        for (subject_id, e) in chunk {
            q = q
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(kind)
                .bind(*subject_id)
                .bind(e.seq)
                .bind(&e.at)
                .bind(&e.actor_id)
                .bind(&e.actor_label)
                .bind(&e.action)
                .bind(&e.details)
                .bind(&e.ip)
                .bind(&e.prev_hash)
                .bind(&e.hash);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
