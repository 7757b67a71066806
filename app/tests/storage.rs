#![cfg(feature = "ssr")]
//! The document store on a local folder and on a real S3-compatible server (SeaweedFS, which
//! `make test` starts and names in `CERTPORTAL_TEST_S3_URL` and `CERTPORTAL_TEST_S3_ENDPOINT`;
//! with `CERTPORTAL_TEST_REQUIRE_S3=1` a missing server fails the test).

use app::storage::Storage;
use futures_util::TryStreamExt;

/// A fresh local folder, and the test bucket when there is one.
fn storages() -> Vec<(String, Storage, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut all = vec![(
        "local".to_owned(),
        Storage::local(dir.path()).expect("local"),
        Some(dir),
    )];
    all.extend(app::testing::s3_storage().map(|s3| ("s3".to_owned(), s3, None)));
    all
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A file of `size` bytes no other test stores (each run's keys are its own).
fn unique_file(size: usize) -> (tempfile::NamedTempFile, Vec<u8>) {
    let mut bytes = uuid::Uuid::now_v7().as_bytes().to_vec();
    bytes.extend((0..size).map(|i| (i % 251) as u8));
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), &bytes).expect("write");
    (file, bytes)
}

#[tokio::test]
async fn a_file_goes_in_by_parts_comes_back_whole_and_goes() {
    for (name, storage, _dir) in storages() {
        // Three parts of 5 MiB on S3 (the last smaller), twelve of 1 MiB locally.
        let (file, bytes) = unique_file(12 << 20);
        let key = Storage::key(&sha256(&bytes));
        assert!(!storage.exists(&key).await.expect("head"), "{name}");
        storage.put_file(&key, file.path()).await.expect("put");
        assert!(storage.exists(&key).await.expect("head"), "{name}");
        // Stored again: kept as it is.
        storage
            .put_file(&key, file.path())
            .await
            .expect("put again");
        let (size, stream) = storage.get(&key).await.expect("get");
        assert_eq!(size, bytes.len() as u64, "{name}");
        let chunks: Vec<_> = stream.try_collect().await.expect("read");
        assert_eq!(chunks.concat(), bytes, "{name}: the same bytes");
        storage.delete(&key).await.expect("delete");
        assert!(!storage.exists(&key).await.expect("head"), "{name}");
        // Deleting what is gone is no error (a sweep on two servers at once).
        storage.delete(&key).await.expect("delete again");
    }
}

#[tokio::test]
async fn an_orphan_is_swept_and_a_kept_file_stays() {
    use app::events::service::Actor;
    for (name, storage, _dir) in storages() {
        let t = app::testing::sqlite().await;
        let mut s = t.state.clone();
        s.storage = storage;
        // A file stored whose row never committed (a crash in between) goes with the sweep;
        // one a document points at stays.
        let (orphan, orphan_bytes) = unique_file(1000);
        let orphan_key = Storage::key(&sha256(&orphan_bytes));
        s.storage
            .put_file(&orphan_key, orphan.path())
            .await
            .expect("put");
        let person = app::people::service::create(
            &s,
            &Actor::system("test"),
            "19850709-9805",
            &app::people::model::PersonDetails {
                first_name: "Anja".into(),
                last_name: "Åström".into(),
                communication: "digital".into(),
                ..Default::default()
            },
        )
        .await
        .expect("person");
        let (kept, kept_bytes) = unique_file(1000);
        let kept_sha = sha256(&kept_bytes);
        s.storage
            .put_file(&Storage::key(&kept_sha), kept.path())
            .await
            .expect("put");
        app::testing::stored_document(&s, &person, &kept_sha).await;
        // Younger than the grace: kept, an upload may be in flight.
        let gone = app::cases::service::sweep_stored(&s, chrono::Duration::hours(1))
            .await
            .expect("sweep");
        assert_eq!(gone, 0, "{name}");
        let gone = app::cases::service::sweep_stored(&s, chrono::Duration::seconds(-60))
            .await
            .expect("sweep");
        assert_eq!(gone, 1, "{name}");
        assert!(
            !s.storage.exists(&orphan_key).await.expect("head"),
            "{name}"
        );
        assert!(
            s.storage
                .exists(&Storage::key(&kept_sha))
                .await
                .expect("head"),
            "{name}"
        );
        s.storage
            .delete(&Storage::key(&kept_sha))
            .await
            .expect("tidy");
    }
}
