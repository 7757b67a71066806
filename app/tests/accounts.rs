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
        assert!(
            create_if_missing(t.db(), &t.state.clock, weak)
                .await
                .is_err()
        );
        let bad_role = NewAccount {
            username: "y",
            roles: &["emperor"],
            ..new()
        };
        assert!(
            create_if_missing(t.db(), &t.state.clock, bad_role)
                .await
                .is_err()
        );
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
        message: "Det finns redan ett konto med den e-postadressen",
    };
    for t in databases().await {
        let insert = |id: &'static str, username: &'static str| {
            sqlx::query(
                "INSERT INTO accounts (id, username, email, display_name, created_at)
                 VALUES ($1, $2, 'samma@exempel.se', 'X', '2026-01-01T00:00:00.000000Z')",
            )
            .bind(id)
            .bind(username)
            .execute(&t.db().pool)
        };
        insert("a", "a").await.expect("first");
        let err = insert("b", "b").await.expect_err("duplicate email");
        assert_eq!(
            AppError::from_db(err, &[taken]),
            AppError::field("email", "Det finns redan ett konto med den e-postadressen"),
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
