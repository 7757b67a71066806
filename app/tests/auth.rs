//! Signing in, throttling, sessions and password changes against real databases.
#![cfg(feature = "ssr")]

use app::accounts::service::{NewAccount, create_if_missing};
use app::auth::service::{Origin, PasswordChange, change_password, login};
use app::auth::session;
use app::error::AppError;
use app::i18n::Locale;
use app::testing::{TestDb, databases};
use chrono::Duration;

const PASSWORD: &str = "Sommar-Stockholm-2026";

async fn with_account(t: &TestDb) {
    let new = NewAccount {
        username: "anna",
        email: "Anna.Svensson@exempel.se",
        display_name: "Anna Svensson",
        password: PASSWORD,
        roles: &["holder"],
    };
    assert!(
        create_if_missing(t.db(), &t.state.clock, new)
            .await
            .expect("account")
    );
}

fn pw<'a>(current: &'a str, new: &'a str, confirm: &'a str) -> PasswordChange<'a> {
    PasswordChange {
        current,
        new,
        confirm,
    }
}

fn origin(ip: &str) -> Origin {
    Origin {
        ip: Some(ip.parse().expect("an address")),
        user_agent: Some("test".into()),
    }
}

fn message(e: &AppError, field: &str) -> String {
    e.field_text(field, Locale::Sv).unwrap_or_default()
}

#[tokio::test]
async fn signs_in_by_username_or_email_with_a_fresh_session_each_time() {
    for t in databases().await {
        with_account(&t).await;
        let (db, clock) = (t.db(), &t.state.clock);
        let (user, first) = login(db, clock, Locale::Sv, "anna", PASSWORD, &origin("10.0.0.1"))
            .await
            .expect("by name");
        assert_eq!(user.display_name, "Anna Svensson");
        assert!(user.has(app::auth::model::Role::Holder));
        let (_, second) = login(
            db,
            clock,
            Locale::Sv,
            " anna.svensson@EXEMPEL.se ",
            PASSWORD,
            &origin("10.0.0.1"),
        )
        .await
        .expect("by email");
        assert_ne!(
            first,
            second,
            "{:?}: every sign-in gets a new session id",
            t.backend()
        );
        assert!(first.len() >= 43, "256 random bits");

        let stored: Vec<String> = sqlx::query_scalar("SELECT id_hash FROM sessions")
            .fetch_all(&db.pool)
            .await
            .expect("ids");
        assert!(
            !stored.contains(&first),
            "only the hash of a token is stored"
        );
        assert!(stored.contains(&session::token_hash(&first)));

        let wrong_case = login(
            db,
            clock,
            Locale::Sv,
            "anna",
            &PASSWORD.to_lowercase(),
            &origin("10.0.0.1"),
        )
        .await;
        assert!(
            message(&wrong_case.expect_err("case-sensitive"), "username")
                .starts_with("Fel användarnamn eller lösenord")
        );

        // A session ends after 30 minutes idle...
        assert!(
            session::lookup(db, clock, &first)
                .await
                .expect("lookup")
                .is_some()
        );
        clock.advance(Duration::minutes(31));
        assert!(
            session::lookup(db, clock, &first)
                .await
                .expect("lookup")
                .is_none(),
            "{:?}",
            t.backend()
        );
        // ... and 12 hours after sign-in, however busy.
        let (_, second) = login(db, clock, Locale::Sv, "anna", PASSWORD, &origin("10.0.0.1"))
            .await
            .expect("again");
        for _ in 0..(12 * 3 - 1) {
            clock.advance(Duration::minutes(20));
            assert!(
                session::lookup(db, clock, &second)
                    .await
                    .expect("lookup")
                    .is_some(),
                "{:?}: kept alive by requests",
                t.backend()
            );
        }
        clock.advance(Duration::minutes(21));
        assert!(
            session::lookup(db, clock, &second)
                .await
                .expect("lookup")
                .is_none()
        );
        // Ended sessions are deleted.
        assert_eq!(session::purge(db, clock).await.expect("purge"), 3);
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(&db.pool)
            .await
            .expect("count");
        assert_eq!(left, 0);
    }
}

#[tokio::test]
async fn unknown_names_and_wrong_passwords_answer_alike_and_slow_down_then_lock() {
    for t in databases().await {
        with_account(&t).await;
        let (db, clock) = (t.db(), &t.state.clock);
        let unknown = login(
            db,
            clock,
            Locale::En,
            "nobody",
            PASSWORD,
            &origin("10.0.0.2"),
        )
        .await
        .expect_err("unknown");
        let wrong = login(
            db,
            clock,
            Locale::En,
            "anna",
            "Fel-lösenord-123",
            &origin("10.0.0.2"),
        )
        .await
        .expect_err("wrong");
        assert_eq!(message(&unknown, "username"), message(&wrong, "username"));

        for _ in 0..4 {
            login(
                db,
                clock,
                Locale::Sv,
                "anna",
                "Fel-lösenord-123",
                &origin("10.0.0.2"),
            )
            .await
            .expect_err("wrong");
        }
        // Five failures: the next attempt must wait, even with the right password.
        let waiting = login(db, clock, Locale::Sv, "anna", PASSWORD, &origin("10.0.0.3"))
            .await
            .expect_err("wait");
        assert!(
            message(&waiting, "username").contains("Vänta 30 sekunder"),
            "{:?}: {waiting:?}",
            t.backend()
        );
        clock.advance(Duration::seconds(31));
        for _ in 0..5 {
            login(
                db,
                clock,
                Locale::Sv,
                "anna",
                "Fel-lösenord-123",
                &origin("10.0.0.3"),
            )
            .await
            .expect_err("wrong");
            clock.advance(Duration::seconds(31));
        }
        let locked = login(db, clock, Locale::Sv, "anna", PASSWORD, &origin("10.0.0.4"))
            .await
            .expect_err("locked");
        assert!(
            message(&locked, "username").contains("spärrad i 15 minuter"),
            "{locked:?}"
        );
        clock.advance(Duration::minutes(16));
        login(db, clock, Locale::Sv, "anna", PASSWORD, &origin("10.0.0.4"))
            .await
            .expect("unlocked after the window");
    }
}

#[tokio::test]
async fn password_changes_follow_every_rule_and_end_other_sessions() {
    for t in databases().await {
        with_account(&t).await;
        let (db, clock) = (t.db(), &t.state.clock);
        let (user, here) = login(db, clock, Locale::Sv, "anna", PASSWORD, &Origin::default())
            .await
            .expect("login");
        let (_, elsewhere) = login(db, clock, Locale::Sv, "anna", PASSWORD, &Origin::default())
            .await
            .expect("login");

        let weak = change_password(
            db,
            clock,
            &user,
            &here,
            pw("fel", "kort", "annat"),
            &Origin::default(),
        )
        .await
        .expect_err("weak");
        let AppError::Validation(fields) = &weak else {
            panic!("{weak:?}")
        };
        let messages: Vec<String> = fields
            .iter()
            .filter_map(|f| f.message.as_ref().map(|m| Locale::Sv.msg(m)))
            .collect();
        assert_eq!(
            messages,
            vec![
                "Det nuvarande lösenordet är fel",
                "Lösenordet måste bestå av minst 12 tecken",
                "Lösenordet måste innehålla minst en stor bokstav",
                "Lösenordet måste innehålla minst en siffra eller ett specialtecken (t.ex. !, $, #, %, &)",
                "Lösenorden är inte lika",
            ],
            "{:?}",
            t.backend()
        );

        let same = change_password(
            db,
            clock,
            &user,
            &here,
            pw(PASSWORD, PASSWORD, PASSWORD),
            &Origin::default(),
        )
        .await
        .expect_err("same");
        assert!(message(&same, "new").contains("sju senaste"), "{same:?}");

        let mut current = PASSWORD.to_owned();
        for i in 1..=7 {
            let next = format!("Vårdkase-Ljung-{i}7");
            change_password(
                db,
                clock,
                &user,
                &here,
                pw(&current, &next, &next),
                &Origin::default(),
            )
            .await
            .expect("change");
            current = next;
        }
        assert!(
            session::lookup(db, clock, &here)
                .await
                .expect("here")
                .is_some(),
            "this session stays"
        );
        assert!(
            session::lookup(db, clock, &elsewhere)
                .await
                .expect("elsewhere")
                .is_none(),
            "other sessions end"
        );
        // Seven changes later the first password may come back, but not the second.
        let second = "Vårdkase-Ljung-17";
        let refused = change_password(
            db,
            clock,
            &user,
            &here,
            pw(&current, second, second),
            &Origin::default(),
        )
        .await
        .expect_err("one of the last seven");
        assert_eq!(
            refused.field_text("new", Locale::Sv).as_deref(),
            Some("Du kan inte byta till ett lösenord som du haft de sju senaste gångerna"),
            "{:?}: {refused:?}",
            t.backend()
        );
        change_password(
            db,
            clock,
            &user,
            &here,
            pw(&current, PASSWORD, PASSWORD),
            &Origin::default(),
        )
        .await
        .expect("eighth back");
        login(db, clock, Locale::Sv, "anna", PASSWORD, &Origin::default())
            .await
            .expect("new password works");
    }
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    for t in databases().await {
        with_account(&t).await;
        let (db, clock) = (t.db(), &t.state.clock);
        let (user, a) = login(db, clock, Locale::Sv, "anna", PASSWORD, &Origin::default())
            .await
            .expect("a");
        let (_, b) = login(db, clock, Locale::Sv, "anna", PASSWORD, &Origin::default())
            .await
            .expect("b");
        assert_eq!(
            session::delete_all(db, &user.account_id)
                .await
                .expect("all"),
            2
        );
        for token in [a, b] {
            assert!(
                session::lookup(db, clock, &token)
                    .await
                    .expect("lookup")
                    .is_none()
            );
        }
    }
}

fn link_token(body: &str) -> String {
    let at =
        body.find("/reset-password?token=").expect("a reset link") + "/reset-password?token=".len();
    body[at..]
        .split_whitespace()
        .next()
        .expect("token")
        .to_owned()
}

/// The newest email, opened with the server's key (a reset link rests sealed).
async fn last_email(t: &TestDb) -> (String, String) {
    let (to, body): (String, String) = sqlx::query_as(
        "SELECT to_address, body_text FROM outbox ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .fetch_one(&t.db().pool)
    .await
    .expect("an email");
    assert!(!body.contains("token="), "sealed at rest");
    (
        to,
        t.state.config.keys.open(&body).expect("our key opens it"),
    )
}

#[tokio::test]
async fn a_reset_link_is_emailed_valid_one_hour_and_used_once() {
    use app::auth::service::{request_reset, reset_password};
    for t in databases().await {
        with_account(&t).await;
        let (db, clock, config) = (t.db(), &t.state.clock, &t.state.config);
        let (_, session_before) =
            login(db, clock, Locale::Sv, "anna", PASSWORD, &Origin::default())
                .await
                .expect("login");

        request_reset(
            db,
            clock,
            config,
            Locale::Sv,
            "nobody@exempel.se",
            &Origin::default(),
        )
        .await
        .expect("same answer for no account");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(&db.pool)
            .await
            .expect("count");
        assert_eq!(count, 0, "no email for an account that does not exist");

        request_reset(
            db,
            clock,
            config,
            Locale::Sv,
            "ANNA.svensson@exempel.se",
            &Origin::default(),
        )
        .await
        .expect("request");
        let (to, body) = last_email(&t).await;
        assert_eq!(to, "Anna.Svensson@exempel.se");
        assert!(body.contains("gäller i en timme"));
        let token = link_token(&body);
        let stored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM account_tokens WHERE token_hash = $1")
                .bind(&token)
                .fetch_one(&db.pool)
                .await
                .expect("count");
        assert_eq!(stored, 0, "the token itself is never stored");

        let weak = reset_password(db, clock, &token, "kort", "kort", &Origin::default())
            .await
            .expect_err("weak");
        assert!(message(&weak, "new").contains("minst 12 tecken"));
        let new = "Höst-Göteborg-2026";
        reset_password(db, clock, &token, new, new, &Origin::default())
            .await
            .expect("reset");
        assert!(
            session::lookup(db, clock, &session_before)
                .await
                .expect("lookup")
                .is_none(),
            "signed out everywhere"
        );
        login(db, clock, Locale::Sv, "anna", new, &Origin::default())
            .await
            .expect("the new password works");

        let again = reset_password(
            db,
            clock,
            &token,
            "Vinter-Malmö-2026",
            "Vinter-Malmö-2026",
            &Origin::default(),
        )
        .await;
        assert!(
            message(&again.expect_err("used"), "token").contains("redan använts"),
            "{:?}",
            t.backend()
        );
        let forged = reset_password(
            db,
            clock,
            "forged",
            "Vinter-Malmö-2026",
            "Vinter-Malmö-2026",
            &Origin::default(),
        )
        .await;
        assert!(message(&forged.expect_err("forged"), "token").contains("ogiltig"));

        request_reset(db, clock, config, Locale::En, "anna", &Origin::default())
            .await
            .expect("request");
        let late = link_token(&last_email(&t).await.1);
        clock.advance(Duration::minutes(61));
        let expired = reset_password(
            db,
            clock,
            &late,
            "Vinter-Malmö-2026",
            "Vinter-Malmö-2026",
            &Origin::default(),
        )
        .await;
        assert!(
            expired
                .expect_err("expired")
                .field_text("token", Locale::En)
                .is_some_and(|m| m.contains("expired")),
            "{:?}",
            t.backend()
        );
        login(db, clock, Locale::Sv, "anna", new, &Origin::default())
            .await
            .expect("nothing changed");
    }
}

#[tokio::test]
async fn attempts_at_the_same_moment_are_throttled_as_one_after_another() {
    for t in databases().await {
        with_account(&t).await;
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let s = t.state.clone();
                tokio::spawn(async move {
                    login(
                        &s.db,
                        &s.clock,
                        Locale::Sv,
                        "anna",
                        "Fel-lösenord-123",
                        &origin(&format!("10.1.0.{i}")),
                    )
                    .await
                    .expect_err("wrong")
                })
            })
            .collect();
        let mut tried = 0;
        for task in tasks {
            let e = task.await.expect("task");
            if message(&e, "username").starts_with("Fel användarnamn") {
                tried += 1;
            }
        }
        // Before the fix every one of the twenty reached the password check.
        assert!(
            tried <= 5,
            "{:?}: {tried} passwords were tried",
            t.backend()
        );
    }
}

#[tokio::test]
async fn long_names_and_passwords_cost_nothing_and_change_nothing() {
    for t in databases().await {
        with_account(&t).await;
        let (db, clock) = (t.db(), &t.state.clock);
        let huge = "a".repeat(100_000);
        let e = login(db, clock, Locale::Sv, &huge, &huge, &origin("10.0.0.9"))
            .await
            .expect_err("refused");
        assert!(message(&e, "username").starts_with("Fel användarnamn"));
        let longest: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(LENGTH(key)), 0) FROM login_failures")
                .fetch_one(&db.pool)
                .await
                .expect("keys");
        assert!(longest <= 300, "{longest}");
        let e = login(
            db,
            clock,
            Locale::Sv,
            "anna",
            &format!("{PASSWORD}{huge}"),
            &origin("10.0.0.9"),
        )
        .await
        .expect_err("not the password");
        assert!(message(&e, "username").starts_with("Fel användarnamn"));
    }
}

#[tokio::test]
async fn guessable_passwords_are_refused_with_a_plain_message() {
    for t in databases().await {
        with_account(&t).await;
        let (db, clock) = (t.db(), &t.state.clock);
        let (user, here) = login(db, clock, Locale::Sv, "anna", PASSWORD, &Origin::default())
            .await
            .expect("login");
        let e = change_password(
            db,
            clock,
            &user,
            &here,
            pw(PASSWORD, "Password1234", "Password1234"),
            &Origin::default(),
        )
        .await
        .expect_err("guessable");
        assert_eq!(
            message(&e, "new"),
            "Lösenordet är för lätt att gissa. Använd en längre fras med flera ord, gärna något bara du vet."
        );
        // One's own name with a year is guessable too.
        let e = change_password(
            db,
            clock,
            &user,
            &here,
            pw(PASSWORD, "Svensson2026!", "Svensson2026!"),
            &Origin::default(),
        )
        .await
        .expect_err("own name");
        assert!(message(&e, "new").contains("för lätt att gissa"));
    }
}

#[tokio::test]
async fn forgotten_password_requests_are_limited_and_logged() {
    use app::auth::service::request_reset;
    for t in databases().await {
        with_account(&t).await;
        let (db, clock, config) = (t.db(), &t.state.clock, &t.state.config);
        let here = origin("192.0.2.50");
        // Per account, silently: the fourth within an hour sends nothing, and says the same.
        for _ in 0..4 {
            request_reset(db, clock, config, Locale::Sv, "anna", &here)
                .await
                .expect("same answer");
        }
        let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(&db.pool)
            .await
            .expect("count");
        assert_eq!(sent, 3, "{:?}", t.backend());
        // Per address, with a message: ten an hour.
        for i in 0..6 {
            request_reset(db, clock, config, Locale::Sv, &format!("nobody{i}"), &here)
                .await
                .expect("within the limit");
        }
        let e = request_reset(db, clock, config, Locale::Sv, "nobody", &here)
            .await
            .expect_err("limited");
        assert!(message(&e, "username").contains("Försök igen om"));
        // Each request is a security event; so is each failed sign-in.
        let _ = login(db, clock, Locale::Sv, "anna", "Fel-lösenord-123", &here).await;
        let kinds: Vec<String> =
            sqlx::query_scalar("SELECT kind FROM security_events ORDER BY at, id")
                .fetch_all(&db.pool)
                .await
                .expect("events");
        assert_eq!(
            kinds.iter().filter(|k| *k == "reset_requested").count(),
            3 + 6,
            "{kinds:?}"
        );
        assert!(kinds.contains(&"rate_limited".to_owned()));
        assert_eq!(kinds.last().map(String::as_str), Some("login_failed"));
    }
}
