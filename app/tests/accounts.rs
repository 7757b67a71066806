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
