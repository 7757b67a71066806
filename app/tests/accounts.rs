#![cfg(feature = "ssr")]

use app::accounts::service::{NewAccount, create_if_missing, roles_of};
use app::testing::databases;

#[tokio::test]
async fn accounts_are_created_once_with_their_roles() {
    for t in databases().await {
        let new = || NewAccount {
            username: "admin",
            email: "admin@exempel.se",
            display_name: "Astrid Lindqvist",
            password: "Ett-bra-lösenord-1",
            roles: &["body_admin", "handler"],
        };
        assert!(
            create_if_missing(t.db(), &t.state.clock, new())
                .await
                .expect("create")
        );
        assert!(
            !create_if_missing(t.db(), &t.state.clock, new())
                .await
                .expect("again"),
            "{:?}",
            t.backend()
        );
        assert_eq!(
            roles_of(t.db(), "admin").await.expect("roles"),
            vec!["body_admin", "handler"]
        );

        let weak = NewAccount {
            username: "x",
            password: "kort",
            ..new()
        };
        let e = create_if_missing(t.db(), &t.state.clock, weak)
            .await
            .expect_err("too short");
        assert!(e.to_string().contains("at least 12 characters"), "{e}");
        let bad_role = NewAccount {
            username: "y",
            roles: &["emperor"],
            ..new()
        };
        let e = create_if_missing(t.db(), &t.state.clock, bad_role)
            .await
            .expect_err("no such role");
        assert!(e.to_string().contains("unknown role emperor"), "{e}");
        assert!(
            roles_of(t.db(), "y").await.expect("roles").is_empty(),
            "a refused account changes nothing"
        );
    }
}

#[tokio::test]
async fn a_violated_constraint_becomes_a_message_on_its_field() {
    use app::error::{AppError, Constraint};
    let taken = Constraint {
        name: "accounts_email_key",
        columns: "accounts.email",
        field: "email",
        message: app::i18n::Text::FieldEmailTaken,
    };
    for t in databases().await {
        let insert = |id: &'static str, username: &'static str| {
            sqlx::query(
                "INSERT INTO accounts (id, username, email, display_name, created_at, username_key, email_key)
                 VALUES ($1, $2, 'samma@exempel.se', 'X', '2026-01-01T00:00:00.000000Z', $2, $2)",
            )
            .bind(id)
            .bind(username)
            .execute(&t.db().pool)
        };
        insert("a", "a").await.expect("first");
        let err = insert("b", "b").await.expect_err("duplicate email");
        assert_eq!(
            AppError::from_db(err, &[taken]),
            AppError::field("email", app::i18n::Text::FieldEmailTaken),
            "{:?}",
            t.backend()
        );
        let other = insert("a", "c").await.expect_err("duplicate id");
        assert_eq!(
            AppError::from_db(other, &[]),
            AppError::Internal,
            "an unlisted constraint is internal"
        );
    }
}

#[tokio::test]
async fn staff_create_accounts_that_activate_through_the_emailed_link() {
    use app::accounts::service::{Invite, invite};
    use app::auth::service::{Origin, login, reset_password};
    use app::error::AppError;
    use app::events::service::Actor;
    use app::i18n::Locale;
    for t in databases().await {
        let (db, clock) = (t.db(), &t.state.clock);
        for (name, role) in [("handlaggare", "handler"), ("admin", "body_admin")] {
            let staff = NewAccount {
                username: name,
                email: &format!("{name}@exempel.se"),
                display_name: name,
                password: "Sommar-Stockholm-2026",
                roles: &[role],
            };
            create_if_missing(db, clock, staff).await.expect("staff");
        }
        let (handler, _) = login(
            db,
            clock,
            Locale::Sv,
            "handlaggare",
            "Sommar-Stockholm-2026",
            &Origin::default(),
        )
        .await
        .expect("login");
        let actor = Actor {
            account_id: Some(handler.account_id.clone()),
            label: "Håkan".into(),
            ip: None,
        };
        let new = |username: &'static str, email: &'static str, role: &'static str| Invite {
            username,
            email,
            display_name: "Karin Berg",
            role,
        };
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM accounts")
                .fetch_one(&db.pool)
                .await
                .expect("count")
        };

        let bad = invite(
            &t.state,
            &handler,
            &actor,
            Locale::Sv,
            new("två ord", "inte-en-adress", "kejsare"),
        )
        .await;
        let AppError::Validation(fields) = bad.expect_err("bad input") else {
            panic!()
        };
        let named: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["username", "email", "role"]);
        let staff_role = invite(
            &t.state,
            &handler,
            &actor,
            Locale::Sv,
            new("karin", "karin@exempel.se", "body_admin"),
        )
        .await;
        assert!(
            staff_role
                .expect_err("not allowed")
                .field_text("role", Locale::Sv)
                .is_some_and(|m| m.contains("administratör"))
        );
        assert_eq!(
            count().await,
            2,
            "{:?}: refused input changes nothing",
            t.backend()
        );

        invite(
            &t.state,
            &handler,
            &actor,
            Locale::Sv,
            new("karin", "karin@exempel.se", "holder"),
        )
        .await
        .expect("invite");
        let dup_name = invite(
            &t.state,
            &handler,
            &actor,
            Locale::Sv,
            new("karin", "annan@exempel.se", "holder"),
        )
        .await;
        assert_eq!(
            dup_name
                .expect_err("taken")
                .field_text("username", Locale::Sv)
                .as_deref(),
            Some("Användarnamnet är upptaget")
        );
        let dup_email = invite(
            &t.state,
            &handler,
            &actor,
            Locale::Sv,
            new("karin2", "karin@exempel.se", "holder"),
        )
        .await;
        assert_eq!(
            dup_email
                .expect_err("taken")
                .field_text("email", Locale::Sv)
                .as_deref(),
            Some("Det finns redan ett konto med den e-postadressen"),
            "{:?}",
            t.backend()
        );
        // Regardless of case: "KARIN" is Karin's name, and so is her address in capitals.
        let shouted = invite(
            &t.state,
            &handler,
            &actor,
            Locale::Sv,
            new("KARIN", "KARIN@EXEMPEL.SE", "holder"),
        )
        .await
        .expect_err("taken regardless of case");
        assert_eq!(
            shouted.field_text("username", Locale::Sv).as_deref(),
            Some("Användarnamnet är upptaget"),
            "{:?}: {shouted:?}",
            t.backend()
        );

        let e = login(db, clock, Locale::Sv, "karin", "", &Origin::default())
            .await
            .expect_err("no password yet");
        assert!(e.field_message("password").is_some(), "{e:?}");
        let sealed: String = sqlx::query_scalar(
            "SELECT body_text FROM outbox WHERE to_address = 'karin@exempel.se'",
        )
        .fetch_one(&db.pool)
        .await
        .expect("activation email");
        let body = t.state.config.keys.open(&sealed).expect("our key opens it");
        assert!(body.contains("sju dagar"));
        let at = body.find("token=").expect("link") + "token=".len();
        let token = body[at..].split_whitespace().next().expect("token");
        clock.advance(chrono::Duration::days(6));
        reset_password(
            db,
            clock,
            token,
            "Skärgård-Måsar-Flyger-71",
            "Skärgård-Måsar-Flyger-71",
            &Origin::default(),
        )
        .await
        .expect("activate");
        let (karin, _) = login(
            db,
            clock,
            Locale::Sv,
            "karin",
            "Skärgård-Måsar-Flyger-71",
            &Origin::default(),
        )
        .await
        .expect("signs in");
        assert!(karin.has(app::auth::model::Role::Holder));
    }
}

#[tokio::test]
async fn staff_grant_and_revoke_roles_with_their_scope() {
    use app::accounts::roles::{GrantRequest, grant, revoke};
    use app::auth::model::{CurrentUser, Grant, Role};
    use app::error::AppError;
    use app::events::service::Actor;

    for t in databases().await {
        let s = &t.state;
        let actor = Actor::system("test");
        let staff = |role: Role| CurrentUser {
            account_id: "staff".into(),
            username: "staff".into(),
            display_name: "Staff".into(),
            grants: vec![Grant {
                role,
                scope: String::new(),
            }],
            person_id: None,
        };
        let (handler, body_admin) = (staff(Role::Handler), staff(Role::BodyAdmin));
        create_if_missing(
            t.db(),
            &s.clock,
            NewAccount {
                username: "karin",
                email: "karin@exempel.se",
                display_name: "Karin Berg",
                password: "Ett-bra-lösenord-1",
                roles: &[],
            },
        )
        .await
        .expect("account");
        let id: String = sqlx::query_scalar("SELECT id FROM accounts WHERE username = 'karin'")
            .fetch_one(&t.db().pool)
            .await
            .expect("id");
        let person = app::people::service::create(
            s,
            &actor,
            "19850709-9805",
            &app::people::model::PersonDetails {
                first_name: "Karin".into(),
                last_name: "Berg".into(),
                communication: "digital".into(),
                ..Default::default()
            },
        )
        .await
        .expect("person");
        let request = |role: &'static str, orgnr: &'static str, pnr: &'static str| GrantRequest {
            account_id: id.as_str(),
            role,
            orgnr,
            pnr,
        };

        let e = grant(s, &handler, &actor, &request("handler", "", "")).await;
        assert!(e.expect_err("staff role").field_message("role").is_some());
        let e = grant(
            s,
            &handler,
            &actor,
            &request("company_admin", "5560160680", ""),
        )
        .await;
        assert!(
            e.expect_err("unknown company")
                .field_message("orgnr")
                .is_some()
        );
        let e = grant(s, &handler, &actor, &request("holder", "", "19850709-9806")).await;
        assert!(e.expect_err("bad pnr").field_message("pnr").is_some());

        grant(s, &handler, &actor, &request("holder", "", "850709-9805"))
            .await
            .expect("holder");
        let linked: Option<String> =
            sqlx::query_scalar("SELECT account_id FROM people WHERE id = $1")
                .bind(&person)
                .fetch_one(&t.db().pool)
                .await
                .expect("person");
        assert_eq!(
            linked.as_deref(),
            Some(id.as_str()),
            "the holder is linked to the person"
        );
        let e = grant(s, &handler, &actor, &request("holder", "", "850709-9805")).await;
        assert!(e.expect_err("held").field_message("role").is_some());
        grant(s, &body_admin, &actor, &request("handler", "", ""))
            .await
            .expect("a body admin grants staff roles");
        assert_eq!(
            roles_of(t.db(), "karin").await.expect("roles"),
            vec!["handler", "holder"]
        );

        assert_eq!(
            revoke(s, &handler, &actor, &id, "handler", "").await,
            Err(AppError::Forbidden),
            "a handler does not take staff roles"
        );
        revoke(s, &handler, &actor, &id, "holder", "")
            .await
            .expect("revoke");
        let linked: Option<String> =
            sqlx::query_scalar("SELECT account_id FROM people WHERE id = $1")
                .bind(&person)
                .fetch_one(&t.db().pool)
                .await
                .expect("person");
        assert_eq!(linked, None, "unlinked with the role");
        assert_eq!(
            roles_of(t.db(), "karin").await.expect("roles"),
            vec!["handler"]
        );
    }
}

#[tokio::test]
async fn nobody_grants_a_role_to_themselves_and_a_company_admin_is_a_person() {
    use app::accounts::roles::{GrantRequest, grant};
    use app::auth::model::{CurrentUser, Grant, Role};
    use app::events::service::Actor;
    use app::i18n::Locale;
    for t in databases().await {
        let s = &t.state;
        let staff = Actor::system("test");
        app::companies::service::create(
            s,
            &staff,
            "5560160680",
            &app::companies::model::CompanyDetails {
                name: "Kyl AB".into(),
                billing_method: "post".into(),
                ..Default::default()
            },
        )
        .await
        .expect("company");
        for name in ["hakan", "karin"] {
            create_if_missing(
                t.db(),
                &s.clock,
                NewAccount {
                    username: name,
                    email: &format!("{name}@exempel.se"),
                    display_name: name,
                    password: "Sommar-Stockholm-2026",
                    roles: &[],
                },
            )
            .await
            .expect("account");
        }
        let pool = t.db().pool.clone();
        let id = |name: &'static str| {
            let pool = pool.clone();
            async move {
                sqlx::query_scalar::<_, String>("SELECT id FROM accounts WHERE username = $1")
                    .bind(name)
                    .fetch_one(&pool)
                    .await
                    .expect("id")
            }
        };
        let hakan = CurrentUser {
            account_id: id("hakan").await,
            username: "hakan".into(),
            display_name: "Håkan".into(),
            grants: vec![Grant {
                role: Role::BodyAdmin,
                scope: String::new(),
            }],
            person_id: None,
        };
        let me = Actor {
            account_id: Some(hakan.account_id.clone()),
            label: "Håkan".into(),
            ip: None,
        };
        // A handler who makes himself company admin could attest; one who makes himself a
        // holder could read anyone's certificates.
        for (role, orgnr) in [
            ("company_admin", "5560160680"),
            ("holder", ""),
            ("handler", ""),
        ] {
            let own = GrantRequest {
                account_id: &hakan.account_id,
                role,
                orgnr,
                pnr: "19850709-9805",
            };
            let e = grant(s, &hakan, &me, &own).await.expect_err(role);
            assert_eq!(
                e.field_text("role", Locale::Sv).as_deref(),
                Some(
                    "Du kan inte ge dig själv en roll. Be en annan handläggare eller administratör."
                ),
                "{role}"
            );
        }
        // Karin has no person: she cannot be a company admin until she is one.
        let karin = id("karin").await;
        let admin = |pnr: &'static str| GrantRequest {
            account_id: &karin,
            role: "company_admin",
            orgnr: "5560160680",
            pnr,
        };
        let e = grant(s, &hakan, &me, &admin(""))
            .await
            .expect_err("no person");
        assert!(
            e.field_text("role", Locale::Sv)
                .is_some_and(|m| m.contains("kopplad till en person"))
        );
        app::people::service::create(
            s,
            &staff,
            "19850709-9805",
            &app::people::model::PersonDetails {
                first_name: "Karin".into(),
                last_name: "Berg".into(),
                communication: "digital".into(),
                ..Default::default()
            },
        )
        .await
        .expect("person");
        grant(s, &hakan, &me, &admin("850709-9805"))
            .await
            .expect("linked and granted");
        assert_eq!(
            roles_of(t.db(), "karin").await.expect("roles"),
            vec!["company_admin"],
            "{:?}",
            t.backend()
        );
        let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM security_events")
            .fetch_all(&t.db().pool)
            .await
            .expect("security events");
        assert!(
            kinds.contains(&"role_granted".to_owned()),
            "a role change is a security event"
        );
    }
}
