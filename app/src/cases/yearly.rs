//! "Årsrapportering" (seed 001): about 45 days before "Förläng senast" of a certificate whose
//! scheme uses yearly reports instead of attestation, a case of kind yearly report opens with a
//! row for the report ("Ladda upp intyg" comes back); the handler's approval moves the date a
//! year on. A report not sent in time leaves the certificate to go inactive like any other.

use super::store;
use crate::error::AppResult;
use crate::events::service::{Actor, Entry, append_many};
use crate::state::AppState;
use chrono::{Duration, NaiveDate};
use serde_json::json;
use sqlx::AnyConnection;
use std::collections::HashSet;

/// The report's row, as the manual describes what it must hold.
pub const REPORT_NAME: (&str, &str) = ("Årsrapport", "Yearly report");
pub const REPORT_HELP: (&str, &str) = (
    "Årsrapporten ska innehålla uppgifter om vidareutbildning/fortbildning inom området som \
     certifieringen avser samt de uppdrag du har eller har haft under året. Uppdragen ska gälla \
     verksamhet inom certifieringen. Du måste ange referenser till uppdragen med \
     kontaktuppgifter för kontroll. Utan denna information är rapporten inte giltig.",
    "The yearly report must state your further training in the field of the certification and \
     the assignments you have or have had during the year, within the certified activity. Give \
     references for the assignments with contact details so they can be checked. Without this \
     information the report is not valid.",
);

/// Days before "Förläng senast" the report opens when a scheme's rules say nothing.
pub const DEFAULT_WINDOW_DAYS: u32 = 45;

/// Opens, inside the caller's transaction (the day's job), the yearly report cases of
/// `schemes` whose "Förläng senast" lies within `window_days` from today: one per certificate
/// and date, however many runs or servers (a conflict writes nothing; what a run could not
/// open, the next day's opens). In batches, with their events. Returns how many it opened.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn open_due(
    conn: &mut AnyConnection,
    state: &AppState,
    schemes: &[&str],
    window_days: u32,
) -> AppResult<usize> {
    if schemes.is_empty() {
        return Ok(0);
    }
    let today = state.clock.today();
    let to = today + Duration::days(i64::from(window_days));
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let due = store::reports_due(conn, schemes, &day(today), &day(to)).await?;
    let mut ready: HashSet<&str> = HashSet::new();
    for d in &due {
        if ready.insert(&d.scheme_id) {
            ensure_report_row(conn, &d.scheme_id).await?;
        }
    }
    let actor = Actor::system("Certportal");
    let now = crate::clock::to_db(state.clock.now());
    let mut opened = 0;
    for chunk in due.chunks(crate::db::JSON_CHUNK) {
        let numbers = super::service::order_numbers(conn, chunk.len()).await?;
        let new: Vec<store::NewReport> = chunk
            .iter()
            .zip(numbers)
            .map(|(d, order_no)| store::NewReport {
                id: uuid::Uuid::now_v7().to_string(),
                order_no,
                person_id: d.person_id.clone(),
                scheme_id: d.scheme_id.clone(),
                about: d.certificate_id.clone(),
                due: d.extend_by.clone(),
            })
            .collect();
        let inserted: HashSet<String> = store::open_reports(conn, &new, &now)
            .await?
            .into_iter()
            .collect();
        let written: Vec<(&store::NewReport, &store::ReportDue)> = new
            .iter()
            .zip(chunk)
            .filter(|(n, _)| inserted.contains(&n.id))
            .collect();
        let details = |(n, d): &(&store::NewReport, &store::ReportDue)| json!({ "order_no": n.order_no, "scheme": d.scheme, "number": d.number });
        let cases: Vec<Entry> = written
            .iter()
            .map(|w| Entry {
                subject_id: &w.0.id,
                action: "case.opened",
                details: details(w),
            })
            .collect();
        append_many(conn, &state.clock, "case", &actor, &cases).await?;
        let people: Vec<Entry> = written
            .iter()
            .map(|w| Entry {
                subject_id: &w.0.person_id,
                action: "case.opened",
                details: details(w),
            })
            .collect();
        append_many(conn, &state.clock, "person", &actor, &people).await?;
        opened += written.len();
    }
    Ok(opened)
}

/// Gives the scheme its report row ("Årsrapport") unless it has one in use: a removed one is
/// taken back into use, else one is added, under another name where an application's document
/// has that one. Never fails for want of a name: the day's job depends on it.
pub async fn ensure_report_row(conn: &mut AnyConnection, scheme_id: &str) -> sqlx::Result<String> {
    if let Some(id) = store::report_requirement(conn, scheme_id).await? {
        return Ok(id);
    }
    if !store::revive_report_requirement(conn, scheme_id).await? {
        let id = uuid::Uuid::now_v7().to_string();
        for n in 1.. {
            let (name, name_en) = match n {
                1 => (REPORT_NAME.0.to_owned(), REPORT_NAME.1.to_owned()),
                n => (
                    format!("{} {n}", REPORT_NAME.0),
                    format!("{} {n}", REPORT_NAME.1),
                ),
            };
            let row = store::NewRequirement {
                id: &id,
                scheme_id,
                name: &name,
                name_en: &name_en,
                help: REPORT_HELP.0,
                help_en: REPORT_HELP.1,
                shared: false,
                position: 1000,
            };
            if store::add_report_requirement(conn, &row).await? {
                break;
            }
        }
    }
    store::report_requirement(conn, scheme_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}
