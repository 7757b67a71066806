//! Many pages rendered at once on one runtime, as a server does: none may hang.

mod common;

use app::testing::sqlite;
use common::{get, router, send};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_page_renders_all_finish() {
    let t = sqlite().await;
    let r = router(t.state.clone());
    let mut tasks = Vec::new();
    for i in 0..300 {
        let r = r.clone();
        let path = ["/", "/outbox", "/account", "/login", "/finns-inte"][i % 5];
        tasks.push(tokio::spawn(
            async move { send(&r, get(path)).await.0.status() },
        ));
    }
    let all = async {
        for task in tasks {
            task.await.expect("task");
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), all)
        .await
        .expect("every render finishes");
}
