//! The event log's hash chain against real databases.
#![cfg(feature = "ssr")]

use app::events::service::{
    Actor, Broken, GENESIS, Subject, append, checkpoint, checkpoint_if_due, list, verify,
    verify_all,
};
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
        let mut tx = db.begin().await.expect("begin");
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
        let keys = &t.state.config.keys;
        assert_eq!(verify_all(db, clock, keys).await.expect("all"), Ok((2, 5)));
    }
}

/// An attacker with the database but not the server's key: the log refuses changes (the
/// triggers), and when the triggers are dropped first, `verify-events` finds what was done.
async fn tamper(db: &app::db::Db, sql: &str) {
    let drop: String = ["events", "event_checkpoints"]
        .iter()
        .map(|table| match db.backend {
            app::db::Backend::Sqlite => format!(
                "DROP TRIGGER IF EXISTS {table}_no_update; DROP TRIGGER IF EXISTS {table}_no_delete;"
            ),
            app::db::Backend::Postgres => format!(
                "DROP TRIGGER IF EXISTS {table}_append_only ON {table}; \
                 DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};"
            ),
        })
        .collect();
    sqlx::raw_sql(&drop)
        .execute(&db.pool)
        .await
        .expect("drop triggers");
    sqlx::raw_sql(sql).execute(&db.pool).await.expect("tamper");
}

/// A fresh log of three subjects, two entries each, with a signed checkpoint at its end.
async fn logged(t: &app::testing::TestDb) {
    let (db, clock) = (t.db(), &t.state.clock);
    let mut tx = db.begin().await.expect("begin");
    for id in ["a", "b", "c"] {
        for action in ["issued", "extended"] {
            append(
                &mut tx,
                clock,
                Subject {
                    kind: "certificate",
                    id,
                },
                &Actor::system("test"),
                action,
                json!({}),
            )
            .await
            .expect("append");
        }
    }
    tx.commit().await.expect("commit");
    checkpoint(db, clock, &t.state.config.keys)
        .await
        .expect("checkpoint");
}

fn sha(fields: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for f in fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What an attacker who knows the (public) hashing but not the key can do: change the first
/// entry and re-hash every subject chain and every global link after it, head included.
async fn rewrite(db: &app::db::Db) -> usize {
    type Row = (
        String,
        String,
        String,
        i64,
        String,
        Option<String>,
        String,
        String,
        String,
        Option<String>,
        i64,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, subject_type, subject_id, seq, at, actor_id, actor_label, action, details, ip, gseq
         FROM events ORDER BY gseq",
    )
    .fetch_all(&db.pool)
    .await
    .expect("rows");
    let mut sql = String::new();
    let mut last: std::collections::HashMap<(String, String), String> = Default::default();
    let mut link = GENESIS.to_owned();
    for (id, kind, subject, seq, at, actor, label, action, details, ip, gseq) in &rows {
        let details = if *gseq == 1 {
            r#"{"forged":true}"#
        } else {
            details.as_str()
        };
        let prev = last
            .get(&(kind.clone(), subject.clone()))
            .cloned()
            .unwrap_or(GENESIS.to_owned());
        let hash = sha(&[
            &prev,
            kind,
            subject,
            &seq.to_string(),
            at,
            actor.as_deref().unwrap_or(""),
            label,
            action,
            details,
            ip.as_deref().unwrap_or(""),
        ]);
        link = sha(&[&link, &gseq.to_string(), &hash]);
        last.insert((kind.clone(), subject.clone()), hash.clone());
        sql.push_str(&format!(
            "UPDATE events SET details = '{details}', prev_hash = '{prev}', hash = '{hash}', link_hash = '{link}' WHERE id = '{id}';\n"
        ));
    }
    sql.push_str(&format!("UPDATE event_head SET link_hash = '{link}';"));
    tamper(db, &sql).await;
    rows.len()
}

fn kinds(broken: &[Broken]) -> Vec<&'static str> {
    broken
        .iter()
        .map(|b| match b {
            Broken::Subject { .. } => "subject",
            Broken::Chain { .. } => "chain",
            Broken::Head { .. } => "head",
            Broken::ForgedCheckpoint { .. } => "forged",
            Broken::Checkpoint { .. } => "checkpoint",
            Broken::Uncovered { .. } => "uncovered",
        })
        .collect()
}

#[tokio::test]
async fn the_log_refuses_changes_and_deletions() {
    for t in databases().await {
        logged(&t).await;
        let db = t.db();
        for sql in [
            "UPDATE events SET details = '{}' WHERE subject_id = 'a'",
            "DELETE FROM events WHERE subject_id = 'c'",
            "DELETE FROM event_checkpoints",
        ] {
            let e = sqlx::query(sql)
                .execute(&db.pool)
                .await
                .expect_err("append-only");
            assert!(
                e.to_string().contains("is append-only"),
                "{:?}: {sql}: {e}",
                t.backend()
            );
        }
        if db.backend == app::db::Backend::Postgres {
            let e = sqlx::query("TRUNCATE events")
                .execute(&db.pool)
                .await
                .expect_err("append-only");
            assert!(e.to_string().contains("is append-only"), "{e}");
        }
        assert_eq!(
            verify_all(db, &t.state.clock, &t.state.config.keys)
                .await
                .expect("verify"),
            Ok((3, 6))
        );
    }
}

#[tokio::test]
async fn a_cut_tail_a_deleted_subject_and_a_rewritten_chain_are_found() {
    for t in databases().await {
        // The tail: the last entries deleted, even with the head moved back to match.
        logged(&t).await;
        let (db, keys, clock) = (t.db(), &t.state.config.keys, &t.state.clock);
        tamper(
            db,
            "DELETE FROM events WHERE subject_id = 'c' AND seq = 2;
             UPDATE event_head SET gseq = 5, link_hash = (SELECT link_hash FROM events WHERE gseq = 5)",
        )
        .await;
        let broken = verify_all(db, clock, keys)
            .await
            .expect("verify")
            .expect_err("cut");
        assert_eq!(
            kinds(&broken),
            ["checkpoint"],
            "{:?}: {broken:?}",
            t.backend()
        );
    }
    for t in databases().await {
        // A whole subject: its chain is gone, and so are entries of the global one.
        logged(&t).await;
        let (db, keys, clock) = (t.db(), &t.state.config.keys, &t.state.clock);
        tamper(db, "DELETE FROM events WHERE subject_id = 'b'").await;
        let broken = verify_all(db, clock, keys)
            .await
            .expect("verify")
            .expect_err("deleted");
        assert!(
            kinds(&broken).contains(&"chain"),
            "{:?}: {broken:?}",
            t.backend()
        );
    }
    for t in databases().await {
        // Rewritten and re-hashed from the first entry on, head and all: every link follows,
        // but the signed checkpoint no longer matches, and none can be signed without the key.
        logged(&t).await;
        let (db, keys, clock) = (t.db(), &t.state.config.keys, &t.state.clock);
        let forged = rewrite(db).await;
        assert_eq!(forged, 6);
        let broken = verify_all(db, clock, keys)
            .await
            .expect("verify")
            .expect_err("rewritten");
        assert_eq!(
            kinds(&broken),
            ["checkpoint"],
            "{:?}: {broken:?}",
            t.backend()
        );
        // A checkpoint signed with another key is found as forged.
        checkpoint(db, clock, &app::keys::Keys::random())
            .await
            .expect("forged checkpoint");
        let broken = verify_all(db, clock, keys)
            .await
            .expect("verify")
            .expect_err("forged");
        assert!(kinds(&broken).contains(&"forged"));
    }
}

#[tokio::test]
async fn checkpoints_are_chained_hourly_and_cover_every_day_old_entry() {
    for t in databases().await {
        logged(&t).await;
        let (db, keys, clock) = (t.db(), &t.state.config.keys, &t.state.clock);
        // Nothing new since the checkpoint: the hourly job signs nothing until a day passed.
        assert!(!checkpoint_if_due(db, clock, keys).await.expect("due"));
        let subject = Subject {
            kind: "certificate",
            id: "d",
        };
        let mut tx = db.begin().await.expect("begin");
        append(
            &mut tx,
            clock,
            subject,
            &Actor::system("test"),
            "issued",
            json!({}),
        )
        .await
        .expect("append");
        tx.commit().await.expect("commit");
        clock.advance(chrono::Duration::hours(1));
        assert!(checkpoint_if_due(db, clock, keys).await.expect("grew"));
        clock.advance(chrono::Duration::hours(1));
        assert!(!checkpoint_if_due(db, clock, keys).await.expect("same"));
        clock.advance(chrono::Duration::days(1));
        assert!(checkpoint_if_due(db, clock, keys).await.expect("a day"));
        assert_eq!(
            verify_all(db, clock, keys).await.expect("verify"),
            Ok((4, 7))
        );

        // A checkpoint deleted from between two others breaks the next one's chain, and what
        // that one signed counts as uncovered.
        tamper(
            db,
            "DELETE FROM event_checkpoints WHERE id = (SELECT id FROM event_checkpoints ORDER BY gseq, at, id LIMIT 1 OFFSET 1)",
        )
        .await;
        let broken = verify_all(db, clock, keys)
            .await
            .expect("verify")
            .expect_err("deleted");
        assert_eq!(
            kinds(&broken),
            ["forged", "uncovered"],
            "{:?}: {broken:?}",
            t.backend()
        );

        // Every checkpoint deleted: entries older than a day are covered by none.
        tamper(db, "DELETE FROM event_checkpoints").await;
        let broken = verify_all(db, clock, keys)
            .await
            .expect("verify")
            .expect_err("uncovered");
        assert_eq!(
            kinds(&broken),
            ["uncovered"],
            "{:?}: {broken:?}",
            t.backend()
        );
    }
}

#[tokio::test]
async fn account_changes_are_logged_with_who_and_where() {
    use app::accounts::service::{NewAccount, create_if_missing};
    use app::auth::service::{Origin, PasswordChange, change_password, login};
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
            ip: Some("192.0.2.7".parse().expect("ip")),
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
        change_password(db, clock, &user, &token, change, &origin)
            .await
            .expect("change");

        let events = list(db, Subject::account(&user.account_id))
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
            verify(db, Subject::account(&user.account_id))
                .await
                .expect("verify"),
            Ok(3)
        );
    }
}
