//! `seed-demo`: realistic Swedish demo data, loaded into a new database by `make run`. Each
//! feature adds its part; loading twice changes nothing.

use app::accounts::service::{NewAccount, create_if_missing};
use app::certificates::model::Status;
use app::clock::to_db;
use app::companies::model::CompanyDetails;
use app::events::service::Actor;
use app::people::model::PersonDetails;
use app::state::AppState;
use app::types::{Orgnr, Pnr};

pub struct DemoAccount {
    pub role: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub name: &'static str,
    /// The person the account signs in as (holders), by personnummer.
    pub pnr: Option<&'static str>,
    /// The company a company admin administers, by organisationsnummer.
    pub company: Option<&'static str>,
}

const fn staff(
    role: &'static str,
    username: &'static str,
    password: &'static str,
    name: &'static str,
) -> DemoAccount {
    DemoAccount {
        role,
        username,
        password,
        name,
        pnr: None,
        company: None,
    }
}

/// The demo logins; the README's "Demo accounts" table lists the same.
pub const ACCOUNTS: &[DemoAccount] = &[
    staff("body_admin", "admin", "Demo-admin-2026", "Astrid Lindqvist"),
    staff(
        "handler",
        "handlaggare",
        "Demo-handlaggare-2026",
        "Håkan Jarnvall",
    ),
    DemoAccount {
        role: "company_admin",
        username: "foretagsadmin",
        password: "Demo-foretag-2026",
        name: "Anja Berg",
        pnr: Some("198507099805"),
        company: Some("5560160680"),
    },
    DemoAccount {
        role: "company_admin",
        username: "vvsadmin",
        password: "Demo-vvsadmin-2026",
        name: "Sara Nilsson",
        pnr: Some("198603151021"),
        company: Some("5590123450"),
    },
    DemoAccount {
        role: "holder",
        username: "certifierad",
        password: "Demo-certifierad-2026",
        name: "Erik Holm",
        pnr: Some("199004129814"),
        company: None,
    },
];

struct DemoCompany {
    orgnr: &'static str,
    name: &'static str,
    address: &'static str,
    postal_code: &'static str,
    city: &'static str,
    phone: &'static str,
    reference: &'static str,
    billing_email: &'static str,
}

const COMPANIES: &[DemoCompany] = &[
    DemoCompany {
        orgnr: "5560160680",
        name: "Kylteknik i Karlskrona AB",
        address: "Stumholmen 10",
        postal_code: "371 23",
        city: "Karlskrona",
        phone: "0455-123456",
        reference: "Anja",
        billing_email: "",
    },
    DemoCompany {
        orgnr: "5590123450",
        name: "Nordisk Värme & Kyla AB",
        address: "Industrigatan 4",
        postal_code: "212 14",
        city: "Malmö",
        phone: "040-987654",
        reference: "Order 2026-117",
        billing_email: "faktura@nordiskvarme.example.se",
    },
    DemoCompany {
        orgnr: "5567890123",
        name: "Fjällkyla Service AB",
        address: "Storgatan 22",
        postal_code: "831 30",
        city: "Östersund",
        phone: "063-445566",
        reference: "",
        billing_email: "",
    },
];

/// Personnummer, first and last name, city, employer and position.
const PEOPLE: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "198507099805",
        "Anja",
        "Berg",
        "Karlskrona",
        "5560160680",
        "Arbetsledare",
    ),
    (
        "199004129814",
        "Erik",
        "Holm",
        "Karlskrona",
        "5560160680",
        "Kyltekniker",
    ),
    (
        "197802239827",
        "Lars",
        "Ek",
        "Ronneby",
        "5560160680",
        "Servicetekniker",
    ),
    (
        "199208159831",
        "Maria",
        "Sund",
        "Karlskrona",
        "5560160680",
        "Kyltekniker",
    ),
    (
        "198801019848",
        "Johan",
        "Berg",
        "Malmö",
        "5590123450",
        "Montör",
    ),
    (
        "197511309853",
        "Karin",
        "Ström",
        "Lund",
        "5590123450",
        "Arbetsledare",
    ),
    (
        "199506069864",
        "Oskar",
        "Lind",
        "Östersund",
        "5567890123",
        "Kyltekniker",
    ),
    (
        "198603151021",
        "Sara",
        "Nilsson",
        "Malmö",
        "5590123450",
        "VVS-chef",
    ),
];

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let actor = Actor::system("seed-demo");
    let mut tx = state.db.begin().await?;
    for c in COMPANIES {
        let orgnr = Orgnr::parse(c.orgnr).map_err(|_| anyhow::anyhow!("orgnr {}", c.orgnr))?;
        let exists: Option<String> =
            sqlx::query_scalar("SELECT id FROM companies WHERE orgnr = $1")
                .bind(orgnr.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            continue;
        }
        let details = CompanyDetails {
            name: c.name.into(),
            address: c.address.into(),
            postal_code: c.postal_code.into(),
            city: c.city.into(),
            phone: c.phone.into(),
            invoice_reference: c.reference.into(),
            billing_method: if c.billing_email.is_empty() {
                "post"
            } else {
                "email"
            }
            .into(),
            billing_address: c.address.into(),
            billing_postal_code: c.postal_code.into(),
            billing_city: c.city.into(),
            billing_email: c.billing_email.into(),
            ..CompanyDetails::default()
        };
        app::companies::service::insert(&mut tx, &state.clock, &actor, &orgnr, &details).await?;
    }
    for (pnr, first, last, city, orgnr, position) in PEOPLE {
        let pnr = Pnr::parse(pnr, state.clock.today()).map_err(|_| anyhow::anyhow!("pnr {pnr}"))?;
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM people WHERE pnr = $1")
            .bind(pnr.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            continue;
        }
        let email = format!(
            "{}.{}@example.se",
            first.to_lowercase(),
            last.to_lowercase().replace('ö', "o")
        );
        let details = PersonDetails {
            first_name: (*first).into(),
            last_name: (*last).into(),
            address: "Exempelgatan 1".into(),
            postal_code: "371 30".into(),
            city: (*city).into(),
            mobile: "070-123 45 67".into(),
            email,
            // Oskar asked for letters: the handler sees when one is due.
            communication: if pnr.as_str() == "199506069864" {
                "analog"
            } else {
                "digital"
            }
            .into(),
            ..PersonDetails::default()
        };
        let person =
            app::people::service::insert(&mut tx, &state.clock, &actor, &pnr, &details, None)
                .await?;
        let company: String = sqlx::query_scalar("SELECT id FROM companies WHERE orgnr = $1")
            .bind(orgnr)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO employments (id, company_id, person_id, position, start_date, created_at)
             VALUES ($1, $2, $3, $4, '2019-03-01', $5)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&company)
        .bind(&person)
        .bind(position)
        .bind(to_db(state.clock.now()))
        .execute(&mut *tx)
        .await?;
    }
    seed_certificates(&mut tx, state, &actor).await?;
    let drilling = seed_schemes(&mut tx).await?;
    seed_report_scheme(&mut tx, state, &actor).await?;
    tx.commit().await?;
    seed_templates(state, &actor, &drilling).await?;
    seed_cases(state, &actor, &drilling).await?;
    seed_status_changes(state, &actor).await?;

    for a in ACCOUNTS {
        let email = format!("{}@certportal.localhost", a.username);
        // A company admin is a person too (identity is the personnummer): a holder as well.
        let roles = vec![if a.role == "company_admin" {
            "holder"
        } else {
            a.role
        }];
        create_if_missing(
            &state.db,
            &state.clock,
            NewAccount {
                username: a.username,
                email: &email,
                display_name: a.name,
                password: a.password,
                roles: &roles,
            },
        )
        .await?;
        let id: String = sqlx::query_scalar("SELECT id FROM accounts WHERE username = $1")
            .bind(a.username)
            .fetch_one(&state.db.pool)
            .await?;
        if let Some(pnr) = a.pnr {
            sqlx::query("UPDATE people SET account_id = $1 WHERE pnr = $2 AND account_id IS NULL")
                .bind(&id)
                .bind(pnr)
                .execute(&state.db.pool)
                .await?;
        }
        if let Some(orgnr) = a.company {
            sqlx::query(
                "INSERT INTO account_roles (account_id, role, scope, granted_at)
                 SELECT $1, 'company_admin', id, $2 FROM companies WHERE orgnr = $3
                 ON CONFLICT DO NOTHING",
            )
            .bind(&id)
            .bind(to_db(state.clock.now()))
            .bind(orgnr)
            .execute(&state.db.pool)
            .await?;
        }
    }
    seed_queue(state, &actor, &drilling).await?;
    seed_handling(state, &actor, &drilling).await?;
    seed_training(state, &actor).await?;
    Ok(())
}

/// The demo training provider: its login, courses with and without a certification, bookings
/// in every status, a graded certificate waiting for its participant's consent (Erik Holm's),
/// and reviews.
pub const PROVIDER: (&str, &str, &str, &str) = (
    "5591122337",
    "Kylakademin Sverige AB",
    "utbildare",
    "Demo-utbildare-2026",
);

async fn seed_training(state: &AppState, actor: &Actor) -> anyhow::Result<()> {
    use app::auth::model::{CurrentUser, Grant, Role};
    use app::training::service as training;
    let (orgnr, name, username, password) = PROVIDER;
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM providers WHERE orgnr = $1")
        .bind(orgnr)
        .fetch_optional(&state.db.pool)
        .await?;
    if exists.is_some() {
        return Ok(());
    }
    let provider = training::create_provider(state, actor, orgnr, name).await?;
    sqlx::query(
        "UPDATE providers SET description = $2, website = 'https://kylakademin.example.se' WHERE id = $1",
    )
    .bind(&provider)
    .bind(
        "Utbildningar i köldmediehantering, läcksökning och brandskydd för kyltekniker, \
         i Karlskrona, Malmö och på distans.",
    )
    .execute(&state.db.pool)
    .await?;
    create_if_missing(
        &state.db,
        &state.clock,
        NewAccount {
            username,
            email: "utbildare@certportal.localhost",
            display_name: "Petra Kyl",
            password,
            roles: &["provider_staff"],
        },
    )
    .await?;
    let account: String = sqlx::query_scalar("SELECT id FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_one(&state.db.pool)
        .await?;
    sqlx::query(
        "INSERT INTO account_roles (account_id, role, scope, granted_at) VALUES ($1, 'provider_staff', $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(&account)
    .bind(&provider)
    .bind(to_db(state.clock.now()))
    .execute(&state.db.pool)
    .await?;
    let staff = CurrentUser {
        account_id: account,
        username: username.into(),
        display_name: "Petra Kyl".into(),
        grants: vec![Grant {
            role: Role::ProviderStaff,
            scope: provider.clone(),
        }],
        person_id: None,
    };
    let today = state.clock.today();
    let in_days = |d: i64| {
        (today + chrono::Duration::days(d))
            .format("%Y-%m-%d")
            .to_string()
    };
    let courses = [
        (
            "Köldmediehantering kategori I",
            in_days(11),
            "12500",
            "Intyg köldmediehantering kategori I",
            true,
        ),
        (
            "Läcksökning i praktiken",
            String::new(),
            "6900",
            "Kursintyg läcksökning",
            false,
        ),
        ("Brandskydd för kyltekniker", in_days(54), "3500", "", false),
    ];
    let mut ids = Vec::new();
    for (title, date, price, certification, graded) in &courses {
        let form = training::CourseForm {
            title,
            description: "Lärarledd utbildning med teori och praktiska moment.",
            starts_on: date,
            price,
        };
        let id = training::save_course(state, actor, &staff, &provider, "", &form).await?;
        training::set_certification(state, actor, &staff, &id, certification, *graded, "").await?;
        ids.push(id);
    }
    let logo = app::cases::files::Incoming::of_bytes(
        &state.config.upload_dir,
        state.config.upload_max,
        include_bytes!("../assets/demo-logo.png"),
    )
    .await?;
    training::set_logo(state, actor, &staff, &provider, logo).await?;
    // An invitation by email, waiting for its answer (its email is in the mailbox).
    let invite = app::training::invites::NewInvite {
        course_id: &ids[2],
        name: "Nils Nilsson",
        email: "nils.nilsson@exempel.se",
    };
    app::training::invites::invite(state, actor, &staff, app::i18n::Locale::Sv, &invite).await?;
    use app::training::model::Status as S;
    /// Personnummer, course, status, whether a certificate is uploaded, the review.
    type DemoBooking = (&'static str, usize, S, bool, Option<(i64, &'static str)>);
    let bookings: [DemoBooking; 8] = [
        ("199004129814", 0, S::Completed, true, None),
        (
            "199208159831",
            1,
            S::Completed,
            true,
            Some((5, "Mycket bra och praktisk kurs. Läraren kunde sina saker.")),
        ),
        (
            "198603151021",
            1,
            S::Completed,
            true,
            Some((4, "Bra upplägg, lite för kort praktikdel.")),
        ),
        ("197802239827", 0, S::Registered, false, None),
        ("198507099805", 2, S::Unknown, false, None),
        ("198801019848", 1, S::Started, false, None),
        ("197511309853", 2, S::NoShow, false, None),
        ("199506069864", 0, S::Failed, false, None),
    ];
    for (pnr, course, status, certificate, review) in bookings {
        let (person, company): (String, String) = sqlx::query_as(
            "SELECT p.id, e.company_id FROM people p JOIN employments e ON e.person_id = p.id
             WHERE p.pnr = $1 ORDER BY e.start_date LIMIT 1",
        )
        .bind(pnr)
        .fetch_one(&state.db.pool)
        .await?;
        let admin = CurrentUser {
            account_id: String::new(),
            username: "seed-demo".into(),
            display_name: "seed-demo".into(),
            grants: vec![Grant {
                role: Role::CompanyAdmin,
                scope: company.clone(),
            }],
            person_id: None,
        };
        training::book(state, actor, &admin, &company, &person, &ids[course]).await?;
        let booking: String =
            sqlx::query_scalar("SELECT id FROM bookings WHERE person_id = $1 AND course_id = $2")
                .bind(&person)
                .bind(&ids[course])
                .fetch_one(&state.db.pool)
                .await?;
        if status != S::Unknown {
            training::change_status(state, actor, &staff, &booking, status.code()).await?;
        }
        if certificate {
            let file = app::cases::files::Incoming::of_bytes(
                &state.config.upload_dir,
                state.config.upload_max,
                &demo_pdf(courses[course].3),
            )
            .await?;
            training::upload_certificate(state, actor, &staff, &booking, "kursintyg.pdf", file)
                .await?;
        }
        if let Some((rating, text)) = review {
            sqlx::query(
                "UPDATE bookings SET review_rating = $2, review_text = $3, reviewed_at = $4 WHERE id = $1",
            )
            .bind(&booking)
            .bind(rating)
            .bind(text)
            .bind(to_db(state.clock.now()))
            .execute(&state.db.pool)
            .await?;
        }
    }
    Ok(())
}

/// The handlers' queue: Lars Ek's drilling case sent twelve days ago and waiting for a
/// handler; Maria Sund's sent five days ago and taken by the demo handler, her welding test
/// approved; Johan Berg's opened yesterday and not yet sent.
async fn seed_queue(state: &AppState, actor: &Actor, drilling: &str) -> anyhow::Result<()> {
    use app::cases::model::Applied;
    use app::cases::service::{apply, explain, ready, requirement_id};
    let level: String =
        sqlx::query_scalar("SELECT id FROM scheme_levels WHERE scheme_id = $1 ORDER BY position")
            .bind(drilling)
            .fetch_one(&state.db.pool)
            .await?;
    let requirements: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM required_documents WHERE scheme_id = $1 AND retired = 0 ORDER BY position",
    )
    .bind(drilling)
    .fetch_all(&state.db.pool)
    .await?;
    for (pnr, days, sent, taken) in [
        ("197802239827", 12, true, false),
        ("199208159831", 5, true, true),
        ("198801019848", 1, false, false),
    ] {
        let person: String = sqlx::query_scalar("SELECT id FROM people WHERE pnr = $1")
            .bind(pnr)
            .fetch_one(&state.db.pool)
            .await?;
        let case = match apply(state, actor, &person, drilling, &level).await? {
            Applied::Opened { id } => id,
            // Seeded before.
            Applied::AlreadyOpen { .. } => continue,
        };
        if sent {
            for req in &requirements {
                explain(state, actor, &person, &case, req, "Skickas per post.").await?;
            }
            ready(state, actor, &person, &case).await?;
        }
        let then = to_db(state.clock.now() - chrono::Duration::days(days));
        sqlx::query(
            "UPDATE cases SET created_at = $1, queued_at = $1,
                    ready_at = CASE WHEN ready_at IS NULL THEN NULL ELSE $1 END WHERE id = $2",
        )
        .bind(&then)
        .bind(&case)
        .execute(&state.db.pool)
        .await?;
        if taken {
            let user = demo_handler(state, "handlaggare").await?;
            app::cases::handling::take(state, actor, &user, &case).await?;
            let mut conn = state.db.pool.acquire().await?;
            let weld = requirement_id(&mut conn, drilling, "Svetsprov").await?;
            drop(conn);
            app::cases::handling::review(state, actor, &user, &case, &weld, "approved", "").await?;
        }
    }
    Ok(())
}

/// The rest of a case's life, in the queue: Maria Sund is asked for a supplement (and reminded
/// of it); Karin Ström answered hers; Sara Nilsson's is being handled; Oskar Lind (who reads
/// letters) passed his exam and was approved. Erik Holm's decided F-gas case has a note with its answer, a change of details,
/// and Erik's draft of a reply. Every message type, every case status.
async fn seed_handling(state: &AppState, actor: &Actor, drilling: &str) -> anyhow::Result<()> {
    use app::cases::deciding::{Choice, decide, record_exam, request_supplement};
    use app::cases::model::Applied;
    use app::cases::service::{apply, explain, ready, requirement_id};
    let handler = demo_handler(state, "handlaggare").await?;
    let mut conn = state.db.pool.acquire().await?;
    let weld = requirement_id(&mut conn, drilling, "Svetsprov").await?;
    let diploma = requirement_id(&mut conn, drilling, "Avgångsbetyg/Examen").await?;
    drop(conn);
    let person = async |pnr: &str| -> anyhow::Result<String> {
        Ok(sqlx::query_scalar("SELECT id FROM people WHERE pnr = $1")
            .bind(pnr)
            .fetch_one(&state.db.pool)
            .await?)
    };
    let open = async |pnr: &str| -> anyhow::Result<String> {
        let id: String = sqlx::query_scalar(
            "SELECT k.id FROM cases k JOIN people p ON p.id = k.person_id
             WHERE p.pnr = $1 AND k.scheme_id = $2 ORDER BY k.created_at DESC LIMIT 1",
        )
        .bind(pnr)
        .bind(drilling)
        .fetch_one(&state.db.pool)
        .await?;
        Ok(id)
    };
    let asked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_supplements")
        .fetch_one(&state.db.pool)
        .await?;
    if asked > 0 {
        // Seeded before.
        return Ok(());
    }
    // Maria: asked for a signed welding certificate, and reminded of it.
    let maria = open("199208159831").await?;
    let text = "Svetsprovets intyg saknar examinatorns underskrift. Skicka ett signerat intyg.";
    request_supplement(
        state,
        actor,
        &handler,
        &maria,
        std::slice::from_ref(&weld),
        text,
    )
    .await?;
    let supplement: String =
        sqlx::query_scalar("SELECT id FROM case_supplements WHERE case_id = $1")
            .bind(&maria)
            .fetch_one(&state.db.pool)
            .await?;
    let mut tx = state.db.begin().await?;
    let payload = serde_json::json!({ "supplement_id": supplement }).to_string();
    app::cases::deciding::run_reminder_job(&mut tx, state, &payload).await?;
    tx.commit().await?;
    // Karin, Oskar and Sara: applied, sent, taken (Sara's stays "Behandlas").
    let requirements: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM required_documents WHERE scheme_id = $1 AND retired = 0 ORDER BY position",
    )
    .bind(drilling)
    .fetch_all(&state.db.pool)
    .await?;
    let level: String =
        sqlx::query_scalar("SELECT id FROM scheme_levels WHERE scheme_id = $1 ORDER BY position")
            .bind(drilling)
            .fetch_one(&state.db.pool)
            .await?;
    for pnr in ["197511309853", "199506069864", "198603151021"] {
        let id = person(pnr).await?;
        let case = match apply(state, actor, &id, drilling, &level).await? {
            Applied::Opened { id } | Applied::AlreadyOpen { id } => id,
        };
        for req in &requirements {
            explain(state, actor, &id, &case, req, "Skickas per post.").await?;
        }
        ready(state, actor, &id, &case).await?;
        app::cases::handling::take(state, actor, &handler, &case).await?;
    }
    // Karin answered hers: the diploma explained anew, "MEDDELA OSS".
    let (karin, karin_case) = (person("197511309853").await?, open("197511309853").await?);
    let text = "Vi behöver en kopia av ditt avgångsbetyg.";
    request_supplement(
        state,
        actor,
        &handler,
        &karin_case,
        std::slice::from_ref(&diploma),
        text,
    )
    .await?;
    let answer = "Betyget skickades med post i dag.";
    explain(state, actor, &karin, &karin_case, &diploma, answer).await?;
    ready(state, actor, &karin, &karin_case).await?;
    // Oskar passed his exam and was approved: certificate BORR-00001, a letter due.
    let oskar_case = open("199506069864").await?;
    let exam_day = (state.clock.today() - chrono::Duration::days(10)).to_string();
    record_exam(
        state,
        actor,
        &handler,
        &oskar_case,
        &exam_day,
        "Teoriprov",
        "passed",
        "42 p",
    )
    .await?;
    let approve = Choice::Approve {
        level_id: &level,
        plastic_card: true,
        published: true,
    };
    decide(state, actor, &handler, &oskar_case, approve).await?;
    // Erik's decided F-gas case: a note and its answer, a change of details, a draft.
    let erik_case: String = sqlx::query_scalar("SELECT id FROM cases WHERE order_no = 'FX216494'")
        .fetch_one(&state.db.pool)
        .await?;
    let (erik_account, erik_name, erik_person): (String, String, String) = sqlx::query_as(
        "SELECT a.id, a.display_name, p.id FROM accounts a JOIN people p ON p.account_id = a.id
         WHERE a.username = 'certifierad'",
    )
    .fetch_one(&state.db.pool)
    .await?;
    let erik = app::auth::model::CurrentUser {
        account_id: erik_account,
        username: "certifierad".to_owned(),
        display_name: erik_name,
        grants: vec![app::auth::model::Grant {
            role: app::auth::model::Role::Holder,
            scope: String::new(),
        }],
        person_id: Some(erik_person),
    };
    use app::cases::messaging::send;
    use app::cases::model::Sent;
    let question = "Hej! Kan jag få certifikatet som plastkort också?";
    let (sent, _) = send(state, actor, &erik, &erik_case, "", "note", question, false).await?;
    if let Sent::Sent { thread } = sent {
        // The handler opens it (read) and answers.
        app::cases::messaging::list(state, &handler, &erik_case, Some(&thread)).await?;
        let reply = "Hej Erik! Ja, plastkortet är beställt och kommer med posten inom två veckor.";
        send(
            state, actor, &handler, &erik_case, &thread, "", reply, false,
        )
        .await?;
        let draft = "Tack! Då väntar jag på det.";
        send(state, actor, &erik, &erik_case, &thread, "", draft, true).await?;
    }
    let change = "Jag har flyttat till Storgatan 5, 371 31 Karlskrona.";
    send(state, actor, &erik, &erik_case, "", "change", change, false).await?;
    Ok(())
}

/// A demo handler's account as it signs in.
async fn demo_handler(
    state: &AppState,
    username: &str,
) -> anyhow::Result<app::auth::model::CurrentUser> {
    let (id, name): (String, String) =
        sqlx::query_as("SELECT id, display_name FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_one(&state.db.pool)
            .await?;
    Ok(app::auth::model::CurrentUser {
        account_id: id,
        username: username.to_owned(),
        display_name: name,
        grants: vec![app::auth::model::Grant {
            role: app::auth::model::Role::Handler,
            scope: String::new(),
        }],
        person_id: None,
    })
}

pub fn print_accounts() {
    println!("Demo accounts:");
    println!("  {:<14} {:<14} password", "role", "username");
    for a in ACCOUNTS {
        println!("  {:<14} {:<14} {}", a.role, a.username, a.password);
    }
    let (_, _, username, password) = PROVIDER;
    println!("  {:<14} {:<14} {}", "provider_staff", username, password);
}

const ROMAN: [&str; 5] = ["I", "II", "III", "IV", "V"];

/// A required document: Swedish and English name, Swedish and English help, shared by all the
/// person's certificates, and the column headings of its template (an Excel workbook).
type Doc = (
    (&'static str, &'static str),
    (&'static str, &'static str),
    bool,
    Option<&'static [&'static str]>,
);

const DIPLOMA: Doc = (
    ("Avgångsbetyg/Examen", "School leaving certificate/Degree"),
    (
        "Betyg eller examensbevis från den utbildning du åberopar, med skolans namn och datum.",
        "Grades or degree certificate from the education you refer to, with the school's name and the date.",
    ),
    true,
    None,
);

const SERVICE: Doc = (
    ("Tjänstgöringsintyg", "Certificate of employment"),
    (
        "Undertecknat av utfärdande chef, med namnförtydligande och kontaktuppgifter. Ett anställningsbevis räcker inte.",
        "Signed by the issuing manager, with the name in print and contact details. An employment contract is not enough.",
    ),
    true,
    None,
);

/// "Ladda upp dokument för brunnsborrhare (NyCert)", the manual's list.
const DRILLING_DOCS: [Doc; 9] = [
    DIPLOMA,
    (
        ("Juridik och Hydrogeologi", "Law and hydrogeology"),
        (
            "Intyg om godkänd kurs i juridik och hydrogeologi för brunnsborrare.",
            "Certificate of a passed course in law and hydrogeology for well drillers.",
        ),
        false,
        None,
    ),
    (
        ("Svetsprov", "Welding test"),
        (
            "Intyg om godkänt svetsprov, undertecknat av den som förrättat provet.",
            "Certificate of a passed welding test, signed by its examiner.",
        ),
        false,
        None,
    ),
    (
        ("Heta arbeten", "Hot work"),
        (
            "Giltigt certifikat för heta arbeten.",
            "A valid hot work certificate.",
        ),
        false,
        None,
    ),
    (
        ("Säkerhet på väg", "Road safety"),
        (
            "Intyg om utbildning i säkerhet vid arbete på väg.",
            "Certificate of training in safety when working on roads.",
        ),
        false,
        None,
    ),
    SERVICE,
    (
        ("Projektlista/Uppdragslista", "Project list/Assignment list"),
        (
            "Dina uppdrag med beställare och referenspersoner med kontaktuppgifter. Använd gärna mallen: öppna den i Excel, fyll i och spara som Excel-arbetsbok (xlsx) eller PDF.",
            "Your assignments with their clients and references with contact details. The template helps: open it in Excel, fill it in and save it as an Excel workbook (xlsx) or a PDF.",
        ),
        false,
        Some(&[
            "Uppdrag",
            "Plats",
            "Beställare",
            "Referensperson",
            "Telefon",
            "E-post",
            "Period (från–till)",
            "Brunnsprotokoll till SGU (ja/nej)",
        ]),
    ),
    (
        ("SGU rapport", "SGU report"),
        (
            "Kvittens på att dina brunnsprotokoll har rapporterats till Sveriges geologiska undersökning.",
            "Receipt that your well records were reported to the Geological Survey of Sweden.",
        ),
        false,
        None,
    ),
    (
        ("Försäkringsbevis", "Proof of insurance"),
        (
            "Bevis om ansvarsförsäkring för verksamheten.",
            "Proof of liability insurance for the business.",
        ),
        false,
        None,
    ),
];

/// What an F-gas application requires.
const FGAS_DOCS: [Doc; 3] = [
    DIPLOMA,
    (
        ("Provintyg", "Exam certificate"),
        (
            "Intyg om godkänt teoretiskt och praktiskt prov från ett ackrediterat provningsorgan.",
            "Certificate of a passed theory and practical exam from an accredited examination body.",
        ),
        false,
        None,
    ),
    SERVICE,
];

async fn requirements(
    conn: &mut sqlx::AnyConnection,
    scheme_id: &str,
    docs: &[Doc],
) -> anyhow::Result<()> {
    use app::cases::service::{RequirementSpec, ensure_requirements};
    let list: Vec<RequirementSpec> = docs
        .iter()
        .map(|(name, help, shared, _)| RequirementSpec {
            name: *name,
            help: *help,
            shared: *shared,
        })
        .collect();
    ensure_requirements(conn, scheme_id, &list).await?;
    Ok(())
}

/// Brunnsborrare with its levels and documents, and the F-gas schemes' documents; returns
/// Brunnsborrare's id.
async fn seed_schemes(conn: &mut sqlx::AnyConnection) -> anyhow::Result<String> {
    use app::certificates::service::{ensure_scheme, name_in_english};
    let id = ensure_scheme(conn, "brunnsborrare", "Brunnsborrning", "Brunnsborrare", 5).await?;
    name_in_english(conn, &id, "Well drilling", "Well driller").await?;
    for (i, (sv, en)) in [
        ("Ansvarig AB", "Responsible AB"),
        ("Ansvarig A", "Responsible A"),
    ]
    .into_iter()
    .enumerate()
    {
        app::cases::service::ensure_level(conn, &id, sv, en, i as i64 + 1).await?;
    }
    requirements(conn, &id, &DRILLING_DOCS).await?;
    for i in 1..=ROMAN.len() {
        let fgas: String = sqlx::query_scalar("SELECT id FROM schemes WHERE code = $1")
            .bind(format!("fgas-{i}"))
            .fetch_one(&mut *conn)
            .await?;
        requirements(conn, &fgas, &FGAS_DOCS).await?;
    }
    Ok(id)
}

/// Kontrollansvarig: a scheme extended by a yearly report ("Årsrapportering") instead of an
/// attestation, and Erik Holm's certificate of it (10014), whose report is due in 80 days: the
/// report's row comes 45 days before.
async fn seed_report_scheme(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    actor: &Actor,
) -> anyhow::Result<()> {
    use app::certificates::service::{Issue, ensure_scheme, issue, name_in_english};
    let id = ensure_scheme(conn, "ka", "Byggkontroll", "Kontrollansvarig", 5).await?;
    name_in_english(conn, &id, "Building control", "Certified supervisor").await?;
    sqlx::query("UPDATE schemes SET yearly_report = 1, yearly_attestation = 0 WHERE id = $1")
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    requirements(conn, &id, &REPORT_SCHEME_DOCS).await?;
    app::cases::yearly::ensure_report_row(conn, &id).await?;
    let exists: Option<String> =
        sqlx::query_scalar("SELECT id FROM certificates WHERE number = '10014'")
            .fetch_optional(&mut *conn)
            .await?;
    if exists.is_some() {
        return Ok(());
    }
    let person: String = sqlx::query_scalar("SELECT id FROM people WHERE pnr = '199004129814'")
        .fetch_one(&mut *conn)
        .await?;
    let today = state.clock.today();
    let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
    let (issued_on, valid_until, extend_by) = (day(-645), day(1180), day(80));
    issue(
        conn,
        &state.clock,
        actor,
        &Issue {
            number: "10014",
            scheme_id: &id,
            person_id: &person,
            status: Status::Active,
            issued_on: &issued_on,
            valid_until: &valid_until,
            extend_by: Some(&extend_by),
        },
    )
    .await?;
    Ok(())
}

/// What an application to become Kontrollansvarig asks for.
const REPORT_SCHEME_DOCS: [Doc; 2] = [
    DIPLOMA,
    (
        ("Referensuppdrag", "Reference assignments"),
        (
            "Minst tre uppdrag de senaste fem åren, med beställarens kontaktuppgifter.",
            "At least three assignments in the last five years, with the client's contact details.",
        ),
        false,
        None,
    ),
];

/// The drilling scheme's templates: Excel workbooks with the column headings to fill in.
async fn seed_templates(state: &AppState, actor: &Actor, drilling: &str) -> anyhow::Result<()> {
    for ((name, _), _, _, headings) in DRILLING_DOCS {
        let Some(headings) = headings else { continue };
        let mut conn = state.db.pool.acquire().await?;
        let id = app::cases::service::requirement_id(&mut conn, drilling, name).await?;
        drop(conn);
        let file = app::cases::files::Incoming::of_bytes(
            &state.config.upload_dir,
            state.config.upload_max,
            &workbook(name, headings)?,
        )
        .await?;
        let stem = app::cases::model::stored_stem(name, "");
        let file_name = format!("{}.xlsx", stem.trim_end_matches("_C"));
        app::cases::service::set_template(state, actor, drilling, &id, &file_name, file).await?;
    }
    Ok(())
}

/// An Excel workbook (xlsx) of one sheet named after `title` whose first row is `headings`.
fn workbook(title: &str, headings: &[&str]) -> anyhow::Result<Vec<u8>> {
    use std::io::Write;
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    const DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let sheet_name: String = title
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | '?' | '*' | '[' | ']' | ':'))
        .take(31)
        .collect();
    let cells: String = headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            format!(
                r#"<c r="{}1" t="inlineStr"><is><t>{}</t></is></c>"#,
                char::from(b'A' + i as u8),
                escape(h)
            )
        })
        .collect();
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
                .to_owned(),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
                escape(&sheet_name)
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">{cells}</row></sheetData></worksheet>"#
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Erik Lind (the demo holder) has applied to become a well driller: sent two documents,
/// explained two, and the rest are missing. His F-gas certificate came from a decided case,
/// whose documents are in its archive.
async fn seed_cases(state: &AppState, actor: &Actor, drilling: &str) -> anyhow::Result<()> {
    use app::cases::model::Applied;
    use app::cases::service::{Upload, Uploader, apply, explain, requirement_id, upload};
    let person: String = sqlx::query_scalar("SELECT id FROM people WHERE pnr = '199004129814'")
        .fetch_one(&state.db.pool)
        .await?;
    let level: String =
        sqlx::query_scalar("SELECT id FROM scheme_levels WHERE scheme_id = $1 ORDER BY position")
            .bind(drilling)
            .fetch_one(&state.db.pool)
            .await?;
    let case = match apply(state, actor, &person, drilling, &level).await? {
        Applied::Opened { id } | Applied::AlreadyOpen { id } => id,
    };
    let send = async |case: &str, scheme: &str, document: &str, note: &str| {
        let mut conn = state.db.pool.acquire().await?;
        let requirement = requirement_id(&mut conn, scheme, document).await?;
        drop(conn);
        let file = app::cases::files::Incoming::of_bytes(
            &state.config.upload_dir,
            state.config.upload_max,
            &demo_pdf(document),
        )
        .await?;
        let up = Upload {
            case_id: case,
            requirement_id: &requirement,
            original_name: &format!("{document}.pdf"),
            note,
        };
        upload(state, actor, Uploader::Staff, &up, file).await?;
        anyhow::Ok(())
    };
    let mut conn = state.db.pool.acquire().await?;
    for (document, reason) in [
        (
            "Heta arbeten",
            "Kursen är bokad till februari; intyget skickas direkt efter kursen.",
        ),
        (
            "SGU rapport",
            "Jag har ännu inte borrat i egen regi, så det finns inget att rapportera.",
        ),
    ] {
        let requirement = requirement_id(&mut conn, drilling, document).await?;
        explain(state, actor, &person, &case, &requirement, reason).await?;
    }
    drop(conn);
    let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE case_id = $1")
        .bind(&case)
        .fetch_one(&state.db.pool)
        .await?;
    if sent == 0 {
        send(
            &case,
            drilling,
            "Svetsprov",
            "Svetsprov enligt SS-EN ISO 9606-1",
        )
        .await?;
    }

    // The decided F-gas case behind certificate 10002, with its documents in the archive.
    let decided: Option<String> = sqlx::query_scalar(
        "SELECT k.id FROM cases k JOIN certificates c ON c.id = k.certificate_id
         WHERE c.number = '10002'",
    )
    .fetch_optional(&state.db.pool)
    .await?;
    if decided.is_some() {
        return Ok(());
    }
    let (certificate, fgas): (String, String) =
        sqlx::query_as("SELECT id, scheme_id FROM certificates WHERE number = '10002'")
            .fetch_one(&state.db.pool)
            .await?;
    let id = uuid::Uuid::now_v7().to_string();
    let (then, now) = (
        to_db(state.clock.now() - chrono::Duration::days(400)),
        to_db(state.clock.now()),
    );
    sqlx::query(
        "INSERT INTO cases (id, order_no, person_id, scheme_id, kind, status, plastic_card,
                            published, certificate_id, ready_at, created_at, updated_at,
                            queued_at)
         VALUES ($1, 'FX216494', $2, $3, 'new', 'in_progress', 1, 1, $4, $5, $5, $6, $5)",
    )
    .bind(&id)
    .bind(&person)
    .bind(&fgas)
    .bind(&certificate)
    .bind(&then)
    .bind(&now)
    .execute(&state.db.pool)
    .await?;
    send(
        &id,
        &fgas,
        "Avgångsbetyg/Examen",
        "Gymnasieexamen, VVS- och fastighetsprogrammet",
    )
    .await?;
    send(&id, &fgas, "Provintyg", "").await?;
    sqlx::query(
        "UPDATE cases SET status = 'decided', decision = 'approved', decided_at = $2
         WHERE id = $1",
    )
    .bind(&id)
    .bind(&then)
    .execute(&state.db.pool)
    .await?;
    sqlx::query(
        "INSERT INTO case_exams (id, case_id, taken_on, exam, passed, score, created_at)
         VALUES ($1, $2, '2025-10-14', 'Teoriprov kategori I', 1, '', $3)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&id)
    .bind(&then)
    .execute(&state.db.pool)
    .await?;
    Ok(())
}

/// A one-page PDF that says what it stands for (the demo's documents).
fn demo_pdf(title: &str) -> Vec<u8> {
    // Latin-1 for the PDF's standard font; the rest of the title as '?'.
    let text: Vec<u8> = format!("Demodokument: {title}")
        .chars()
        .map(|c| match u32::from(c) {
            0x20..=0x7e if !matches!(c, '(' | ')' | '\\') => c as u8,
            0xa0..=0xff => c as u8,
            _ => b'?',
        })
        .collect();
    let mut stream = b"BT /F1 18 Tf 72 760 Td (".to_vec();
    stream.extend_from_slice(&text);
    stream.extend_from_slice(b") Tj ET");
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        [format!("<< /Length {} >>\nstream\n", stream.len()).into_bytes(), stream, b"\nendstream".to_vec()].concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// Certificate number, holder, F-gas category (1 to 5), status, and the yearly extension and
/// validity as days from today: every status, and employees of Kylteknik due soon (within the
/// 90 days a certificate may be attested before "Förläng senast"); Anja's (10001) is not due.
const CERTIFICATES: &[(&str, &str, usize, Status, i64, i64)] = &[
    ("10001", "198507099805", 5, Status::Active, 130, 1200),
    ("10002", "199004129814", 1, Status::Active, 20, 900),
    ("10003", "199004129814", 4, Status::Inactive, -30, 600),
    ("10004", "197802239827", 2, Status::Active, 10, 1500),
    ("10005", "199208159831", 3, Status::Inactive, -60, 400),
    ("10006", "199208159831", 1, Status::Active, 45, 1400),
    ("10007", "198801019848", 1, Status::Active, 200, 1700),
    ("10008", "197511309853", 2, Status::Expired, -400, -35),
    // Suspended and revoked by staff after the seed, with reasons: see `seed_status_changes`.
    ("10009", "199506069864", 5, Status::Active, 90, 800),
    ("10010", "199506069864", 3, Status::Active, -200, 300),
    // Its yearly attestation is due in four weeks: the day's reminder comes when the server starts.
    ("10011", "199004129814", 2, Status::Active, 27, 1100),
    ("10012", "199004129814", 3, Status::Active, 70, 1300),
    // Oskar's ends in four weeks: its renewal reminder is a letter for staff to post.
    ("10013", "199506069864", 1, Status::Active, 20, 28),
];

async fn seed_certificates(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    actor: &Actor,
) -> anyhow::Result<()> {
    use app::certificates::service::{Issue, ensure_scheme, issue};

    let mut schemes = Vec::new();
    for (i, roman) in ROMAN.iter().enumerate() {
        let name = format!("Personcertifikat f-gas kat {roman}");
        let id = ensure_scheme(conn, &format!("fgas-{}", i + 1), "F-Gaser", &name, 5).await?;
        let english = format!("Personnel certificate F-gas category {roman}");
        app::certificates::service::name_in_english(conn, &id, "F-gases", &english).await?;
        schemes.push(id);
    }
    let today = state.clock.today();
    let day = |offset: i64| {
        (today + chrono::Duration::days(offset))
            .format("%Y-%m-%d")
            .to_string()
    };
    for (number, pnr, category, status, extend, valid) in CERTIFICATES {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT id FROM certificates WHERE number = $1")
                .bind(number)
                .fetch_optional(&mut *conn)
                .await?;
        if exists.is_some() {
            continue;
        }
        let person: String = sqlx::query_scalar("SELECT id FROM people WHERE pnr = $1")
            .bind(pnr)
            .fetch_one(&mut *conn)
            .await?;
        let (extend_by, valid_until) = (day(*extend), day(*valid));
        let issued_on = day(*valid - 5 * 365);
        let c = Issue {
            number,
            scheme_id: &schemes[category - 1],
            person_id: &person,
            status: *status,
            issued_on: &issued_on,
            valid_until: &valid_until,
            extend_by: Some(&extend_by),
        };
        let id = issue(conn, &state.clock, actor, &c).await?;
        if PUBLISHED.contains(number) {
            app::certificates::verification::mark_published(conn, &id).await?;
        }
    }
    Ok(())
}

/// The certificates whose holders agreed to publication: the register finds them.
const PUBLISHED: &[&str] = &["10001", "10006", "10007"];

/// The suspension and the revocation among the demo certificates, each with its reason, its
/// event and the holder's message, as staff make them.
async fn seed_status_changes(state: &AppState, actor: &Actor) -> anyhow::Result<()> {
    use app::certificates::model::{Status, StatusChange};
    for (number, change, reason) in [
        (
            "10009",
            StatusChange::Suspend,
            "Utredning av klagomål pågår",
        ),
        ("10010", StatusChange::Revoke, "Utfärdat felaktigt"),
    ] {
        let Some(c) = app::certificates::verification::public(state, number).await? else {
            continue;
        };
        // Once: a certificate already moved (by an earlier seed, or by staff) stays as it is.
        if c.status != Status::Active || c.history.len() > 1 {
            continue;
        }
        let id: String = sqlx::query_scalar("SELECT id FROM certificates WHERE number = $1")
            .bind(number)
            .fetch_one(&state.db.pool)
            .await?;
        app::certificates::verification::change_status(state, actor, &id, change, reason).await?;
    }
    Ok(())
}
