//! Where documents' files live: an object store, a local folder by default and any
//! S3-compatible store when configured (`CERTPORTAL_STORAGE_URL`). A file is kept under its
//! SHA-256, so the same file sent twice is stored once, and a key never names a person.

use bytes::Bytes;
use futures_util::stream::BoxStream;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart, path::Path as Key};
use std::sync::Arc;
use tokio::io::AsyncReadExt;

#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// The part size of a streamed write: what one upload holds in memory at most, times the
    /// parts in flight. S3 requires 5 MiB for every part but the last.
    chunk: usize,
}

/// The parts of one write in flight at once.
const PARTS_IN_FLIGHT: usize = 1;

impl Storage {
    /// A local folder, made if missing.
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Storage> {
        std::fs::create_dir_all(dir)?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)?;
        Ok(Storage {
            store: Arc::new(store),
            chunk: 1 << 20,
        })
    }

    /// An S3 bucket: `s3://bucket`, with the endpoint, region and keys from `AWS_ENDPOINT`,
    /// `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (and `AWS_ALLOW_HTTP=true` for
    /// a store without TLS), or given here.
    pub fn s3(url: &str, options: &[(&str, &str)]) -> anyhow::Result<Storage> {
        use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
        // TLS by ring, as the database and email clients have it; installed once per process.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::from_env().with_url(url);
        for (key, value) in options {
            builder = builder.with_config(key.parse::<AmazonS3ConfigKey>()?, *value);
        }
        Ok(Storage {
            store: Arc::new(builder.build()?),
            chunk: 5 << 20,
        })
    }

    /// As configured: `s3://…`, `file:///…` or a folder's path.
    pub fn from_url(url: &str) -> anyhow::Result<Storage> {
        match url.split_once("://") {
            Some(("s3", _)) => Storage::s3(url, &[]),
            Some(("file", path)) => Storage::local(std::path::Path::new(path)),
            Some((scheme, _)) => {
                anyhow::bail!("storage {scheme}:// is not supported: use s3:// or file://")
            }
            None => Storage::local(std::path::Path::new(url)),
        }
    }

    /// The same store, with every key under `prefix` (tests sharing one bucket keep apart).
    pub fn within(&self, prefix: &str) -> Storage {
        Storage {
            store: Arc::new(object_store::prefix::PrefixStore::new(
                self.store.clone(),
                prefix,
            )),
            chunk: self.chunk,
        }
    }

    /// The key of a file with this SHA-256 (hex).
    pub fn key(sha256: &str) -> Key {
        Key::from(format!(
            "documents/{}/{sha256}",
            &sha256[..2.min(sha256.len())]
        ))
    }

    /// Whether a file is stored under the key.
    pub async fn exists(&self, key: &Key) -> object_store::Result<bool> {
        match self.store.head(key).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Copies a local file to the key, a part at a time. A file already there is written again
    /// (the key is its content's hash, so the content is the same), which also makes it young
    /// again for the sweep of files nothing points at. A failed copy leaves the key as it was.
    pub async fn put_file(&self, key: &Key, file: &std::path::Path) -> object_store::Result<()> {
        let upload = self.store.put_multipart(key).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, self.chunk);
        let copied = async {
            let mut source = tokio::fs::File::open(file).await.map_err(io)?;
            let mut buf = vec![0u8; 64 << 10];
            loop {
                let n = source.read(&mut buf).await.map_err(io)?;
                if n == 0 {
                    return Ok(());
                }
                writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
                writer.write(&buf[..n]);
            }
        }
        .await;
        match copied {
            Ok(()) => writer.finish().await.map(|_| ()),
            Err(e) => {
                let _ = writer.abort().await;
                Err(e)
            }
        }
    }

    /// Writes a small file the portal made (a letter) to the key, whole.
    pub async fn put_bytes(&self, key: &Key, bytes: Vec<u8>) -> object_store::Result<()> {
        self.store.put(key, bytes.into()).await.map(|_| ())
    }

    /// The file under the key, as a stream of chunks, and its size.
    pub async fn get(
        &self,
        key: &Key,
    ) -> object_store::Result<(u64, BoxStream<'static, object_store::Result<Bytes>>)> {
        let found = self.store.get(key).await?;
        Ok((found.meta.size, found.into_stream()))
    }

    pub async fn delete(&self, key: &Key) -> object_store::Result<()> {
        match self.store.delete(key).await {
            Err(object_store::Error::NotFound { .. }) => Ok(()),
            other => other,
        }
    }

    /// The SHA-256 of every document file stored before `before`.
    pub async fn stored_before(
        &self,
        before: chrono::DateTime<chrono::Utc>,
    ) -> object_store::Result<Vec<String>> {
        use futures_util::TryStreamExt;
        let prefix = Key::from("documents");
        let found: Vec<_> = self.store.list(Some(&prefix)).try_collect().await?;
        Ok(found
            .into_iter()
            .filter(|m| m.last_modified < before)
            .filter_map(|m| m.location.filename().map(str::to_owned))
            .collect())
    }

    /// Every key stored (the tests' check that nothing was left behind).
    pub async fn keys(&self) -> object_store::Result<Vec<String>> {
        use futures_util::TryStreamExt;
        let found: Vec<_> = self.store.list(None).try_collect().await?;
        Ok(found.into_iter().map(|m| m.location.to_string()).collect())
    }
}

fn io(e: std::io::Error) -> object_store::Error {
    object_store::Error::Generic {
        store: "local file",
        source: Box::new(e),
    }
}
