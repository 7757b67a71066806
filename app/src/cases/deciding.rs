//! From a handled case to its end (seed 001): "Komplettering" (a letter in the person's
//! archive, a message, an email, the documents asked for again, one reminder by the scheduler),
//! "Prov" (exam results), and "Beslut" (a certificate from the scheme's series, or a rejection,
//! each with its letter and message). Only the case's handler (or a body administrator), never
//! the applicant, does these; each is one transaction with its events, and sent twice it
//! changes nothing the second time.

use super::handling::handled_by;
use super::model::{
    CaseKind, CaseStatus, DECISION_REASON_MAX, Decided, DocType, EXAM_MAX, Format, MESSAGE_MAX,
    MessageKind, Requested, SCORE_MAX,
};
use super::store;
use crate::auth::model::CurrentUser;
use crate::clock::to_db;
use crate::error::{AppError, AppResult};
use crate::events::service::{Actor, Subject, append};
use crate::i18n::{Locale, Msg, Named, Text};
use crate::state::AppState;
use serde_json::json;
use sqlx::AnyConnection;

/// The job that sends a supplement request's one reminder.
pub const REMINDER_JOB: &str = "cases.supplement_reminder";

fn too_long(field: &str, max: usize) -> AppError {
    AppError::field(
        field,
        Msg::with(Text::FieldTooLong, &[("max", &max.to_string())]),
    )
}

/// A handler's text: required, at most `max` characters, readable.
fn text_of(field: &str, text: &str, max: usize, required: Text) -> AppResult<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::field(field, required));
    }
    if text.chars().count() > max {
        return Err(too_long(field, max));
    }
    if !super::service::readable(text) {
        return Err(AppError::field(field, Text::CaseReasonUnreadable));
    }
    Ok(text.to_owned())
}

/// The case as a handler's write needs it: its row (names, person, kind) and its requirements,
/// read before the transaction; refused as the transaction would refuse it.
async fn handled_case(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
) -> AppResult<(store::CaseRow, super::model::CasePanel)> {
    let db = &state.db;
    let mut conn = db.pool.acquire().await?;
    handled_by(&mut conn, user, case_id).await?;
    drop(conn);
    let row = || async {
        store::case(&db.pool, case_id)
            .await?
            .ok_or(AppError::NotFound)
    };
    let panel = super::service::panel_of(db, row().await?, state.clock.today()).await?;
    Ok((row().await?, panel))
}

/// A letter of the body to the person, in their language: the body's name, the date, the
/// title, the case's facts, and paragraphs.
fn letter(
    state: &AppState,
    locale: Locale,
    title: Text,
    row: &store::CaseRow,
    paragraphs: &[String],
) -> Vec<u8> {
    let mut doc = crate::pdf::Doc::default();
    doc.line(true, 18.0, &state.config.body_name, 30.0);
    doc.line(false, 11.0, &state.clock.today().to_string(), 20.0);
    doc.line(false, 11.0, &crate::db::PersonName::full(&row.person), 40.0);
    doc.line(true, 16.0, locale.text(title), 28.0);
    let (_, scheme) = super::service::names(&row.names);
    doc.fact(locale.text(Text::CaseOrderNo), &row.order_no, 200.0);
    doc.fact(locale.text(Text::CaseScheme), scheme.get(locale), 200.0);
    doc.rule();
    for p in paragraphs {
        doc.paragraphs(p);
        doc.skip(8.0);
    }
    doc.paragraphs(&locale.format(
        Text::LetterContact,
        &[("contact", &state.config.body_contact)],
    ));
    doc.finish()
}

/// Stores a letter's file; the caller records it (and forgets the file if that fails).
async fn store_letter(state: &AppState, bytes: Vec<u8>) -> AppResult<(String, i64)> {
    use sha2::Digest;
    let sha256 = hex::encode(sha2::Sha256::digest(&bytes));
    let size = bytes.len() as i64;
    state
        .storage
        .put_bytes(&crate::storage::Storage::key(&sha256), bytes)
        .await
        .map_err(AppError::internal)?;
    Ok((sha256, size))
}

/// Records a stored letter in the person's archive, for the case; returns its id and name.
#[allow(clippy::too_many_arguments)]
async fn record_letter(
    conn: &mut AnyConnection,
    state: &AppState,
    row: &store::CaseRow,
    doc_type: DocType,
    title: Named,
    name: &str,
    (sha256, size): (&str, i64),
    by: &str,
) -> AppResult<(String, String)> {
    let now = state.clock.now();
    let stored_name =
        super::service::free_name(&mut *conn, &row.person_id, name, Format::Pdf).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let delete_after = super::service::retention_date(
        &mut *conn,
        &row.person_id,
        crate::ui::format::swedish(now).date(),
    )
    .await?;
    store::insert_document(
        &mut *conn,
        &store::NewDocument {
            id: &id,
            person_id: &row.person_id,
            case_id: Some(&row.id),
            requirement_id: None,
            doc_type,
            title: &title.sv,
            title_en: &title.en,
            shared: false,
            stored_name: &stored_name,
            original_name: &stored_name,
            format: Format::Pdf,
            size,
            sha256,
            note: "",
            uploaded_by: Some(by),
            uploaded_at: &to_db(now),
            delete_after: &delete_after,
        },
    )
    .await?;
    Ok((id, stored_name))
}

/// A letter's file name, as the manual names them: `<Letter>_<kind>_<order>_<date>.pdf`.
fn letter_name(letter: Text, row: &store::CaseRow, today: chrono::NaiveDate) -> String {
    let word = |t: Text| Locale::Sv.text(t).replace([' ', '/'], "-");
    format!(
        "{}_{}_{}_{today}.pdf",
        word(letter),
        word(row.kind.text()),
        row.order_no
    )
}

/// A message from the body's side of the case, inside the caller's transaction.
async fn tell(
    conn: &mut AnyConnection,
    state: &AppState,
    actor: &Actor,
    row: &store::CaseRow,
    kind: MessageKind,
    body: &str,
    author: (Option<&str>, &str),
) -> AppResult<()> {
    let case = (
        row.id.as_str(),
        row.order_no.as_str(),
        row.person_id.as_str(),
    );
    super::messaging::from_body(conn, state, actor, case, kind, body, author).await
}

/// The handler's message of `kind` to the person and the event `action` in the person's and
/// the case's log, inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
async fn announce(
    conn: &mut AnyConnection,
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    row: &store::CaseRow,
    kind: MessageKind,
    message: &str,
    (action, details): (&str, serde_json::Value),
) -> AppResult<()> {
    let author = (Some(user.account_id.as_str()), user.display_name.as_str());
    tell(&mut *conn, state, actor, row, kind, message, author).await?;
    let case = (row.person_id.as_str(), row.id.as_str());
    super::service::log_both(conn, &state.clock, case, actor, action, details).await?;
    Ok(())
}

/// "Begär komplettering": the handler ticks the documents that are missing and writes what is
/// needed. The person gets a letter in their archive, a "Komplettering" message (and an email,
/// or a letter is due), and "Ladda upp intyg" asks for those documents again; a reminder goes
/// out once after the configured days without an answer.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn request_supplement(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    case_id: &str,
    requirement_ids: &[String],
    body: &str,
) -> AppResult<Requested> {
    let body = text_of(
        "supplement_text",
        body,
        MESSAGE_MAX,
        Text::SupplementTextRequired,
    )?;
    let (row, panel) = handled_case(state, user, case_id).await?;
    if let (CaseStatus::SupplementRequested, Some(at)) =
        (row.status, panel.supplement_asked_at.clone())
    {
        return Ok(Requested::AlreadyRequested { at });
    }
    let asked: Vec<&super::model::Requirement> = panel
        .requirements
        .iter()
        .filter(|r| requirement_ids.contains(&r.id))
        .collect();
    // Every id one of the case's documents (an id sent twice counts once).
    let known = requirement_ids
        .iter()
        .all(|id| asked.iter().any(|r| r.id == *id));
    if asked.is_empty() || !known {
        return Err(AppError::field(
            "requirement_ids",
            Text::SupplementChooseDocuments,
        ));
    }
    let mut conn = state.db.pool.acquire().await?;
    let to = crate::messages::service::recipient(&mut conn, &row.person_id).await?;
    drop(conn);
    let locale = to.locale;
    let names: Vec<&str> = asked.iter().map(|r| r.name.get(locale)).collect();
    let needed = locale.format(Text::SupplementNeeded, &[("documents", &names.join(", "))]);
    let how = locale.text(Text::SupplementHow).to_owned();
    let pdf = letter(
        state,
        locale,
        Text::DocTypeSupplementLetter,
        &row,
        &[needed.clone(), body.clone(), how],
    );
    let today = state.clock.today();
    let name = letter_name(Text::DocTypeSupplementLetter, &row, today);
    let (sha256, size) = store_letter(state, pdf).await?;
    let written = async {
        let mut tx = state.db.begin().await?;
        handled_by(&mut tx, user, case_id).await?;
        let title = Named::new(
            Locale::Sv.text(Text::DocTypeSupplementLetter),
            Locale::En.text(Text::DocTypeSupplementLetter),
        );
        let (letter_id, letter) = record_letter(
            &mut tx,
            state,
            &row,
            DocType::SupplementLetter,
            title,
            &name,
            (&sha256, size),
            &user.account_id,
        )
        .await?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = state.clock.now();
        let ids = serde_json::to_string(&asked.iter().map(|r| &r.id).collect::<Vec<_>>())
            .map_err(AppError::internal)?;
        let new = store::NewSupplement {
            id: &id,
            case_id,
            requirements: &ids,
            body: &body,
            requested_by: &user.account_id,
            requested_at: &to_db(now),
            letter_id: &letter_id,
        };
        if !store::request_supplement(&mut tx, &new).await? {
            // Asked (or decided) by a request that committed in between.
            return Ok(None);
        }
        let message = format!("{needed}\n\n{body}");
        let documents = names.join(", ");
        let event = json!({ "order_no": row.order_no, "documents": documents });
        let action = ("case.supplement_requested", event);
        let kind = MessageKind::Supplement;
        announce(&mut tx, state, actor, user, &row, kind, &message, action).await?;
        let due = now + chrono::Duration::days(i64::from(state.config.supplement_reminder_days));
        let job = format!("{REMINDER_JOB}:{id}");
        crate::jobs::service::schedule(
            &mut tx,
            &state.clock,
            &job,
            REMINDER_JOB,
            &json!({ "supplement_id": id }),
            due,
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(Some(letter))
    }
    .await;
    // Nothing recorded (refused, or asked in between): the letter's file goes again.
    if !matches!(written, Ok(Some(_))) {
        super::service::forget_if_unused(state, &sha256).await?;
    }
    if let Some(letter) = written? {
        return Ok(Requested::Requested { letter });
    }
    let mut conn = state.db.pool.acquire().await?;
    match store::open_supplement(&mut conn, case_id).await? {
        Some(s) => Ok(Requested::AlreadyRequested { at: s.requested_at }),
        None => Err(AppError::field("case", Text::CaseChangedMeanwhile)),
    }
}

/// The reminder job: once, if the request still waits for its answer, a
/// "Kompletteringspåminnelse" message (and email) from the body. Runs in the job's transaction.
pub async fn run_reminder_job(
    conn: &mut AnyConnection,
    state: &AppState,
    payload: &str,
) -> anyhow::Result<()> {
    #[derive(serde::Deserialize)]
    struct Payload {
        supplement_id: String,
    }
    let p: Payload = serde_json::from_str(payload)?;
    let Some(s) = store::supplement(&mut *conn, &p.supplement_id).await? else {
        return Ok(());
    };
    if s.answered_at.is_some() || s.reminded_at.is_some() {
        return Ok(());
    }
    let Some(row) = store::case(&state.db.pool, &s.case_id).await? else {
        return Ok(());
    };
    if row.status != CaseStatus::SupplementRequested {
        return Ok(());
    }
    let now = to_db(state.clock.now());
    if !store::mark_reminded(&mut *conn, &s.id, &now).await? {
        return Ok(());
    }
    let to = crate::messages::service::recipient(&mut *conn, &row.person_id).await?;
    let asked_on = crate::ui::format::short_date(&s.requested_at);
    let body = to.locale.format(
        Text::SupplementReminderBody,
        &[("date", &asked_on), ("order_no", &row.order_no)],
    );
    let actor = Actor::system("scheduler");
    tell(
        conn,
        state,
        &actor,
        &row,
        MessageKind::SupplementReminder,
        &body,
        (None, &state.config.body_name),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    append(
        &mut *conn,
        &state.clock,
        Subject::case(&row.id),
        &actor,
        "case.supplement_reminded",
        json!({ "order_no": row.order_no }),
    )
    .await?;
    Ok(())
}

/// "Prov": records an exam result (day, exam, passed or not, score). The same result recorded
/// again changes nothing. True when written.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_exam(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    case_id: &str,
    taken_on: &str,
    exam: &str,
    result: &str,
    score: &str,
) -> AppResult<bool> {
    let day = chrono::NaiveDate::parse_from_str(taken_on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("taken_on", Text::ExamDateInvalid))?;
    if day < chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or_default() {
        return Err(AppError::field("taken_on", Text::ExamDateInvalid));
    }
    if day > state.clock.today() {
        return Err(AppError::field("taken_on", Text::ExamDateFuture));
    }
    let exam = text_of("exam", exam, EXAM_MAX, Text::ExamNameRequired)?;
    let passed = match result {
        "passed" => true,
        "failed" => false,
        _ => return Err(AppError::field("result", Text::ExamChooseResult)),
    };
    let score = score.trim();
    if score.chars().count() > SCORE_MAX {
        return Err(too_long("score", SCORE_MAX));
    }
    if !score.is_empty() && !super::service::readable(score) {
        return Err(AppError::field("score", Text::CaseReasonUnreadable));
    }
    let mut tx = state.db.begin().await?;
    let h = handled_by(&mut tx, user, case_id).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let now = to_db(state.clock.now());
    let taken_on = day.to_string();
    let e = store::NewExam {
        id: &id,
        case_id,
        taken_on: &taken_on,
        exam: &exam,
        passed,
        score,
        recorded_by: &user.account_id,
        now: &now,
    };
    if !store::insert_exam(&mut tx, &e).await? {
        return Ok(false);
    }
    super::service::log_both(
        &mut tx,
        &state.clock,
        (&h.person_id, case_id),
        actor,
        "case.exam_recorded",
        json!({ "order_no": h.order_no, "exam": exam, "date": taken_on }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// What the handler decided, as the form sent it.
#[derive(Clone, Copy)]
pub enum Choice<'a> {
    Approve {
        level_id: &'a str,
        plastic_card: bool,
        published: bool,
    },
    Reject {
        reason: &'a str,
    },
}

/// Why a yearly report or a renewal cannot be approved now: the certificate it is about was
/// suspended, revoked or renewed in the meantime.
fn not_approvable(row: &store::CaseRow) -> Option<Text> {
    let status = row.shown_status.as_deref();
    let renewed = row.shown_renewed.is_some();
    match row.kind {
        CaseKind::YearlyReport => (renewed || !matches!(status, Some("active" | "inactive")))
            .then_some(Text::DecisionReportNotValid),
        CaseKind::Renewal => (renewed
            || !matches!(status, Some("active" | "inactive" | "expired")))
        .then_some(Text::DecisionRenewalNotValid),
        CaseKind::New => None,
    }
}

/// What an approval did: the certificate (issued, or extended by a yearly report: then its
/// "Förläng senast" now), and the letter's text.
struct Approval {
    id: String,
    number: String,
    extended: Option<String>,
    text: String,
}

/// What an approval does, inside the decision's transaction: a new certificate (for a renewal,
/// its validity follows on from the one renewed, which is marked renewed), or, for a yearly
/// report, the certificate's yearly extension.
async fn approve(
    tx: &mut sqlx::AnyConnection,
    state: &AppState,
    actor: &Actor,
    row: &store::CaseRow,
    level: Option<&store::LevelRow>,
    published: bool,
    locale: Locale,
) -> AppResult<Approval> {
    let today = state.clock.today();
    if row.kind == CaseKind::YearlyReport {
        let (Some(id), Some(due), Some(valid_until)) =
            (&row.about_certificate, row.report_due, row.valid_until)
        else {
            return Err(AppError::internal(
                "a yearly report without its certificate",
            ));
        };
        let number = row.certificate_number.clone().unwrap_or_default();
        let moved = crate::certificates::service::extend_by_report(
            &mut *tx,
            &state.clock,
            actor,
            id,
            due.0,
            valid_until.0,
        )
        .await?;
        // Moved already (by another way): the letter says the date as it stands.
        let to = moved.or(row.extend_by.map(|d| d.0)).unwrap_or(due.0);
        let text = locale.format(
            Text::DecisionReportApprovedText,
            &[("number", &number), ("date", &to.to_string())],
        );
        return Ok(Approval {
            id: id.clone(),
            number,
            extended: Some(to.to_string()),
            text,
        });
    }
    let rules = store::scheme_rules(&mut *tx, &row.scheme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let number = loop {
        let n = store::next_number(&mut *tx, &row.scheme_id).await?;
        let number = format!("{}-{n:05}", rules.code.to_uppercase());
        if !store::number_taken(&mut *tx, &number).await? {
            break number;
        }
    };
    let years = u32::try_from(rules.recert_years.max(1)).unwrap_or(5);
    // A renewal's period follows on from the one renewed (from today, once that has ended).
    let start = match (row.kind, row.valid_until) {
        (CaseKind::Renewal, Some(until)) => until.0.max(today),
        _ => today,
    };
    let valid_until = start
        .checked_add_months(chrono::Months::new(12 * years))
        .unwrap_or(start);
    let extend_by = (rules.yearly_attestation != 0 || rules.yearly_report != 0).then(|| {
        today
            .checked_add_months(chrono::Months::new(12))
            .unwrap_or(today)
            .to_string()
    });
    let issued_on = today.to_string();
    let valid = valid_until.to_string();
    if let (CaseKind::Renewal, Some(old)) = (row.kind, &row.about_certificate) {
        crate::certificates::service::lock(&mut *tx, old).await?;
    }
    let id = crate::certificates::service::issue(
        &mut *tx,
        &state.clock,
        actor,
        &crate::certificates::service::Issue {
            number: &number,
            scheme_id: &row.scheme_id,
            person_id: &row.person_id,
            status: crate::certificates::model::Status::Active,
            issued_on: &issued_on,
            valid_until: &valid,
            extend_by: extend_by.as_deref(),
        },
    )
    .await?;
    if published {
        // "Publicerad", as the application asked.
        crate::certificates::verification::mark_published(&mut *tx, &id).await?;
    }
    if let (CaseKind::Renewal, Some(old)) = (row.kind, &row.about_certificate)
        && !crate::certificates::service::mark_renewed(
            &mut *tx,
            &state.clock,
            actor,
            old,
            (&id, &number),
        )
        .await?
    {
        // Renewed by another decision that committed in between: nothing of this one stays.
        return Err(AppError::field("decision", Text::DecisionRenewalNotValid));
    }
    let level_name = level.map(|l| Named::new(l.name.clone(), l.name_en.clone()));
    let text = locale.format(
        Text::DecisionApprovedText,
        &[
            ("number", &number),
            ("valid_until", &valid),
            ("level", level_name.as_ref().map_or("-", |l| l.get(locale))),
        ],
    );
    Ok(Approval {
        id,
        number,
        extended: None,
        text,
    })
}

/// [`Decided::AlreadyDecided`] when the case is decided and the caller is not its applicant.
async fn already_decided(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
) -> AppResult<Option<Decided>> {
    let mut conn = state.db.pool.acquire().await?;
    let Some(h) = store::handling(&mut conn, case_id).await? else {
        return Ok(None);
    };
    if h.status != CaseStatus::Decided || h.is_applicant(&user.account_id) {
        return Ok(None);
    }
    drop(conn);
    let at = store::decision(&state.db.pool, case_id)
        .await?
        .and_then(|d| d.decided_at)
        .unwrap_or_default();
    Ok(Some(Decided::AlreadyDecided { at }))
}

/// "Fatta beslut": approve, which issues the certificate (the next number of the scheme's
/// series, valid for the scheme's years, first yearly extension a year on where the scheme
/// uses attestation), or reject with a reason. Either writes a decision letter into the
/// person's archive and a "Beslut" message (and email). Final: a new try is a new case.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    case_id: &str,
    choice: Choice<'_>,
) -> AppResult<Decided> {
    // Decided already: say when, whoever asks (the second press of the button).
    if let Some(decided) = already_decided(state, user, case_id).await? {
        return Ok(decided);
    }
    let reason = match choice {
        Choice::Reject { reason } => Some(text_of(
            "reason",
            reason,
            DECISION_REASON_MAX,
            Text::DecisionReasonRequired,
        )?),
        Choice::Approve { .. } => None,
    };
    let (row, panel) = match handled_case(state, user, case_id).await {
        Ok(found) => found,
        // Decided since the check above (the other press won): say so, not "no changes".
        Err(e) => return already_decided(state, user, case_id).await?.ok_or(e),
    };
    // Approval waits for what the case still lacks: the person's "MEDDELA OSS" (again, after a
    // supplement request), and a passed exam where the latest one failed.
    if let Choice::Approve { .. } = choice {
        if row.status == CaseStatus::SupplementRequested {
            return Err(AppError::field("decision", Text::DecisionSupplementOpen));
        }
        // A yearly report of someone without an account comes by post: staff upload it.
        let by_post = row.kind == CaseKind::YearlyReport && row.has_account == 0;
        if row.ready_at.is_none() && !by_post {
            return Err(AppError::field("decision", Text::DecisionNotSent));
        }
        if let Some(why) = not_approvable(&row) {
            return Err(AppError::field("decision", why));
        }
        if panel.exams.first().is_some_and(|e| !e.passed) {
            return Err(AppError::field("decision", Text::DecisionExamFailed));
        }
    }
    let levels = store::levels(&state.db.pool).await?;
    let levels: Vec<_> = levels
        .into_iter()
        .filter(|l| l.scheme_id == row.scheme_id)
        .collect();
    let level = match choice {
        Choice::Approve { level_id, .. }
            if !levels.is_empty() && row.kind != CaseKind::YearlyReport =>
        {
            Some(
                levels
                    .iter()
                    .find(|l| l.id == level_id)
                    .ok_or_else(|| AppError::field("level_id", Text::DecisionChooseLevel))?,
            )
        }
        _ => None,
    };
    let mut conn = state.db.pool.acquire().await?;
    let to = crate::messages::service::recipient(&mut conn, &row.person_id).await?;
    drop(conn);
    let locale = to.locale;
    let today = state.clock.today();
    let name = letter_name(Text::DocTypeDecision, &row, today);
    let mut stored: Option<String> = None;
    let written = async {
        let mut tx = state.db.begin().await?;
        // Decided by a request that committed in between: said as such, not as a refusal.
        if store::handling(&mut tx, case_id)
            .await?
            .is_some_and(|h| h.status == CaseStatus::Decided)
        {
            return Ok(None);
        }
        handled_by(&mut tx, user, case_id).await?;
        let approved = matches!(choice, Choice::Approve { .. });
        let (plastic_card, published) = match choice {
            Choice::Approve {
                plastic_card,
                published,
                ..
            } => (plastic_card, published),
            Choice::Reject { .. } => (false, false),
        };
        let (certificate, number, extended, paragraphs) = if approved {
            let a = approve(&mut tx, state, actor, &row, level, published, locale).await?;
            (Some(a.id), Some(a.number), a.extended, vec![a.text])
        } else {
            let text = locale.text(Text::DecisionRejectedText).to_owned();
            (
                None,
                None,
                None,
                vec![text, reason.clone().unwrap_or_default()],
            )
        };
        let now = to_db(state.clock.now());
        let d = store::Decision {
            case_id,
            approved,
            reason: reason.as_deref(),
            granted_level: level.map(|l| l.name.as_str()),
            plastic_card,
            published,
            certificate_id: certificate.as_deref(),
            decided_by: &user.account_id,
            now: &now,
        };
        if !store::decide(&mut tx, &d).await? {
            return Ok(None);
        }
        let pdf = letter(state, locale, Text::DocTypeDecision, &row, &paragraphs);
        let (sha256, size) = store_letter(state, pdf).await?;
        stored = Some(sha256.clone());
        let title = Named::new(
            Locale::Sv.text(Text::DocTypeDecision),
            Locale::En.text(Text::DocTypeDecision),
        );
        record_letter(
            &mut tx,
            state,
            &row,
            DocType::Decision,
            title,
            &name,
            (&sha256, size),
            &user.account_id,
        )
        .await?;
        let message = format!(
            "{}\n\n{}",
            paragraphs.join("\n\n"),
            locale.text(Text::DecisionLetterInArchive)
        );
        let action = if approved {
            "case.approved"
        } else {
            "case.rejected"
        };
        let event =
            json!({ "order_no": row.order_no, "number": number.clone().unwrap_or_default() });
        let kind = MessageKind::Decision;
        announce(
            &mut tx,
            state,
            actor,
            user,
            &row,
            kind,
            &message,
            (action, event),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(Some(number.map(|n| (n, extended))))
    }
    .await;
    if !matches!(written, Ok(Some(_)))
        && let Some(sha256) = &stored
    {
        super::service::forget_if_unused(state, sha256).await?;
    }
    match written? {
        Some(Some((number, None))) => Ok(Decided::Approved { number }),
        Some(Some((number, Some(extend_by)))) => Ok(Decided::Reported { number, extend_by }),
        Some(None) => Ok(Decided::Rejected),
        None => {
            let at = store::decision(&state.db.pool, case_id)
                .await?
                .and_then(|d| d.decided_at)
                .unwrap_or_default();
            Ok(Decided::AlreadyDecided { at })
        }
    }
}
