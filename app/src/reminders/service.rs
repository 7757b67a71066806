//! Reminders: the daily run that sends each one once, the schemes' rules as body administrators
//! keep them, and the letters staff post to those who asked for letters.

use super::model::{Letter, Posted, ReminderKind, Rules, SchemeRules, occasion};
use super::store::{self, Candidate, SchemeRow};
use crate::clock::{from_db, to_db};
use crate::db::{Day, Db};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::service::{Actor, Subject, append};
use crate::i18n::Named;
use crate::messages::model::{Due, Line, Notice};
use crate::messages::service::Recipient;
use crate::state::AppState;
use chrono::NaiveDate;
use sqlx::AnyConnection;
use std::collections::BTreeSet;

fn applies(kind: ReminderKind, s: &SchemeRow) -> bool {
    kind.applies(
        s.yearly_attestation != 0 || s.yearly_report != 0,
        s.yearly_report != 0,
    )
}

/// A candidate's deadline as a date: a link's is the Swedish day it ends.
fn deadline_of(kind: ReminderKind, c: &Candidate) -> Option<NaiveDate> {
    match kind {
        ReminderKind::LinkExpiring => {
            from_db(&c.deadline).map(|t| crate::ui::format::swedish(t).date())
        }
        _ => NaiveDate::parse_from_str(&c.deadline, "%Y-%m-%d").ok(),
    }
}

/// The reminders due today of one kind: each candidate whose rules say this is its day.
async fn due_of_kind(
    conn: &mut AnyConnection,
    schemes: &[(SchemeRow, Rules)],
    kind: ReminderKind,
    today: NaiveDate,
) -> sqlx::Result<Vec<(Candidate, NaiveDate, u32)>> {
    let applying: Vec<&(SchemeRow, Rules)> =
        schemes.iter().filter(|(s, _)| applies(kind, s)).collect();
    let amounts: BTreeSet<u32> = applying
        .iter()
        .flat_map(|(_, r)| r.get(kind).iter().copied())
        .collect();
    let mut due = Vec::new();
    for amount in amounts {
        let ids: Vec<&str> = applying
            .iter()
            .filter(|(_, r)| r.get(kind).contains(&amount))
            .map(|(s, _)| s.id.as_str())
            .collect();
        let (from, to) = kind.deadline_range(today, amount);
        let candidates = match kind {
            ReminderKind::LinkExpiring => {
                // Times: from the start of the first day (UTC, a day early for Sweden's
                // offset) to the end of the last.
                let start = |d: NaiveDate| to_db(d.and_time(chrono::NaiveTime::MIN).and_utc());
                let (from, to) = (
                    start(from - chrono::Duration::days(1)),
                    start(to + chrono::Duration::days(1)),
                );
                store::links_ending(conn, &ids, &from, &to).await?
            }
            _ => {
                store::certificates_due(conn, kind, &ids, &Day::text(from), &Day::text(to)).await?
            }
        };
        for c in candidates {
            let Some(deadline) = deadline_of(kind, &c) else {
                continue;
            };
            let rules = schemes.iter().find(|(s, _)| s.id == c.scheme_id);
            let offsets = rules.map_or(&[][..], |(_, r)| r.get(kind));
            if occasion(kind, offsets, deadline, today) == Some(amount) {
                due.push((c, deadline, amount));
            }
        }
    }
    Ok(due)
}

/// How many of a rule's steps before `deadline` have had their day by `today`.
fn steps_come(kind: ReminderKind, offsets: &[u32], deadline: NaiveDate, today: NaiveDate) -> i64 {
    offsets
        .iter()
        .filter(|&&a| kind.threshold(deadline, a) <= today)
        .count() as i64
}

/// The notice a reminder of `kind` gives.
fn notice(kind: ReminderKind, due: Due) -> Notice {
    match kind {
        ReminderKind::ReportDue => Notice::ReportDue(due),
        ReminderKind::AttestationDue => Notice::AttestationDue(due),
        ReminderKind::InactiveSoon => Notice::InactiveSoon(due),
        ReminderKind::Renewal => Notice::RenewalDue(due),
        ReminderKind::LinkExpiring => Notice::LinkExpiring(due),
    }
}

/// Opens the yearly report cases whose day has come: as far ahead of "Förläng senast" as the
/// scheme's first report reminder (45 days unless its rules say otherwise), so the reminder
/// finds the report's row there.
async fn open_reports(
    conn: &mut AnyConnection,
    state: &AppState,
    schemes: &[(SchemeRow, Rules)],
) -> anyhow::Result<usize> {
    let mut windows: std::collections::BTreeMap<u32, Vec<&str>> = Default::default();
    for (s, rules) in schemes.iter().filter(|(s, _)| s.yearly_report != 0) {
        let window = rules
            .get(ReminderKind::ReportDue)
            .iter()
            .copied()
            .max()
            .unwrap_or(crate::cases::yearly::DEFAULT_WINDOW_DAYS);
        windows.entry(window).or_default().push(&s.id);
    }
    let mut opened = 0;
    for (window, ids) in windows {
        opened += crate::cases::yearly::open_due(conn, state, &ids, window).await?;
    }
    Ok(opened)
}

/// The daily reminders, inside the caller's transaction (the daily job's): every reminder whose
/// day has come is recorded under its occasion and, if no run recorded it before, told to its
/// person (a message, and an email with a calendar file to digital persons; a letter for staff
/// to post to the others). Returns how many were sent.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn run_in(conn: &mut AnyConnection, state: &AppState) -> anyhow::Result<usize> {
    let today = state.clock.today();
    let schemes: Vec<(SchemeRow, Rules)> = store::schemes(conn)
        .await?
        .into_iter()
        .map(|s| {
            let rules = Rules::from_json(&s.reminder_rules);
            (s, rules)
        })
        .collect();
    open_reports(conn, state, &schemes).await?;
    let mut due = Vec::new();
    for &kind in ReminderKind::ALL {
        due.extend(
            due_of_kind(conn, &schemes, kind, today)
                .await?
                .into_iter()
                .map(|(c, deadline, amount)| (kind, c, deadline, amount)),
        );
    }
    // No more reminders of a deadline than the steps of today's rule whose day has come: a
    // rule changed after one was sent (30 days to 28) sends nothing twice.
    let subjects: Vec<&str> = due.iter().map(|(_, c, ..)| c.subject_id.as_str()).collect();
    let sent: std::collections::HashMap<(String, String, String), i64> =
        store::sent_counts(conn, &subjects)
            .await?
            .into_iter()
            .map(|l| ((l.subject_id, l.kind, l.deadline), l.sent))
            .collect();
    due.retain(|(kind, c, deadline, _)| {
        let key = (
            c.subject_id.clone(),
            kind.code().to_owned(),
            Day::text(*deadline),
        );
        let offsets = schemes
            .iter()
            .find(|(s, _)| s.id == c.scheme_id)
            .map_or(&[][..], |(_, r)| r.get(*kind));
        sent.get(&key).copied().unwrap_or(0) < steps_come(*kind, offsets, *deadline, today)
    });
    let items: Vec<(String, Recipient, Notice, store::Sent)> = due
        .into_iter()
        .map(|(kind, c, deadline, amount)| {
            // The deadline's key (one calendar event, however many reminders), and the
            // occasion's: the deadline's reminder this long before.
            let key = format!("{}:{}:{deadline}", kind.code(), c.subject_id);
            let id = format!("{key}:{amount}");
            let to = Recipient::from(c.to);
            let letter = to.analog || to.email.is_empty();
            let line = Line {
                number: c.number.clone(),
                scheme: Named::new(&c.scheme, &c.scheme_en),
                date: None,
            };
            let notice = notice(
                kind,
                Due {
                    line,
                    date: Day::text(deadline),
                    occasion: key,
                    attester: c.attester,
                },
            );
            let sent = store::Sent {
                id: id.clone(),
                kind: kind.code(),
                subject_id: c.subject_id,
                certificate_id: c.certificate_id,
                person_id: c.person_id,
                deadline: Day::text(deadline),
                letter: i64::from(letter),
            };
            (id, to, notice, sent)
        })
        .collect();
    let rows: Vec<&store::Sent> = items.iter().map(|(.., s)| s).collect();
    let new: BTreeSet<String> = store::record(conn, &Day::text(today), &rows)
        .await?
        .into_iter()
        .collect();
    let tell: Vec<(Recipient, Notice)> = items
        .into_iter()
        .filter(|(id, ..)| new.contains(id))
        .map(|(_, to, notice, _)| (to, notice))
        .collect();
    crate::messages::service::tell_many(conn, state, &tell).await?;
    Ok(tell.len())
}

fn scheme_rules(s: SchemeRow) -> SchemeRules {
    SchemeRules {
        rules: Rules::from_json(&s.reminder_rules),
        defaults: s.reminder_rules.is_empty(),
        area: Named::new(s.technical_area, s.technical_area_en),
        name: Named::new(s.name, s.name_en),
        yearly_report: s.yearly_report != 0,
        yearly: s.yearly_attestation != 0 || s.yearly_report != 0,
        id: s.id,
    }
}

/// A scheme's reminder rules.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn rules(db: &Db, scheme_id: &str) -> AppResult<SchemeRules> {
    let s = store::scheme(&db.pool, scheme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(scheme_rules(s))
}

/// "Spara": a scheme's reminder rules, from the rules page's fields (kind, text). A refused
/// field is named with its reason and nothing changes; saving the same rules again changes
/// nothing and writes no event.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_rules(
    state: &AppState,
    actor: &Actor,
    scheme_id: &str,
    fields: &[(ReminderKind, &str)],
) -> AppResult<()> {
    let rules = Rules::parse(fields).map_err(|errors| {
        AppError::Validation(
            errors
                .into_iter()
                .map(|(kind, msg)| FieldError::new(kind.code(), msg))
                .collect(),
        )
    })?;
    let json = serde_json::to_string(&rules).map_err(AppError::internal)?;
    store::scheme(&state.db.pool, scheme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    // The same rules again (a resubmitted form, two at once) change nothing and log nothing.
    if !store::set_rules(&mut tx, scheme_id, &json).await? {
        return Ok(());
    }
    append(
        &mut tx,
        &state.clock,
        Subject::scheme(scheme_id),
        actor,
        "scheme.reminders_changed",
        serde_json::to_value(&rules).map_err(AppError::internal)?,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// "Årlig förlängning genom": a yearly report (a report row is added to the scheme's documents
/// if it has none) or an attestation. The same choice again changes nothing and logs nothing;
/// a scheme without a yearly extension is refused.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_extension(
    state: &AppState,
    actor: &Actor,
    scheme_id: &str,
    by_report: bool,
) -> AppResult<bool> {
    let scheme = store::scheme(&state.db.pool, scheme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if scheme.yearly_attestation == 0 && scheme.yearly_report == 0 {
        return Err(AppError::field(
            "by",
            crate::i18n::Text::RemindersExtensionNone,
        ));
    }
    let mut tx = state.db.begin().await?;
    if !store::set_extension(&mut tx, scheme_id, by_report).await? {
        return Ok(false);
    }
    if by_report {
        crate::cases::yearly::ensure_report_row(&mut tx, scheme_id).await?;
    }
    append(
        &mut tx,
        &state.clock,
        Subject::scheme(scheme_id),
        actor,
        "scheme.extension_changed",
        serde_json::json!({ "by": if by_report { "report" } else { "attestation" } }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Letters per page.
pub const LETTERS_PAGE: u32 = 25;

/// The letters staff post (or, `posted`, have posted): reminders to people who asked for
/// letters or have no email address, newest first; one to post only while it still matters
/// (its deadline to come, its certificate still holding).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn letters(
    db: &Db,
    today: NaiveDate,
    posted: bool,
    page: u32,
) -> AppResult<crate::types::Paged<Letter>> {
    let rows = store::letters(
        &db.pool,
        posted,
        &Day::text(today),
        i64::from(LETTERS_PAGE) + 1,
        crate::types::offset(page, LETTERS_PAGE),
    )
    .await?;
    let letters = rows
        .into_iter()
        .filter_map(|r| {
            let kind = ReminderKind::parse(&r.kind)?;
            let town = format!("{} {}", r.postal_code, r.city).trim().to_owned();
            let scheme = Named::new(r.scheme, r.scheme_en);
            let locale = crate::i18n::Locale::from_code(&r.locale).unwrap_or_default();
            let words = notice(
                kind,
                Due {
                    line: Line {
                        number: r.number.clone(),
                        scheme: scheme.clone(),
                        date: None,
                    },
                    date: r.deadline.clone(),
                    occasion: String::new(),
                    attester: r.attester,
                },
            );
            Some(Letter {
                subject: words.subject(locale),
                text: words.body(locale),
                id: r.id,
                kind,
                person_id: r.person_id,
                name: r.name.full(),
                address: [r.address, town]
                    .into_iter()
                    .filter(|l| !l.trim().is_empty())
                    .collect(),
                scheme,
                number: r.number,
                deadline: r.deadline,
                sent_on: r.sent_on,
                posted_at: r.posted_at,
            })
        })
        .collect();
    Ok(crate::types::Paged::of(letters, page, LETTERS_PAGE))
}

/// "Markera som postad": once; a second press says it was already, and changes nothing.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn mark_posted(
    state: &AppState,
    actor: &Actor,
    account_id: &str,
    id: &str,
) -> AppResult<Posted> {
    let mut tx = state.db.begin().await?;
    let Some(person) = store::letter_person(&mut tx, id).await? else {
        return Err(AppError::NotFound);
    };
    let now = to_db(state.clock.now());
    if !store::mark_posted(&mut tx, id, &now, account_id).await? {
        return Ok(Posted::Already);
    }
    append(
        &mut tx,
        &state.clock,
        Subject::person(&person),
        actor,
        "reminder.letter_posted",
        serde_json::json!({ "reminder": id }),
    )
    .await?;
    tx.commit().await?;
    Ok(Posted::Marked)
}
