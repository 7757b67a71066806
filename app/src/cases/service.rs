//! The rules of cases: who may apply for what, what a case shows its person, and what stands
//! in for each required document. Every write is one transaction with its event.

use super::model::{
    Applicant, Applied, ApplyView, CaseItem, CaseKind, CasePanel, CaseStatus, CertificateItem,
    Level, MyCases, NOTE_MAX, Provided, REASON_MAX, Ready, Requirement, SchemeChoice,
};
use super::store;
use crate::db::{Db, PersonName};
use crate::error::{AppError, AppResult};
use crate::events::service::{Actor, Subject, append};
use crate::i18n::{Msg, Named, Text};
use crate::state::AppState;
use serde_json::json;

pub(super) fn names(n: &store::Names) -> (Named, Named) {
    (
        Named::new(&n.technical_area, &n.technical_area_en),
        Named::new(&n.scheme, &n.scheme_en),
    )
}

/// "Ansök om nytt certifikat": every scheme with its levels, and the applicant's details.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn apply_view(db: &Db, person_id: &str) -> AppResult<ApplyView> {
    let levels = store::levels(&db.pool).await?;
    let held = store::held_schemes(&db.pool, person_id).await?;
    let schemes = store::schemes(&db.pool)
        .await?
        .into_iter()
        .map(|s| SchemeChoice {
            levels: levels
                .iter()
                .filter(|l| l.scheme_id == s.id)
                .map(|l| Level {
                    id: l.id.clone(),
                    name: Named::new(&l.name, &l.name_en),
                })
                .collect(),
            area: Named::new(s.technical_area, s.technical_area_en),
            name: Named::new(s.name, s.name_en),
            held: held.contains(&s.id),
            id: s.id,
        })
        .collect();
    let p = store::applicant(&db.pool, person_id).await?;
    let address = [p.address.as_str(), &format!("{} {}", p.postal_code, p.city)]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    Ok(ApplyView {
        schemes,
        applicant: Applicant {
            name: p.name.full(),
            pnr: crate::people::service::pnr_display(&p.pnr),
            address,
            email: p.email,
            digital: p.communication != "analog",
        },
    })
}

/// A fresh order number: `FX` and six digits, not used before.
pub(super) async fn order_no(conn: &mut sqlx::AnyConnection) -> AppResult<String> {
    order_numbers(conn, 1)
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("no order number"))
}

/// `n` fresh order numbers (`FX` and six digits), different from each other and from every
/// case's.
pub(super) async fn order_numbers(
    conn: &mut sqlx::AnyConnection,
    n: usize,
) -> AppResult<Vec<String>> {
    use rand::Rng;
    let mut chosen: std::collections::BTreeSet<String> = Default::default();
    for _ in 0..20 {
        let mut candidates: Vec<String> = Vec::new();
        while chosen.len() + candidates.len() < n {
            let c = format!("FX{:06}", rand::rng().random_range(100_000..1_000_000));
            if !chosen.contains(&c) && !candidates.contains(&c) {
                candidates.push(c);
            }
        }
        let refs: Vec<&str> = candidates.iter().map(String::as_str).collect();
        let taken = store::order_nos_taken(conn, &refs).await?;
        chosen.extend(candidates.into_iter().filter(|c| !taken.contains(c)));
        if chosen.len() >= n {
            return Ok(chosen.into_iter().collect());
        }
    }
    Err(AppError::internal("no free order numbers after 20 tries"))
}

/// Opens a case of kind new certificate for the person. An open case for the same scheme is
/// kept instead of opening a second (a form sent twice opens one case).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn apply(
    state: &AppState,
    actor: &Actor,
    person_id: &str,
    scheme_id: &str,
    level_id: &str,
) -> AppResult<Applied> {
    let kind = CaseKind::New;
    let mut tx = state.db.begin().await?;
    let Some(scheme) = store::scheme_name(&mut tx, scheme_id).await? else {
        return Err(AppError::field("scheme_id", Text::ApplySchemeRequired));
    };
    if let Some(id) = store::open_case(&mut tx, person_id, scheme_id, kind).await? {
        return Ok(Applied::AlreadyOpen { id });
    }
    if store::holds_scheme(&mut tx, person_id, scheme_id).await? {
        return Err(AppError::field("scheme_id", Text::ApplyAlreadyHolds));
    }
    let level_id = match level_id {
        "" if store::has_levels(&mut tx, scheme_id).await? => {
            return Err(AppError::field("level_id", Text::ApplyLevelRequired));
        }
        "" => None,
        l if store::level_of(&mut tx, scheme_id, l).await? => Some(l),
        _ => return Err(AppError::field("level_id", Text::FieldChoiceInvalid)),
    };
    let id = uuid::Uuid::now_v7().to_string();
    let order_no = order_no(&mut tx).await?;
    let now = crate::clock::to_db(state.clock.now());
    let new = store::NewCase {
        id: &id,
        order_no: &order_no,
        person_id,
        scheme_id,
        kind,
        level_id,
        now: &now,
        about: None,
        report_due: None,
        plastic_card: false,
        published: false,
    };
    if !store::insert_case(&mut tx, &new).await? {
        // Another request opened the same case in between (PostgreSQL lets both read first).
        drop(tx);
        return already_open(state, person_id, scheme_id, kind).await;
    }
    log_both(
        &mut tx,
        &state.clock,
        (person_id, &id),
        actor,
        "case.opened",
        json!({ "order_no": order_no, "scheme": scheme }),
    )
    .await?;
    tx.commit().await?;
    Ok(Applied::Opened { id })
}

/// The open case of `kind` that a request committed in between opened.
pub(super) async fn already_open(
    state: &AppState,
    person_id: &str,
    scheme_id: &str,
    kind: CaseKind,
) -> AppResult<Applied> {
    let mut conn = state.db.pool.acquire().await?;
    match store::open_case(&mut conn, person_id, scheme_id, kind).await? {
        Some(id) => Ok(Applied::AlreadyOpen { id }),
        None => Err(AppError::field("case", Text::CaseChangedMeanwhile)),
    }
}

/// "Mina certifieringar": the person's cases, newest first, and the certificates no case
/// issued.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn mine(db: &Db, person_id: &str) -> AppResult<MyCases> {
    let cases = store::cases_of(&db.pool, person_id)
        .await?
        .into_iter()
        .map(|c| CaseItem {
            scheme: names(&c.names).1,
            id: c.id,
            order_no: c.order_no,
            status: c.status,
            kind: c.kind,
        })
        .collect();
    let certificates = store::certificates_without_case(&db.pool, person_id)
        .await?
        .into_iter()
        .map(|c| CertificateItem {
            scheme: names(&c.names).1,
            id: c.id,
            number: c.number,
        })
        .collect();
    Ok(MyCases {
        cases,
        certificates,
    })
}

/// One of the person's cases, with its required documents; another's case is not found.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn panel(state: &AppState, person_id: &str, case_id: &str) -> AppResult<CasePanel> {
    let c = store::case(&state.db.pool, case_id)
        .await?
        .filter(|c| c.person_id == person_id)
        .ok_or(AppError::NotFound)?;
    panel_of(&state.db, c, state.clock.today()).await
}

/// The certificate a decided case stands for, if its renewal may be applied for today (the
/// certificates' renewal rule).
fn renewable_from(c: &store::CaseRow, today: chrono::NaiveDate) -> Option<String> {
    use crate::certificates::model::Status;
    if c.status != CaseStatus::Decided || c.kind == CaseKind::YearlyReport {
        return None;
    }
    let status = Status::parse(c.shown_status.as_deref()?)?;
    crate::certificates::rules::renewal_blocked(
        status,
        c.shown_renewed.is_some(),
        c.valid_until?.0,
        today,
    )
    .map_or(c.shown_certificate.clone(), |_| None)
}

/// A case's information panel and required documents, whoever reads it.
pub(super) async fn panel_of(
    db: &Db,
    c: store::CaseRow,
    today: chrono::NaiveDate,
) -> AppResult<CasePanel> {
    let mut answered = store::answered(&db.pool, &c.id).await?;
    let mut conn = db.pool.acquire().await?;
    // What an open supplement request asks for again: sent before it, it no longer counts.
    let supplement = store::open_supplement(&mut conn, &c.id).await?;
    drop(conn);
    let asked = |id: &str| -> Option<&str> {
        let s = supplement.as_ref()?;
        let ids: Vec<String> = serde_json::from_str(&s.requirements).unwrap_or_default();
        ids.iter()
            .any(|r| r == id)
            .then_some(s.requested_at.as_str())
    };
    let requirements = store::requirements(&db.pool, &c.id, &c.scheme_id)
        .await?
        .into_iter()
        .map(|r| {
            let since = asked(&r.id);
            let fresh = |at: &str| since.is_none_or(|since| at > since);
            let provided = match (
                answered.iter().position(|a| a.requirement_id == r.id),
                r.reason,
                r.explained_at,
            ) {
                (Some(i), ..) if fresh(&answered[i].uploaded_at) => {
                    let a = answered.swap_remove(i);
                    Provided::Uploaded {
                        document_id: a.document_id,
                        name: a.stored_name,
                        at: a.uploaded_at,
                    }
                }
                (_, Some(reason), Some(at)) if fresh(&at) => Provided::Explained { reason, at },
                _ => Provided::Missing,
            };
            Requirement {
                provided,
                asked: since.is_some(),
                name: Named::new(r.name, r.name_en),
                help: Named::new(r.help, r.help_en),
                shared: r.shared != 0,
                template: r.template,
                id: r.id,
            }
        })
        .collect();
    let exams = store::exams(&db.pool, &c.id)
        .await?
        .into_iter()
        .map(|e| super::model::Exam {
            taken_on: e.taken_on,
            exam: e.exam,
            passed: e.passed != 0,
            score: e.score,
        })
        .collect();
    let decision = store::decision(&db.pool, &c.id).await?.and_then(|d| {
        Some(super::model::DecisionView {
            approved: d.decision? == "approved",
            reason: d.decision_reason,
            at: d.decided_at.unwrap_or_default(),
            by: d.decided_by,
        })
    });
    let renewable = renewable_from(&c, today);
    let (area, scheme) = names(&c.names);
    let level = match (c.granted_level, c.level) {
        (Some(granted), _) => Some(Named::new(granted, "")),
        (None, Some(applied)) => Some(Named::new(applied, c.level_en.unwrap_or_default())),
        (None, None) => None,
    };
    Ok(CasePanel {
        renewable,
        name: PersonName::full(&c.person),
        pnr: crate::people::service::pnr_display(&c.pnr),
        digital: c.communication != "analog",
        handler: c.handler,
        area,
        scheme,
        certificate_number: c.certificate_number,
        valid_until: c.valid_until.map(|d| d.to_string()),
        report_due: c.report_due.map(|d| d.to_string()),
        extend_by: c.extend_by.map(|d| d.to_string()),
        level,
        exams,
        supplement_asked_at: supplement.map(|s| s.requested_at),
        decision,
        plastic_card: c.plastic_card != 0,
        published: c.published != 0,
        ready_at: c.ready_at,
        requirements,
        upload_max_mb: 0,
        person_no: super::model::person_no(&c.person_id),
        id: c.id,
        order_no: c.order_no,
        kind: c.kind,
        status: c.status,
    })
}

/// The case, if it is the person's and still open to documents and reasons.
async fn open_case_of(
    conn: &mut sqlx::AnyConnection,
    person_id: &str,
    case_id: &str,
) -> AppResult<store::CaseFacts> {
    let facts = store::facts(conn, case_id)
        .await?
        .filter(|f| f.person_id == person_id)
        .ok_or(AppError::NotFound)?;
    if facts.status == CaseStatus::Decided {
        return Err(AppError::field("case", Text::CaseDecidedNoChanges));
    }
    Ok(facts)
}

/// How many reasons a person may send an hour: every document of several cases, and second
/// thoughts, but no flood of entries in their append-only log.
pub const REASONS_PER_HOUR: i64 = 60;

/// "Meddela varför dokument ej kan laddas upp": the person's reason stands in for the document.
/// The same reason sent again changes nothing; a new one replaces it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn explain(
    state: &AppState,
    actor: &Actor,
    person_id: &str,
    case_id: &str,
    requirement_id: &str,
    reason: &str,
) -> AppResult<Named> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", Text::CaseReasonRequired));
    }
    if !readable(reason) {
        return Err(AppError::field("reason", Text::CaseReasonUnreadable));
    }
    let key = format!("case-explain:person:{person_id}");
    let (hour, now) = (chrono::Duration::hours(1), state.clock.now());
    let limited = crate::auth::throttle::hit(&state.db, &key, REASONS_PER_HOUR, hour, now);
    if let Some(wait) = limited.await? {
        return Err(crate::auth::service::rate_limited("reason", wait));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(AppError::field(
            "reason",
            Msg::with(Text::FieldTooLong, &[("max", &REASON_MAX.to_string())]),
        ));
    }
    let mut tx = state.db.begin().await?;
    let facts = open_case_of(&mut tx, person_id, case_id).await?;
    let document = store::case_requirement(&mut tx, case_id, requirement_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let document = Named::new(document.name, document.name_en);
    let now = crate::clock::to_db(state.clock.now());
    let written = store::explain(
        &mut tx,
        case_id,
        requirement_id,
        reason,
        actor.account_id.as_deref(),
        &now,
    )
    .await?;
    if !written {
        return Ok(document);
    }
    log_both(
        &mut tx,
        &state.clock,
        (person_id, case_id),
        actor,
        "case.document_explained",
        json!({ "order_no": facts.order_no, "document": document.sv }),
    )
    .await?;
    tx.commit().await?;
    Ok(document)
}

pub(super) use crate::validate::readable;

/// "MEDDELA OSS": once every required document is sent or explained, the case is ready for a
/// handler. Pressed again, it changes nothing and says when it was sent.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn ready(
    state: &AppState,
    actor: &Actor,
    person_id: &str,
    case_id: &str,
) -> AppResult<Ready> {
    // A supplement request that lands meanwhile changes what is missing: worked out again.
    for _ in 0..3 {
        if let Some(done) = try_ready(state, actor, person_id, case_id).await? {
            return Ok(done);
        }
    }
    Err(AppError::field("case", Text::CaseChangedMeanwhile))
}

/// One try of [`ready`]; `None` when the case changed between reading what is missing and
/// marking it ready.
async fn try_ready(
    state: &AppState,
    actor: &Actor,
    person_id: &str,
    case_id: &str,
) -> AppResult<Option<Ready>> {
    // What the person's "Ladda upp intyg" shows missing (a document asked for again
    // included), read before the transaction, which holds SQLite's write lock; the status it
    // was read with must still hold when the case is marked.
    let panel = panel(state, person_id, case_id).await?;
    let mut tx = state.db.begin().await?;
    let facts = open_case_of(&mut tx, person_id, case_id).await?;
    if let Some(at) = facts.ready_at {
        return Ok(Some(Ready::AlreadySent { at }));
    }
    let list: Vec<Named> = panel
        .requirements
        .into_iter()
        .filter(|r| r.provided == Provided::Missing)
        .map(|r| r.name)
        .collect();
    if !list.is_empty() && facts.status == panel.status {
        let sv = list.iter().map(|n| n.sv.as_str()).collect::<Vec<_>>();
        let en = list
            .iter()
            .map(|n| n.get(crate::i18n::Locale::En))
            .collect::<Vec<_>>();
        return Err(AppError::field(
            "documents",
            Msg::with(Text::CaseMissingDocuments, &[])
                .nest("names", Msg::both(&sv.join(", "), &en.join(", "))),
        ));
    }
    let now = crate::clock::to_db(state.clock.now());
    if facts.status != panel.status
        || !store::mark_ready(&mut tx, case_id, panel.status, &now).await?
    {
        // Sent, decided or asked for a supplement by a request that committed in between.
        drop(tx);
        let mut conn = state.db.pool.acquire().await?;
        let facts = store::facts(&mut conn, case_id)
            .await?
            .ok_or(AppError::NotFound)?;
        return match (facts.ready_at, facts.status) {
            (Some(at), _) => Ok(Some(Ready::AlreadySent { at })),
            (None, CaseStatus::Decided) => Err(AppError::field("case", Text::CaseDecidedNoChanges)),
            (None, _) => Ok(None),
        };
    }
    let answered = facts.status == CaseStatus::SupplementRequested;
    if answered {
        store::answer_supplement(&mut tx, case_id, &now).await?;
    }
    log_both(
        &mut tx,
        &state.clock,
        (person_id, case_id),
        actor,
        if answered {
            "case.supplement_answered"
        } else {
            "case.ready"
        },
        json!({ "order_no": facts.order_no }),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Ready::Sent))
}

/// Adds a level to a scheme unless it has one of that name (the demo data, administrators'
/// tools later).
pub async fn ensure_level(
    conn: &mut sqlx::AnyConnection,
    scheme_id: &str,
    name: &str,
    name_en: &str,
    position: i64,
) -> sqlx::Result<()> {
    let id = uuid::Uuid::now_v7().to_string();
    store::ensure_level(
        conn,
        &store::NewLevel {
            id: &id,
            scheme_id,
            name,
            name_en,
            position,
        },
    )
    .await
}

/// A required document as the demo data and tests add it: Swedish and English name and help.
pub struct RequirementSpec<'a> {
    pub name: (&'a str, &'a str),
    pub help: (&'a str, &'a str),
    pub shared: bool,
}

/// Adds the scheme's required documents in this order, keeping those it already has.
pub async fn ensure_requirements(
    conn: &mut sqlx::AnyConnection,
    scheme_id: &str,
    list: &[RequirementSpec<'_>],
) -> sqlx::Result<()> {
    for (i, r) in list.iter().enumerate() {
        let id = uuid::Uuid::now_v7().to_string();
        store::ensure_requirement(
            conn,
            &store::NewRequirement {
                id: &id,
                scheme_id,
                name: r.name.0,
                name_en: r.name.1,
                help: r.help.0,
                help_en: r.help.1,
                shared: r.shared,
                position: i as i64 + 1,
            },
        )
        .await?;
    }
    Ok(())
}

/// The id of a scheme's required document, by its Swedish name.
pub async fn requirement_id(
    conn: &mut sqlx::AnyConnection,
    scheme_id: &str,
    name: &str,
) -> AppResult<String> {
    store::requirement_id(conn, scheme_id, name)
        .await?
        .ok_or(AppError::NotFound)
}

/// Who sends a file: the person, for one of their cases, or staff, for anyone's (documents that
/// came by post).
#[derive(Clone, Copy, Debug)]
pub enum Uploader<'a> {
    Person(&'a str),
    Staff,
}

/// A file kept: its document's id and name.
#[derive(Debug)]
pub struct Uploaded {
    pub id: String,
    pub name: String,
    pub person_id: String,
}

/// A file for a required document of a case, as the form sent it.
pub struct Upload<'a> {
    pub case_id: &'a str,
    pub requirement_id: &'a str,
    pub original_name: &'a str,
    pub note: &'a str,
}

/// The case a file is sent to, if the uploader may send to it and it is open.
async fn case_for_upload(
    conn: &mut sqlx::AnyConnection,
    uploader: Uploader<'_>,
    case_id: &str,
) -> AppResult<store::CaseFacts> {
    let facts = store::facts(conn, case_id)
        .await?
        .filter(|f| match uploader {
            Uploader::Person(person_id) => f.person_id == person_id,
            Uploader::Staff => true,
        })
        .ok_or(AppError::NotFound)?;
    if facts.status == CaseStatus::Decided {
        return Err(AppError::field("case", Text::CaseDecidedNoChanges));
    }
    Ok(facts)
}

/// Checks where a file goes before it is read: the case is the uploader's and open, the
/// required document is its scheme's, the note is fit to keep.
pub async fn check_upload(db: &Db, uploader: Uploader<'_>, up: &Upload<'_>) -> AppResult<()> {
    let mut conn = db.pool.acquire().await?;
    case_for_upload(&mut conn, uploader, up.case_id).await?;
    store::case_requirement(&mut conn, up.case_id, up.requirement_id)
        .await?
        .ok_or(AppError::NotFound)?;
    check_note(up.note)
}

fn check_note(note: &str) -> AppResult<()> {
    let note = note.trim();
    if note.chars().count() > NOTE_MAX {
        return Err(AppError::field(
            "note",
            Msg::with(Text::FieldTooLong, &[("max", &NOTE_MAX.to_string())]),
        ));
    }
    if !note.is_empty() && !readable(note) {
        return Err(AppError::field("note", Text::CaseReasonUnreadable));
    }
    Ok(())
}

/// How many files a person may send an hour: a case's documents several times over, but no
/// flood of stored files.
pub const UPLOADS_PER_HOUR: i64 = 60;

/// The longest original file name kept.
const ORIGINAL_NAME_MAX: usize = 200;

/// Keeps a file received whole for a required document of a case: judged by its content,
/// stored under its SHA-256, then recorded with its event. Anything refused leaves no row, and
/// no stored file that no row points at.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn upload(
    state: &AppState,
    actor: &Actor,
    uploader: Uploader<'_>,
    up: &Upload<'_>,
    file: super::files::Received,
) -> AppResult<Uploaded> {
    check_upload(&state.db, uploader, up).await?;
    if let Uploader::Person(person_id) = uploader {
        let key = format!("case-upload:person:{person_id}");
        let (hour, now) = (chrono::Duration::hours(1), state.clock.now());
        let limited = crate::auth::throttle::hit(&state.db, &key, UPLOADS_PER_HOUR, hour, now);
        if let Some(wait) = limited.await? {
            return Err(crate::auth::service::rate_limited("file", wait));
        }
    }
    let path = file.path.to_path_buf();
    let format = tokio::task::spawn_blocking(move || super::files::classify(&path))
        .await
        .map_err(AppError::internal)??;
    let key = crate::storage::Storage::key(&file.sha256);
    state
        .storage
        .put_file(&key, &file.path)
        .await
        .map_err(AppError::internal)?;
    let recorded = record(state, actor, uploader, up, &file, format).await;
    // Another upload of the same content may have removed the file between this one's write
    // and its commit (its own row failed, and this row was not yet there to count): written
    // again from the copy still at hand.
    if recorded.is_ok()
        && !state
            .storage
            .exists(&key)
            .await
            .map_err(AppError::internal)?
    {
        state
            .storage
            .put_file(&key, &file.path)
            .await
            .map_err(AppError::internal)?;
    }
    if recorded.is_err() {
        forget_if_unused(state, &file.sha256).await?;
    }
    recorded
}

/// Deletes a stored file that nothing points at (a write whose row did not commit); a failure
/// is logged, and the hourly sweep tries again.
pub async fn forget_if_unused(state: &AppState, sha256: &str) -> AppResult<()> {
    if store::stored_uses(&state.db.pool, sha256).await? == 0
        && let Err(e) = state
            .storage
            .delete(&crate::storage::Storage::key(sha256))
            .await
    {
        tracing::error!(error = %e, "removing a stored file nothing points at");
    }
    Ok(())
}

async fn record(
    state: &AppState,
    actor: &Actor,
    uploader: Uploader<'_>,
    up: &Upload<'_>,
    file: &super::files::Received,
    format: super::model::Format,
) -> AppResult<Uploaded> {
    let mut tx = state.db.begin().await?;
    let facts = case_for_upload(&mut tx, uploader, up.case_id).await?;
    let requirement = store::case_requirement(&mut tx, up.case_id, up.requirement_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // The same file sent again for the same document (a form sent twice) changes nothing.
    if let Some((id, name)) =
        store::same_file(&mut tx, up.case_id, up.requirement_id, &file.sha256).await?
    {
        return Ok(Uploaded {
            id,
            name,
            person_id: facts.person_id,
        });
    }
    let now = state.clock.now();
    let person_no = super::model::person_no(&facts.person_id);
    let name = super::files::stored_name(&requirement.name, &person_no, now, format);
    let stored_name = free_name(&mut tx, &facts.person_id, &name, format).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let delete_after = retention_date(
        &mut tx,
        &facts.person_id,
        crate::ui::format::swedish(now).date(),
    )
    .await?;
    let original: String = up
        .original_name
        .trim()
        .chars()
        .take(ORIGINAL_NAME_MAX)
        .collect();
    store::insert_document(
        &mut tx,
        &store::NewDocument {
            id: &id,
            person_id: &facts.person_id,
            case_id: Some(up.case_id),
            requirement_id: Some(up.requirement_id),
            doc_type: super::model::DocType::Grade,
            title: &requirement.name,
            title_en: &requirement.name_en,
            shared: requirement.shared != 0,
            stored_name: &stored_name,
            original_name: &original,
            format,
            size: file.size as i64,
            sha256: &file.sha256,
            note: up.note.trim(),
            uploaded_by: actor.account_id.as_deref(),
            uploaded_at: &crate::clock::to_db(now),
            delete_after: &delete_after,
        },
    )
    .await?;
    log_both(
        &mut tx,
        &state.clock,
        (&facts.person_id, up.case_id),
        actor,
        "case.document_uploaded",
        json!({ "order_no": facts.order_no, "document": requirement.name, "file": stored_name }),
    )
    .await?;
    tx.commit().await?;
    Ok(Uploaded {
        id,
        name: stored_name,
        person_id: facts.person_id,
    })
}

/// `name` unless the person has a document of that name; else the first free of `<stem>_2`,
/// `<stem>_3`, ... (two files for the same document in the same second, two letters a day).
pub(super) async fn free_name(
    conn: &mut sqlx::AnyConnection,
    person_id: &str,
    name: &str,
    format: super::model::Format,
) -> AppResult<String> {
    let ext = format!(".{}", format.code());
    let stem = name.trim_end_matches(&ext);
    let mut stored_name = name.to_owned();
    let mut n = 1;
    while store::stored_name_taken(&mut *conn, person_id, &stored_name).await? {
        n += 1;
        stored_name = format!("{stem}_{n}{ext}");
    }
    Ok(stored_name)
}

/// Deletes stored files no document points at, stored more than `grace` ago (an upload whose
/// row never committed, after a crash): an upload in flight is younger. Safe on every server
/// at once. Returns how many went.
pub async fn sweep_stored(state: &AppState, grace: chrono::Duration) -> anyhow::Result<usize> {
    let before = state.clock.now() - grace;
    let mut gone = 0;
    for sha256 in state.storage.stored_before(before).await? {
        if store::stored_uses(&state.db.pool, &sha256).await? == 0 {
            state
                .storage
                .delete(&crate::storage::Storage::key(&sha256))
                .await?;
            gone += 1;
        }
    }
    Ok(gone)
}

/// Deletes what uploads left in the upload folder when a server stopped mid-way.
pub fn sweep_incoming(dir: &std::path::Path, grace: std::time::Duration) -> std::io::Result<usize> {
    let mut gone = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let old = entry
            .metadata()?
            .modified()?
            .elapsed()
            .is_ok_and(|age| age > grace);
        if old && entry.file_name().to_string_lossy().starts_with("upload-") {
            std::fs::remove_file(entry.path())?;
            gone += 1;
        }
    }
    Ok(gone)
}

/// The years a document is kept after the person's last certificate ends: two certification
/// periods, "5+5 år" in the manual.
pub const RETENTION_YEARS: i32 = 10;

/// The day a document of the person may be deleted: ten years after their newest certificate
/// ends, or after today if none is later.
pub(super) async fn retention_date(
    conn: &mut sqlx::AnyConnection,
    person_id: &str,
    today: chrono::NaiveDate,
) -> AppResult<String> {
    let last = store::last_valid_day(conn, person_id)
        .await?
        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .map_or(today, |d| d.max(today));
    let until = last
        .checked_add_months(chrono::Months::new(12 * RETENTION_YEARS as u32))
        .unwrap_or(last);
    Ok(crate::db::Day::text(until))
}

/// A document for download: the person's own, or anyone's for staff (each staff download is an
/// event in the person's log). Anyone else finds nothing.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn document_for_download(
    state: &AppState,
    user: &crate::auth::model::CurrentUser,
    actor: &Actor,
    id: &str,
) -> AppResult<store::DocumentRow> {
    let doc = store::document(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.is_staff() {
        let mut tx = state.db.begin().await?;
        append(
            &mut tx,
            &state.clock,
            Subject::person(&doc.person_id),
            actor,
            "case.document_downloaded",
            json!({ "file": doc.stored_name }),
        )
        .await?;
        tx.commit().await?;
        return Ok(doc);
    }
    match &user.person_id {
        Some(p) if *p == doc.person_id => Ok(doc),
        _ => Err(AppError::NotFound),
    }
}

/// "Arkiv" of one of the person's cases.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn archive(
    db: &Db,
    person_id: &str,
    case_id: &str,
    q: &super::model::ArchiveQuery,
) -> AppResult<super::model::Archive> {
    use super::model::{ArchiveRow, DocType};
    use crate::types::{Paged, SEARCH_PAGE, offset};
    let mut conn = db.pool.acquire().await?;
    store::facts(&mut conn, case_id)
        .await?
        .filter(|f| f.person_id == person_id)
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let lines = store::archive(
        &db.pool,
        person_id,
        case_id,
        q,
        i64::from(SEARCH_PAGE) + 1,
        offset(q.page, SEARCH_PAGE),
    )
    .await?;
    let rows = lines
        .into_iter()
        .map(|l| ArchiveRow {
            date: crate::ui::format::short_date(&l.uploaded_at),
            id: l.id,
            name: l.stored_name,
            doc_type: l.doc_type,
            note: l.note,
        })
        .collect();
    let types = store::archive_types(&db.pool, person_id, case_id)
        .await?
        .iter()
        .filter_map(|code| DocType::parse(code))
        .collect();
    Ok(super::model::Archive {
        rows: Paged::of(rows, q.page, SEARCH_PAGE),
        types,
        retention_deleted: super::retention::last_deletion(db, person_id).await?,
    })
}

/// The schemes, each with how many documents an application requires (staff).
pub async fn scheme_lines(db: &Db) -> AppResult<Vec<super::model::SchemeLine>> {
    Ok(store::scheme_lines(&db.pool)
        .await?
        .into_iter()
        .map(|s| super::model::SchemeLine {
            area: Named::new(&s.technical_area, &s.technical_area_en),
            name: Named::new(&s.name, &s.name_en),
            documents: s.documents,
            id: s.id,
        })
        .collect())
}

/// A scheme's required documents as its administrators keep them (staff read them; body
/// administrators may change them).
pub async fn scheme_documents(
    db: &Db,
    scheme_id: &str,
    editable: bool,
) -> AppResult<super::model::SchemeDocuments> {
    let s = store::scheme_line(&db.pool, scheme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let documents = store::requirements_admin(&db.pool, scheme_id)
        .await?
        .into_iter()
        .map(|r| super::model::RequirementAdmin {
            id: r.id,
            name: r.name,
            name_en: r.name_en,
            help: r.help,
            help_en: r.help_en,
            shared: r.shared != 0,
            template: r.template,
            in_use: r.in_use > 0,
            report: r.case_kind == "yearly_report",
        })
        .collect();
    Ok(super::model::SchemeDocuments {
        area: Named::new(&s.technical_area, &s.technical_area_en),
        name: Named::new(&s.name, &s.name_en),
        id: s.id,
        editable,
        documents,
    })
}

/// A required document as an administrator wrote it: trimmed, checked.
pub struct RequirementForm<'a> {
    pub name: &'a str,
    pub name_en: &'a str,
    pub help: &'a str,
    pub help_en: &'a str,
    pub shared: bool,
}

fn check_requirement<'a>(f: &RequirementForm<'a>) -> AppResult<store::RequirementText<'a>> {
    use super::model::{REQUIREMENT_HELP_MAX, REQUIREMENT_NAME_MAX};
    let mut errors = Vec::new();
    let name = f.name.trim();
    if name.is_empty() {
        errors.push(crate::error::FieldError::new(
            "name",
            Text::RequirementNameRequired,
        ));
    }
    for (field, value, max) in [
        ("name", name, REQUIREMENT_NAME_MAX),
        ("name_en", f.name_en.trim(), REQUIREMENT_NAME_MAX),
        ("help", f.help.trim(), REQUIREMENT_HELP_MAX),
        ("help_en", f.help_en.trim(), REQUIREMENT_HELP_MAX),
    ] {
        if value.chars().count() > max {
            errors.push(crate::error::FieldError::new(
                field,
                Msg::with(Text::FieldTooLong, &[("max", &max.to_string())]),
            ));
        } else if !value.is_empty() && !readable(value) {
            errors.push(crate::error::FieldError::new(
                field,
                Text::CaseReasonUnreadable,
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(store::RequirementText {
        name,
        name_en: f.name_en.trim(),
        help: f.help.trim(),
        help_en: f.help_en.trim(),
        shared: f.shared,
    })
}

/// Adds a required document to the scheme (`id` empty) or rewrites one; an event on the
/// scheme's log. Open cases ask for it from now on.
pub async fn save_requirement(
    state: &AppState,
    actor: &Actor,
    scheme_id: &str,
    id: &str,
    form: &RequirementForm<'_>,
) -> AppResult<()> {
    let text = check_requirement(form)?;
    let mut tx = state.db.begin().await?;
    if store::scheme_name(&mut tx, scheme_id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let (written, action) = if id.is_empty() {
        let new = uuid::Uuid::now_v7().to_string();
        let added = store::add_requirement(&mut tx, &new, scheme_id, &text).await;
        (added, "scheme.requirement_added")
    } else {
        let changed = store::update_requirement(&mut tx, id, scheme_id, &text).await;
        (changed, "scheme.requirement_changed")
    };
    let written = match written {
        Ok(w) => w,
        Err(e)
            if e.as_database_error()
                .is_some_and(|d| d.is_unique_violation()) =>
        {
            false
        }
        Err(e) => return Err(e.into()),
    };
    if !written {
        if id.is_empty()
            || store::requirement_facts(&mut tx, scheme_id, id)
                .await?
                .is_some()
        {
            return Err(AppError::field("name", Text::RequirementNameTaken).keep(&[
                ("name", form.name),
                ("name_en", form.name_en),
                ("help", form.help),
                ("help_en", form.help_en),
            ]));
        }
        return Err(AppError::NotFound);
    }
    append(
        &mut tx,
        &state.clock,
        Subject::scheme(scheme_id),
        actor,
        action,
        json!({ "document": text.name }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a required document: open cases ask for it no more; files and reasons sent for it
/// stay. Removing it again changes nothing (`false`).
pub async fn remove_requirement(
    state: &AppState,
    actor: &Actor,
    scheme_id: &str,
    id: &str,
) -> AppResult<bool> {
    let mut tx = state.db.begin().await?;
    if store::is_needed_report_row(&mut tx, scheme_id, id).await? {
        return Err(AppError::field("id", Text::RequirementReportNeeded));
    }
    let Some(name) = store::remove_requirement(&mut tx, id, scheme_id).await? else {
        return Ok(false);
    };
    append(
        &mut tx,
        &state.clock,
        Subject::scheme(scheme_id),
        actor,
        "scheme.requirement_removed",
        json!({ "document": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Moves a required document one place up or down the scheme's list (the order applicants see).
pub async fn move_requirement(
    state: &AppState,
    scheme_id: &str,
    id: &str,
    up: bool,
) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    let mut order = store::requirement_order(&mut tx, scheme_id).await?;
    let Some(i) = order.iter().position(|r| r == id) else {
        return Err(AppError::NotFound);
    };
    let j = if up {
        i.checked_sub(1)
    } else {
        Some(i + 1).filter(|j| *j < order.len())
    };
    let Some(j) = j else {
        return Ok(());
    };
    order.swap(i, j);
    for (n, r) in order.iter().enumerate() {
        store::set_requirement_position(&mut tx, r, n as i64 + 1).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The longest name a template downloads as, before its extension.
const TEMPLATE_NAME_MAX: usize = 80;

/// "Ladda upp mall": a body administrator's file becomes the required document's template,
/// judged by its content like every upload and stored under its SHA-256. Returns the name it
/// downloads as. The same file again changes nothing.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_template(
    state: &AppState,
    actor: &Actor,
    scheme_id: &str,
    id: &str,
    original_name: &str,
    file: super::files::Received,
) -> AppResult<String> {
    let mut conn = state.db.pool.acquire().await?;
    let requirement = store::requirement_of(&mut conn, scheme_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let path = file.path.to_path_buf();
    let format = tokio::task::spawn_blocking(move || super::files::classify(&path))
        .await
        .map_err(AppError::internal)??;
    // The name as sent, in letters, digits, '-' and '_', with the extension of what it is.
    let stem = original_name
        .rsplit_once('.')
        .map_or(original_name, |(stem, _)| stem);
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(TEMPLATE_NAME_MAX)
        .collect();
    if !name.chars().any(char::is_alphanumeric) {
        name = super::model::stored_stem(&requirement.name, "")
            .trim_end_matches("_C")
            .to_owned();
    }
    let name = format!("{name}.{}", format.code());
    let key = crate::storage::Storage::key(&file.sha256);
    state
        .storage
        .put_file(&key, &file.path)
        .await
        .map_err(AppError::internal)?;
    let written = async {
        let mut tx = state.db.begin().await?;
        let changed = store::set_template(
            &mut tx,
            scheme_id,
            id,
            Some((&name, &file.sha256, format.code())),
        )
        .await?;
        if changed {
            append(
                &mut tx,
                &state.clock,
                Subject::scheme(scheme_id),
                actor,
                "scheme.template_set",
                json!({ "document": requirement.name, "file": name }),
            )
            .await?;
        }
        tx.commit().await?;
        AppResult::Ok(())
    }
    .await;
    if written.is_err() {
        forget_if_unused(state, &file.sha256).await?;
    }
    written.map(|()| name)
}

/// "Ta bort mall": the document has no template any more (its file goes with the hourly sweep
/// once nothing else points at it). False when it had none.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove_template(
    state: &AppState,
    actor: &Actor,
    scheme_id: &str,
    id: &str,
) -> AppResult<bool> {
    let mut tx = state.db.begin().await?;
    let requirement = store::requirement_of(&mut tx, scheme_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !store::set_template(&mut tx, scheme_id, id, None).await? {
        return Ok(false);
    }
    append(
        &mut tx,
        &state.clock,
        Subject::scheme(scheme_id),
        actor,
        "scheme.template_removed",
        json!({ "document": requirement.name }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A required document's template, for anyone (it is a blank form); none is not found.
pub async fn template_for_download(db: &Db, id: &str) -> AppResult<store::TemplateRow> {
    store::template(&db.pool, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Appends an event of a case on its person's log (what they see of their own) and on the
/// case's own (what its handlers see), inside the caller's transaction.
pub(super) async fn log_both(
    conn: &mut sqlx::AnyConnection,
    clock: &crate::clock::Clock,
    (person_id, case_id): (&str, &str),
    actor: &Actor,
    action: &str,
    details: serde_json::Value,
) -> sqlx::Result<()> {
    append(
        conn,
        clock,
        Subject::person(person_id),
        actor,
        action,
        details.clone(),
    )
    .await?;
    append(conn, clock, Subject::case(case_id), actor, action, details)
        .await
        .map(|_| ())
}
