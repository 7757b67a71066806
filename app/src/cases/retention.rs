//! Retention ("5+5 år", seed 001): a person's documents are deleted ten years (two certification
//! periods) after their last certificate ends, or after the upload where that is later. The
//! daily job deletes what is due (the stored files go with the hourly sweep of files no document
//! points at); body administrators read beforehand what will go, and when. Each deletion is an
//! event in the person's log; events and decisions (the cases' rows and their decision letters)
//! are the body's record and are kept.

use super::model::{DocType, Expiry};
use super::service::RETENTION_YEARS;
use super::store;
use crate::db::{Day, Db};
use crate::error::AppResult;
use crate::events::service::{Actor, Entry, append_many};
use crate::i18n::Named;
use crate::state::AppState;
use chrono::{Months, NaiveDate};
use sqlx::AnyConnection;

/// At most this many documents go in one day's run; the rest the next day.
pub const PER_RUN: i64 = 10_000;

/// What the report looks ahead.
pub const HORIZON_DAYS: i64 = 365;

fn years() -> Months {
    Months::new(12 * RETENTION_YEARS as u32)
}

/// The day a document whose ten years count from `base` may go: the first day [`due_on`] finds
/// it (ten years from 29 February end on 1 March, not a day short on 28 February).
fn deletion_day(base: &str) -> Option<NaiveDate> {
    let base = NaiveDate::parse_from_str(base, "%Y-%m-%d").ok()?;
    let day = base.checked_add_months(years())?;
    if last_base(day) < base {
        day.succ_opt()
    } else {
        Some(day)
    }
}

/// The latest day ten years count from for documents that may go on `day`.
fn last_base(day: NaiveDate) -> NaiveDate {
    day.checked_sub_months(years()).unwrap_or(day)
}

/// What `store::expiring` needs for the documents that may go on `day`: the latest day ten
/// years count from, and the stored time that Swedish day ends.
fn due_on(day: NaiveDate) -> (String, String) {
    let last_base = last_base(day);
    let next = last_base.succ_opt().unwrap_or(last_base);
    (
        Day::text(last_base),
        crate::clock::to_db(crate::ui::format::swedish_midnight(next)),
    )
}

/// The day's deletions, inside the caller's transaction (the daily job's): returns how many
/// documents went. Run again the same day, it finds nothing.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn run_in(conn: &mut AnyConnection, state: &AppState) -> anyhow::Result<usize> {
    let today = state.clock.today();
    let (last_base, uploaded_before) = due_on(today);
    let due = store::expiring(conn, &last_base, &uploaded_before, PER_RUN, 0).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let ids: Vec<&str> = due.iter().map(|d| d.id.as_str()).collect();
    let gone = store::delete_documents(conn, &ids).await?;
    let entries: Vec<Entry> = due
        .iter()
        .filter(|d| gone.contains(&d.id))
        .map(|d| Entry {
            subject_id: &d.person_id,
            action: "document.deleted",
            // Its type and dates, not its title or file name: the log outlives the document.
            details: serde_json::json!({
                "document_id": d.id,
                "doc_type": d.doc_type,
                "uploaded": d.uploaded_on(),
                "counted_from": d.base(),
                "rule": format!("{RETENTION_YEARS} år efter sista giltighetsdag (5+5 år)"),
            }),
        })
        .collect();
    append_many(
        conn,
        &state.clock,
        "person",
        &Actor::system("retention"),
        &entries,
    )
    .await?;
    Ok(entries.len())
}

/// Rows per page of the report.
pub const REPORT_PAGE: u32 = 50;

/// What the rule will delete within a year, and when: the soonest first (a dry run; nothing
/// changes).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn report(
    db: &Db,
    today: NaiveDate,
    page: u32,
) -> AppResult<crate::types::Paged<Expiry>> {
    let horizon = today + chrono::Duration::days(HORIZON_DAYS);
    let mut conn = db.pool.acquire().await?;
    let (last_base, uploaded_before) = due_on(horizon);
    let rows = store::expiring(
        &mut conn,
        &last_base,
        &uploaded_before,
        i64::from(REPORT_PAGE) + 1,
        crate::types::offset(page, REPORT_PAGE),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let (base, uploaded_on) = (r.base(), r.uploaded_on());
            Expiry {
                deletes_on: deletion_day(&base)
                    .map_or_else(|| base.clone(), |d| Day::text(d.max(today))),
                person_id: r.person_id,
                person: r.name.full(),
                title: Named::new(r.title, r.title_en),
                document: r.stored_name,
                doc_type: DocType::parse(&r.doc_type),
                uploaded_on,
                counted_from: base,
            }
        })
        .collect();
    Ok(crate::types::Paged::of(items, page, REPORT_PAGE))
}

/// When the person's documents were last deleted under the rule, for their archive's note.
pub async fn last_deletion(db: &Db, person_id: &str) -> AppResult<Option<String>> {
    Ok(store::last_retention_deletion(&db.pool, person_id)
        .await?
        .map(|at| crate::ui::format::short_date(&at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_years_count_from_the_base_day() {
        let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert_eq!(deletion_day("2026-03-31"), Some(day("2036-03-31")));
        // Due on 31 March 2036: counted from 31 March 2026 at the latest, uploaded before that
        // Swedish day ended (22:00 UTC in summer).
        assert_eq!(
            due_on(day("2036-03-31")),
            ("2026-03-31".into(), "2026-03-31T22:00:00.000000Z".into())
        );
        // Ten years from a leap day end on 1 March: the report says so, and the job agrees.
        assert_eq!(deletion_day("2028-02-29"), Some(day("2038-03-01")));
        assert!(due_on(day("2038-02-28")).0.as_str() < "2028-02-29");
        assert!(due_on(day("2038-03-01")).0.as_str() >= "2028-02-29");
    }
}
