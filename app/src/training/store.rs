//! The training domain's SQL, and only its SQL.

use crate::db::PersonName;
use sqlx::{AnyConnection, AnyPool, FromRow};

#[derive(Debug, FromRow)]
pub struct ProviderRow {
    pub id: String,
    pub orgnr: String,
    pub name: String,
    pub description: String,
    pub website: String,
    pub linkedin_org_id: String,
    pub logo_sha256: Option<String>,
}

const PROVIDER: &str =
    "SELECT id, orgnr, name, description, website, linkedin_org_id, logo_sha256 FROM providers";

pub async fn provider(pool: &AnyPool, id: &str) -> sqlx::Result<Option<ProviderRow>> {
    sqlx::query_as(&format!("{PROVIDER} WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn providers(pool: &AnyPool) -> sqlx::Result<Vec<ProviderRow>> {
    sqlx::query_as(&format!("{PROVIDER} ORDER BY name, id"))
        .fetch_all(pool)
        .await
}

/// A new provider; `false` when its organisation number is taken already.
pub async fn insert_provider(
    conn: &mut AnyConnection,
    id: &str,
    orgnr: &str,
    name: &str,
    at: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO providers (id, orgnr, name, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (orgnr) DO NOTHING",
    )
    .bind(id)
    .bind(orgnr)
    .bind(name)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes the profile; whether anything changed.
pub async fn update_profile(conn: &mut AnyConnection, p: &ProviderRow) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE providers SET name = $2, description = $3, website = $4, linkedin_org_id = $5
         WHERE id = $1 AND (name <> $2 OR description <> $3 OR website <> $4 OR linkedin_org_id <> $5)",
    )
    .bind(&p.id)
    .bind(&p.name)
    .bind(&p.description)
    .bind(&p.website)
    .bind(&p.linkedin_org_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, FromRow)]
pub struct CourseRow {
    pub id: String,
    pub provider_id: String,
    pub provider_name: String,
    pub title: String,
    pub description: String,
    pub starts_on: Option<String>,
    pub price: Option<i64>,
    pub certification: String,
    pub graded: i64,
    pub scheme_id: Option<String>,
    pub scheme_name: Option<String>,
}

const COURSE: &str = "SELECT c.id, c.provider_id, p.name AS provider_name, c.title, c.description,
        c.starts_on, c.price, c.certification, c.graded, c.scheme_id, s.name AS scheme_name
    FROM courses c JOIN providers p ON p.id = c.provider_id
    LEFT JOIN schemes s ON s.id = c.scheme_id";

pub async fn course(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<CourseRow>> {
    sqlx::query_as(&format!("{COURSE} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn courses_of(pool: &AnyPool, provider_id: &str) -> sqlx::Result<Vec<CourseRow>> {
    sqlx::query_as(&format!(
        "{COURSE} WHERE c.provider_id = $1 ORDER BY c.title, c.starts_on, c.id"
    ))
    .bind(provider_id)
    .fetch_all(pool)
    .await
}

/// Every course, for a company admin's booking form.
pub async fn all_courses(pool: &AnyPool) -> sqlx::Result<Vec<CourseRow>> {
    sqlx::query_as(&format!(
        "{COURSE} ORDER BY p.name, c.title, c.starts_on, c.id"
    ))
    .fetch_all(pool)
    .await
}

/// A course's fields as a form writes them.
pub struct CourseFields<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub starts_on: Option<&'a str>,
    pub price: Option<i64>,
}

pub async fn insert_course(
    conn: &mut AnyConnection,
    id: &str,
    provider_id: &str,
    f: &CourseFields<'_>,
    at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO courses (id, provider_id, title, description, starts_on, price, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(provider_id)
    .bind(f.title)
    .bind(f.description)
    .bind(f.starts_on)
    .bind(f.price)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update_course(
    conn: &mut AnyConnection,
    id: &str,
    f: &CourseFields<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE courses SET title = $2, description = $3, starts_on = $4, price = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(f.title)
    .bind(f.description)
    .bind(f.starts_on)
    .bind(f.price)
    .execute(conn)
    .await?;
    Ok(())
}

/// "Lägg till en certifiering": empty `name` removes it.
pub async fn set_certification(
    conn: &mut AnyConnection,
    id: &str,
    name: &str,
    graded: bool,
    scheme_id: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE courses SET certification = $2, graded = $3, scheme_id = $4 WHERE id = $1")
        .bind(id)
        .bind(name)
        .bind(i64::from(graded))
        .bind(scheme_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn scheme_exists(conn: &mut AnyConnection, id: &str) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schemes WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Schemes for the certification's "required training for" choice: (id, area – name).
pub async fn schemes(pool: &AnyPool) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT id, technical_area || ' - ' || name FROM schemes ORDER BY technical_area, name",
    )
    .fetch_all(pool)
    .await
}

/// A booking with what every rule about it needs.
#[derive(Debug, FromRow)]
pub struct BookingFacts {
    pub id: String,
    pub course_id: String,
    pub provider_id: String,
    pub person_id: String,
    pub company_id: Option<String>,
    pub company_name: Option<String>,
    pub course_date: String,
    #[sqlx(try_from = "String")]
    pub status: super::model::Status,
    pub status_at: String,
    pub course_title: String,
    pub provider_name: String,
    pub certification: String,
    pub graded: i64,
    pub cert_sha256: Option<String>,
    pub cert_name: Option<String>,
    pub cert_code: Option<String>,
    pub cert_uploaded_at: Option<String>,
    pub cert_withdrawn_at: Option<String>,
    pub cert_withdrawn_reason: String,
    pub cert_title: String,
    pub cert_graded: i64,
    pub consent_at: Option<String>,
    pub review_rating: Option<i64>,
    pub review_text: String,
    #[sqlx(flatten)]
    pub name: PersonName,
}

const BOOKING: &str = "SELECT b.id, b.course_id, c.provider_id, b.person_id, b.company_id,
        co.name AS company_name, b.course_date, b.status, b.status_at, c.title AS course_title,
        pr.name AS provider_name, c.certification, c.graded, b.cert_sha256, b.cert_name,
        b.cert_code, b.cert_uploaded_at, b.cert_withdrawn_at, b.cert_withdrawn_reason,
        b.cert_title, b.cert_graded, b.consent_at, b.review_rating, b.review_text, p.first_name, p.middle_name, p.last_name
    FROM bookings b JOIN courses c ON c.id = b.course_id
    JOIN providers pr ON pr.id = c.provider_id
    JOIN people p ON p.id = b.person_id
    LEFT JOIN companies co ON co.id = b.company_id";

pub async fn booking(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<BookingFacts>> {
    sqlx::query_as(&format!("{BOOKING} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A provider's bookings, newest first; `status` filters when given.
pub async fn bookings_of_provider(
    pool: &AnyPool,
    provider_id: &str,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<BookingFacts>> {
    sqlx::query_as(&format!(
        "{BOOKING} WHERE c.provider_id = $1 AND ($2 = '' OR b.status = $2)
         ORDER BY b.created_at DESC, b.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(provider_id)
    .bind(status.unwrap_or_default())
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

pub async fn waiting(pool: &AnyPool, provider_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM bookings b JOIN courses c ON c.id = b.course_id
         WHERE c.provider_id = $1 AND b.status = 'unknown'",
    )
    .bind(provider_id)
    .fetch_one(pool)
    .await
}

/// A company's bookings of the people who work there now (a former employee's are not its).
pub async fn bookings_of_company(
    pool: &AnyPool,
    company_id: &str,
    today: &str,
) -> sqlx::Result<Vec<BookingFacts>> {
    sqlx::query_as(&format!(
        "{BOOKING} WHERE b.company_id = $1 AND EXISTS (
             SELECT 1 FROM employments e WHERE e.company_id = b.company_id
               AND e.person_id = b.person_id AND e.status = 'confirmed'
               AND (e.end_date IS NULL OR e.end_date >= $2))
         ORDER BY b.created_at DESC, b.id DESC LIMIT 500"
    ))
    .bind(company_id)
    .bind(today)
    .fetch_all(pool)
    .await
}

pub async fn bookings_of_person(
    db: &crate::db::Db,
    person_id: &str,
) -> sqlx::Result<Vec<BookingFacts>> {
    let sql =
        format!("{BOOKING} WHERE b.person_id = $1 ORDER BY b.created_at DESC, b.id DESC LIMIT 500");
    db.read_all(&sql, &[person_id]).await
}

/// A new booking in `status` ("Okänt" for a request, "Anmäld" for an accepted invitation);
/// `false` when the person is booked on that course and date already.
#[allow(clippy::too_many_arguments)]
pub async fn insert_booking(
    conn: &mut AnyConnection,
    id: &str,
    course_id: &str,
    person_id: &str,
    company_id: Option<&str>,
    course_date: &str,
    status: super::model::Status,
    at: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO bookings (id, course_id, person_id, company_id, course_date, created_at,
             status_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
         ON CONFLICT (course_id, person_id, course_date)
             WHERE status IN ('unknown', 'registered', 'started') DO NOTHING",
    )
    .bind(id)
    .bind(course_id)
    .bind(person_id)
    .bind(company_id)
    .bind(course_date)
    .bind(at)
    .bind(status.code())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a booking from the status read to `to`: `false` when another change came first.
/// "Fullföljd" is also the day the review is asked for.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: &str,
    from: super::model::Status,
    to: super::model::Status,
    at: &str,
    today: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE bookings SET status = $3, status_at = $4,
             review_asked_on = CASE WHEN $3 = 'completed' AND review_asked_on IS NULL THEN $5
                                    ELSE review_asked_on END
         WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from.code())
    .bind(to.code())
    .bind(at)
    .bind(today)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The certificate as uploaded.
pub struct NewCertificate<'a> {
    pub sha256: &'a str,
    pub name: &'a str,
    pub code: &'a str,
    pub title: &'a str,
    pub graded: bool,
    pub at: &'a str,
}

/// Keeps the uploaded certificate, unless one is there (and not withdrawn) already. A
/// withdrawn one it replaces keeps answering by its code, as withdrawn; a consent given for it
/// is not one for the new file.
pub async fn set_certificate(
    conn: &mut AnyConnection,
    id: &str,
    c: &NewCertificate<'_>,
) -> sqlx::Result<bool> {
    sqlx::query(
        "INSERT INTO course_certificates_withdrawn
             (code, booking_id, certification, uploaded_at, withdrawn_at, withdrawn_reason)
         SELECT cert_code, id, cert_title, cert_uploaded_at, cert_withdrawn_at, cert_withdrawn_reason
         FROM bookings WHERE id = $1 AND cert_code IS NOT NULL AND cert_withdrawn_at IS NOT NULL
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query(
        "UPDATE bookings SET cert_sha256 = $2, cert_name = $3, cert_code = $4, cert_uploaded_at = $5,
             cert_title = $6, cert_graded = $7, cert_withdrawn_at = NULL,
             cert_withdrawn_reason = '', consent_at = NULL
         WHERE id = $1 AND status = 'completed'
           AND (cert_sha256 IS NULL OR cert_withdrawn_at IS NOT NULL)",
    )
    .bind(id)
    .bind(c.sha256)
    .bind(c.name)
    .bind(c.code)
    .bind(c.at)
    .bind(c.title)
    .bind(i64::from(c.graded))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn withdraw(
    conn: &mut AnyConnection,
    id: &str,
    reason: &str,
    at: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE bookings SET cert_withdrawn_at = $3, cert_withdrawn_reason = $2
         WHERE id = $1 AND cert_sha256 IS NOT NULL AND cert_withdrawn_at IS NULL",
    )
    .bind(id)
    .bind(reason)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives (`Some(at)`) or withdraws (`None`) the consent; whether it changed.
pub async fn set_consent(
    conn: &mut AnyConnection,
    id: &str,
    at: Option<&str>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE bookings SET consent_at = $2
         WHERE id = $1 AND ((consent_at IS NULL) <> ($2 IS NULL))",
    )
    .bind(id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The review, once, on a completed booking.
pub async fn review(
    conn: &mut AnyConnection,
    id: &str,
    rating: i64,
    text: &str,
    at: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE bookings SET review_rating = $2, review_text = $3, reviewed_at = $4
         WHERE id = $1 AND reviewed_at IS NULL AND status = 'completed'",
    )
    .bind(id)
    .bind(rating)
    .bind(text)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, FromRow)]
pub struct ReviewRow {
    pub review_rating: i64,
    pub review_text: String,
    pub reviewed_at: String,
    pub title: String,
}

pub async fn reviews_of(pool: &AnyPool, provider_id: &str) -> sqlx::Result<Vec<ReviewRow>> {
    sqlx::query_as(
        "SELECT b.review_rating, b.review_text, b.reviewed_at, c.title
         FROM bookings b JOIN courses c ON c.id = b.course_id
         WHERE c.provider_id = $1 AND b.reviewed_at IS NOT NULL
         ORDER BY b.reviewed_at DESC, b.id LIMIT 100",
    )
    .bind(provider_id)
    .fetch_all(pool)
    .await
}

#[derive(Debug, FromRow)]
pub struct VerificationRow {
    pub cert_code: String,
    pub certification: String,
    pub title: String,
    pub provider_name: String,
    pub provider_id: String,
    pub cert_uploaded_at: String,
    pub cert_withdrawn_at: Option<String>,
    pub cert_withdrawn_reason: String,
}

pub async fn verification(pool: &AnyPool, code: &str) -> sqlx::Result<Option<VerificationRow>> {
    sqlx::query_as(
        "SELECT b.cert_code, b.cert_title AS certification, c.title, p.name AS provider_name,
                p.id AS provider_id, b.cert_uploaded_at, b.cert_withdrawn_at,
                b.cert_withdrawn_reason
         FROM bookings b JOIN courses c ON c.id = b.course_id
         JOIN providers p ON p.id = c.provider_id
         WHERE b.cert_code = $1 AND b.cert_sha256 IS NOT NULL
         UNION ALL
         SELECT h.code, h.certification, c.title, p.name, p.id, h.uploaded_at, h.withdrawn_at,
                h.withdrawn_reason
         FROM course_certificates_withdrawn h JOIN bookings b ON b.id = h.booking_id
         JOIN courses c ON c.id = b.course_id JOIN providers p ON p.id = c.provider_id
         WHERE h.code = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await
}

/// A company's confirmed, current employees: (person id, name).
pub async fn employees(
    pool: &AnyPool,
    company_id: &str,
    today: &str,
) -> sqlx::Result<Vec<(String, PersonName)>> {
    #[derive(FromRow)]
    struct Row {
        id: String,
        #[sqlx(flatten)]
        name: PersonName,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT DISTINCT p.id, p.first_name, p.middle_name, p.last_name
         FROM employments e JOIN people p ON p.id = e.person_id
         WHERE e.company_id = $1 AND e.status = 'confirmed'
           AND (e.end_date IS NULL OR e.end_date >= $2)
         ORDER BY p.last_name, p.first_name, p.id",
    )
    .bind(company_id)
    .bind(today)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

pub async fn is_employee(
    conn: &mut AnyConnection,
    company_id: &str,
    person_id: &str,
    today: &str,
) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM employments WHERE company_id = $1 AND person_id = $2
           AND status = 'confirmed' AND (end_date IS NULL OR end_date >= $3)",
    )
    .bind(company_id)
    .bind(person_id)
    .bind(today)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

pub async fn company_name(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT name FROM companies WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The people who administer a company (they hear of its employees' bookings).
pub async fn company_admins(
    conn: &mut AnyConnection,
    company_id: &str,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT p.id FROM account_roles r JOIN people p ON p.account_id = r.account_id
         WHERE r.role = 'company_admin' AND r.scope = $1 ORDER BY p.id",
    )
    .bind(company_id)
    .fetch_all(conn)
    .await
}

/// Completed bookings whose review was asked a week ago or more, neither given nor reminded:
/// (booking id, person id, course title, provider name). Marked reminded in the same step.
pub async fn take_review_reminders(
    conn: &mut AnyConnection,
    asked_before: &str,
    today: &str,
) -> sqlx::Result<Vec<(String, String, String, String)>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT b.id, b.person_id, c.title, p.name FROM bookings b
         JOIN courses c ON c.id = b.course_id JOIN providers p ON p.id = c.provider_id
         WHERE b.reviewed_at IS NULL AND b.review_reminded_on IS NULL
           AND b.review_asked_on IS NOT NULL AND b.review_asked_on <= $1
           AND b.status = 'completed'
         ORDER BY b.id",
    )
    .bind(asked_before)
    .fetch_all(&mut *conn)
    .await?;
    for (id, ..) in &rows {
        sqlx::query("UPDATE bookings SET review_reminded_on = $2 WHERE id = $1")
            .bind(id)
            .bind(today)
            .execute(&mut *conn)
            .await?;
    }
    Ok(rows)
}

/// The person's open applications (new or renewal) for a scheme and the documents they ask for:
/// (case id, order number, required document id, its name), in the case's order.
pub async fn open_case_documents(
    pool: &AnyPool,
    person_id: &str,
    scheme_id: &str,
) -> sqlx::Result<Vec<(String, String, String, String)>> {
    sqlx::query_as(
        "SELECT k.id, k.order_no, r.id, r.name FROM cases k
         JOIN required_documents r ON r.scheme_id = k.scheme_id
         WHERE k.person_id = $1 AND k.scheme_id = $2 AND k.status <> 'decided'
           AND k.kind <> 'yearly_report' AND r.retired = 0 AND r.case_kind = 'application'
         ORDER BY k.order_no, r.position",
    )
    .bind(person_id)
    .bind(scheme_id)
    .fetch_all(pool)
    .await
}

/// A provider's logo: its stored file and format; `None` when it has none.
pub async fn logo(pool: &AnyPool, provider_id: &str) -> sqlx::Result<Option<(String, String)>> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT logo_sha256, logo_format FROM providers WHERE id = $1")
            .bind(provider_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(sha, format)| sha.zip(format)))
}

/// Sets (or with `None`, removes) the logo; whether anything changed.
pub async fn set_logo(
    conn: &mut AnyConnection,
    provider_id: &str,
    logo: Option<(&str, &str)>,
) -> sqlx::Result<bool> {
    let (sha, format) = logo.unzip();
    let done = sqlx::query(
        "UPDATE providers SET logo_sha256 = $2, logo_format = $3
         WHERE id = $1 AND COALESCE(logo_sha256, '') <> COALESCE($2, '')",
    )
    .bind(provider_id)
    .bind(sha)
    .bind(format)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A signed statement handed out, by the digest its signature covers.
pub async fn insert_statement_print(
    pool: &AnyPool,
    digest: &str,
    code: &str,
    at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO course_statement_prints (digest, code, printed_at) VALUES ($1, $2, $3)
         ON CONFLICT (digest) DO NOTHING",
    )
    .bind(digest)
    .bind(code)
    .bind(at)
    .execute(pool)
    .await?;
    Ok(())
}

/// The code and day of a signed statement the portal handed out.
pub async fn statement_print(
    pool: &AnyPool,
    digest: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as("SELECT code, printed_at FROM course_statement_prints WHERE digest = $1")
        .bind(digest)
        .fetch_optional(pool)
        .await
}

/// An invitation by email as the provider and its link see it.
#[derive(Debug, FromRow)]
pub struct InviteRow {
    pub id: String,
    pub course_id: String,
    pub provider_id: String,
    pub course_title: String,
    pub provider_name: String,
    pub starts_on: Option<String>,
    pub email: String,
    pub name: String,
    pub created_at: String,
    pub expires_at: String,
    #[sqlx(try_from = "String")]
    pub status: super::model::InviteStatus,
    pub decided_at: Option<String>,
    /// The booking an accepted invitation became.
    pub booking_id: Option<String>,
}

const INVITE: &str = "SELECT i.id, i.course_id, c.provider_id, c.title AS course_title,
        p.name AS provider_name, c.starts_on, i.email, i.name, i.created_at, i.expires_at,
        i.status, i.decided_at, i.booking_id
    FROM booking_invites i JOIN courses c ON c.id = i.course_id
    JOIN providers p ON p.id = c.provider_id";

/// Whether the address has an open invitation to the course that still works.
pub async fn invite_open(
    pool: &AnyPool,
    course_id: &str,
    email: &str,
    now: &str,
) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM booking_invites
         WHERE course_id = $1 AND email_key = $2 AND status = 'open' AND expires_at > $3",
    )
    .bind(course_id)
    .bind(email.to_lowercase())
    .bind(now)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// A new invitation; `false` when the same address has an open one to the course already (an
/// expired one is marked so first, and does not count).
pub async fn insert_invite(
    conn: &mut AnyConnection,
    i: &InviteRow,
    token_hash: &str,
    invited_by: Option<&str>,
) -> sqlx::Result<bool> {
    let key = i.email.to_lowercase();
    sqlx::query(
        "UPDATE booking_invites SET status = 'expired', decided_at = $3
         WHERE course_id = $1 AND email_key = $2 AND status = 'open' AND expires_at <= $3",
    )
    .bind(&i.course_id)
    .bind(&key)
    .bind(&i.created_at)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query(
        "INSERT INTO booking_invites (id, course_id, email, email_key, name, token_hash,
             created_at, expires_at, invited_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT DO NOTHING",
    )
    .bind(&i.id)
    .bind(&i.course_id)
    .bind(&i.email)
    .bind(&key)
    .bind(&i.name)
    .bind(token_hash)
    .bind(&i.created_at)
    .bind(&i.expires_at)
    .bind(invited_by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A provider's invitations, newest first: those answered, withdrawn or expired since `since`,
/// and every one still open (at most 500).
pub async fn invites_of(
    pool: &AnyPool,
    provider_id: &str,
    since: &str,
) -> sqlx::Result<Vec<InviteRow>> {
    sqlx::query_as(&format!(
        "{INVITE} WHERE c.provider_id = $1
           AND (COALESCE(i.decided_at, i.expires_at) >= $2 OR i.expires_at >= $2)
         ORDER BY i.created_at DESC, i.id DESC LIMIT 500"
    ))
    .bind(provider_id)
    .bind(since)
    .fetch_all(pool)
    .await
}

/// The person's booking on the course and date that is under way, if any.
pub async fn running_booking(
    conn: &mut AnyConnection,
    course_id: &str,
    person_id: &str,
    course_date: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT id FROM bookings WHERE course_id = $1 AND person_id = $2 AND course_date = $3
           AND status IN ('unknown', 'registered', 'started')",
    )
    .bind(course_id)
    .bind(person_id)
    .bind(course_date)
    .fetch_optional(conn)
    .await
}

pub async fn invite(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<InviteRow>> {
    sqlx::query_as(&format!("{INVITE} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The invitation an emailed link's token belongs to, whatever its state.
pub async fn invite_of_token(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> sqlx::Result<Option<InviteRow>> {
    sqlx::query_as(&format!("{INVITE} WHERE i.token_hash = $1"))
        .bind(token_hash)
        .fetch_optional(conn)
        .await
}

/// Closes an open invitation as `to` (with the booking it became, when accepted): `false` when
/// it was not open any more (another request decided first).
pub async fn close_invite(
    conn: &mut AnyConnection,
    id: &str,
    to: super::model::InviteStatus,
    booking_id: Option<&str>,
    at: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE booking_invites SET status = $2, booking_id = $3, decided_at = $4
         WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(to.code())
    .bind(booking_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The companies a person works for now (confirmed, not ended): (id, name).
pub async fn employers_of(
    pool: &AnyPool,
    person_id: &str,
    today: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT DISTINCT c.id, c.name FROM employments e JOIN companies c ON c.id = e.company_id
         WHERE e.person_id = $1 AND e.status = 'confirmed'
           AND (e.end_date IS NULL OR e.end_date >= $2)
         ORDER BY c.name, c.id",
    )
    .bind(person_id)
    .bind(today)
    .fetch_all(pool)
    .await
}
