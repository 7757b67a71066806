//! "Årsrapportering" (seed 001): about 45 days before "Förläng senast" of a certificate whose
//! scheme uses yearly reports instead of attestation, a case of kind yearly report opens with a
//! row for the report ("Ladda upp intyg" comes back); the handler's approval moves the date a
//! year on. A report not sent in time leaves the certificate to go inactive like any other.

use super::model::CaseKind;
use super::store;
use crate::error::AppResult;
use crate::events::service::Actor;
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
/// and date, however many runs or servers. Returns how many it opened.
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
    let actor = Actor::system("yearly-report");
    let now = crate::clock::to_db(state.clock.now());
    let mut ready: HashSet<String> = HashSet::new();
    let mut opened = 0;
    for d in due {
        if ready.insert(d.scheme_id.clone()) {
            ensure_report_row(conn, &d.scheme_id).await?;
        }
        let id = uuid::Uuid::now_v7().to_string();
        let order_no = super::service::order_no(conn).await?;
        let new = store::NewCase {
            id: &id,
            order_no: &order_no,
            person_id: &d.person_id,
            scheme_id: &d.scheme_id,
            kind: CaseKind::YearlyReport,
            level_id: None,
            now: &now,
            about: Some(&d.certificate_id),
            report_due: Some(&d.extend_by),
            plastic_card: false,
            published: false,
        };
        if !store::insert_case(conn, &new).await? {
            // Opened by another run, or last year's report is still open.
            continue;
        }
        super::service::log_both(
            conn,
            &state.clock,
            (&d.person_id, &id),
            &actor,
            "case.opened",
            json!({ "order_no": order_no, "scheme": d.scheme, "number": d.number }),
        )
        .await?;
        opened += 1;
    }
    Ok(opened)
}

/// Gives the scheme its report row ("Årsrapport") unless it has one; administrators may word
/// it otherwise on the scheme's documents page.
pub async fn ensure_report_row(conn: &mut AnyConnection, scheme_id: &str) -> sqlx::Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    store::ensure_report_requirement(
        conn,
        &store::NewRequirement {
            id: &id,
            scheme_id,
            name: REPORT_NAME.0,
            name_en: REPORT_NAME.1,
            help: REPORT_HELP.0,
            help_en: REPORT_HELP.1,
            shared: false,
            position: 1000,
        },
    )
    .await
}
