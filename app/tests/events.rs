//! The event log's hash chain against real databases.
#![cfg(feature = "ssr")]

use app::events::service::{Actor, GENESIS, Subject, append, list, verify, verify_all};
use app::testing::databases;
use serde_json::json;

#[tokio::test]
async fn entries_chain_and_tampering_is_found() {
    for t in databases().await {
        let (db, clock) = (t.db(), &t.state.clock);
        let cert = Subject {
            kind: "certificate",
            id: "c-1",
        };
        let other = Subject {
            kind: "certificate",
            id: "c-2",
        };
        let actor = Actor {
            account_id: Some("a-1".into()),
            label: "Anna Svensson".into(),
            ip: Some("10.0.0.1".into()),
        };
        let mut tx = db.pool.begin().await.expect("begin");
        for (i, action) in ["issued", "extended", "extended"].iter().enumerate() {
            append(&mut tx, clock, cert, &actor, action, json!({ "n": i }))
                .await
                .expect("append");
        }
        append(
            &mut tx,
            clock,
            other,
            &Actor::system("daily job"),
            "inactivated",
            json!({}),
        )
        .await
        .expect("append");
        append(
            &mut tx,
            clock,
            other,
            &Actor::system("daily job"),
            "expired",
            json!({}),
        )
        .await
        .expect("append");
        tx.commit().await.expect("commit");

        let events = list(db, cert).await.expect("list");
        assert_eq!(
            events.iter().map(|e| e.seq).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert_eq!(events[0].prev_hash, GENESIS);
        assert_eq!(events[1].prev_hash, events[0].hash);
        assert_eq!(events[2].actor_label, "Anna Svensson");
        assert_eq!(verify(db, cert).await.expect("verify"), Ok(3));
        assert_eq!(verify_all(db).await.expect("all"), Ok((2, 5)));

        // A changed entry breaks its chain where it was changed.
        sqlx::query(
            "UPDATE events SET details = '{\"n\":99}' WHERE subject_id = 'c-1' AND seq = 2",
        )
        .execute(&db.pool)
        .await
        .expect("tamper");
        assert_eq!(
            verify(db, cert).await.expect("verify").map_err(|b| b.seq),
            Err(2),
            "{:?}",
            t.backend()
        );
        // A removed entry too.
        sqlx::query("DELETE FROM events WHERE subject_id = 'c-2' AND seq = 1")
            .execute(&db.pool)
            .await
            .expect("remove");
        let broken = verify_all(db)
            .await
            .expect("all")
            .expect_err("two broken chains");
        assert_eq!(
            broken
                .iter()
                .map(|b| (b.id.as_str(), b.seq))
                .collect::<Vec<_>>(),
            vec![("c-1", 2), ("c-2", 2)]
        );
    }
}

#[tokio::test]
async fn account_changes_are_logged_with_who_and_where() {
    use app::accounts::service::{NewAccount, create_if_missing};
    use app::auth::service::{Origin, PasswordChange, account_subject, change_password, login};
    use app::i18n::Locale;
    for t in databases().await {
        let (db, clock) = (t.db(), &t.state.clock);
        let password = "Sommar-Stockholm-2026";
        let new = NewAccount {
            username: "erik",
            email: "erik@exempel.se",
            display_name: "Erik",
            password,
            roles: &[],
        };
        create_if_missing(db, clock, new).await.expect("create");
        let origin = Origin {
            ip: Some("192.0.2.7".into()),
            user_agent: None,
        };
        let (user, token) = login(db, clock, Locale::Sv, "erik", password, &origin)
            .await
            .expect("login");
        let change = PasswordChange {
            current: password,
            new: "Höst-Göteborg-2026",
            confirm: "Höst-Göteborg-2026",
        };
        change_password(db, clock, Locale::Sv, &user, &token, change, &origin)
            .await
            .expect("change");

        let events = list(db, account_subject(&user.account_id))
            .await
            .expect("list");
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            vec!["account.created", "signed_in", "password.changed"],
            "{:?}",
            t.backend()
        );
        assert_eq!(events[2].ip.as_deref(), Some("192.0.2.7"));
        assert_eq!(
            events[2].actor_id.as_deref(),
            Some(user.account_id.as_str())
        );
        assert_eq!(
            verify(db, account_subject(&user.account_id))
                .await
                .expect("verify"),
            Ok(3)
        );
    }
}
