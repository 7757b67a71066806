//! A file as it arrives: written to a temporary file a chunk at a time while it is hashed and
//! counted (memory does not grow with its size), then judged by its content, never by its name.

use super::model::Format;
use crate::error::{AppError, AppResult};
use crate::i18n::{Msg, Text};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use tokio::io::AsyncWriteExt;

/// The largest file one may send unless configured otherwise (`CERTPORTAL_UPLOAD_MAX_MB`).
pub const DEFAULT_MAX_BYTES: u64 = 25 << 20;

/// A file being received.
pub struct Incoming {
    file: tokio::fs::File,
    path: tempfile::TempPath,
    hasher: Sha256,
    size: u64,
    max: u64,
}

/// A file received whole: where it waits, its size and SHA-256. The temporary file goes when
/// this does.
pub struct Received {
    pub path: tempfile::TempPath,
    pub size: u64,
    pub sha256: String,
}

impl Incoming {
    /// A new temporary file in `dir` for at most `max` bytes.
    pub async fn new(dir: &Path, max: u64) -> std::io::Result<Incoming> {
        let (file, path) = tempfile::Builder::new()
            .prefix("upload-")
            .tempfile_in(dir)?
            .into_parts();
        Ok(Incoming {
            file: tokio::fs::File::from_std(file),
            path,
            hasher: Sha256::new(),
            size: 0,
            max,
        })
    }

    /// Adds a chunk. Past the limit nothing more is written, and the size keeps counting.
    pub async fn push(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        self.size += chunk.len() as u64;
        if self.size <= self.max {
            self.hasher.update(chunk);
            self.file.write_all(chunk).await?;
        }
        Ok(())
    }

    /// A file already in memory (the demo data's, the tests'), received as a form's would be.
    pub async fn of_bytes(dir: &Path, max: u64, bytes: &[u8]) -> AppResult<Received> {
        let mut incoming = Incoming::new(dir, max).await.map_err(AppError::internal)?;
        for chunk in bytes.chunks(64 << 10) {
            incoming.push(chunk).await.map_err(AppError::internal)?;
        }
        incoming.finish().await
    }

    pub fn over_limit(&self) -> bool {
        self.size > self.max
    }

    /// The file received, or why it is refused (empty, over the limit).
    pub async fn finish(mut self) -> AppResult<Received> {
        if self.size == 0 {
            return Err(AppError::field("file", Text::UploadEmpty));
        }
        if self.over_limit() {
            return Err(too_large(self.max));
        }
        self.file.flush().await.map_err(AppError::internal)?;
        self.file.sync_all().await.map_err(AppError::internal)?;
        Ok(Received {
            path: self.path,
            size: self.size,
            sha256: hex::encode(self.hasher.finalize()),
        })
    }
}

pub fn too_large(max: u64) -> AppError {
    AppError::field(
        "file",
        Msg::with(Text::UploadTooLarge, &[("max", &(max >> 20).to_string())]),
    )
}

/// What the file is, by its content: one of the formats the body accepts (pdf, doc, docx, xls,
/// xlsx), or the refusal. An Office file that carries macros is refused, whatever its name.
/// Reads the file from disk: call it off the async threads.
pub fn classify(path: &Path) -> AppResult<Format> {
    use file_format::FileFormat as F;
    let unreadable = || AppError::field("file", Text::UploadNotAllowed);
    let found = F::from_file(path).map_err(|_| unreadable())?;
    let format = match found {
        F::PortableDocumentFormat => Format::Pdf,
        F::MicrosoftWordDocument => Format::Doc,
        F::MicrosoftExcelSpreadsheet => Format::Xls,
        F::OfficeOpenXmlDocument => Format::Docx,
        F::OfficeOpenXmlSpreadsheet => Format::Xlsx,
        _ => return Err(unreadable()),
    };
    let macros = match format {
        Format::Pdf => false,
        Format::Doc | Format::Xls => ole_macros(path).map_err(|_| unreadable())?,
        Format::Docx | Format::Xlsx => ooxml_macros(path).map_err(|_| unreadable())?,
    };
    if macros {
        return Err(AppError::field("file", Text::UploadMacros));
    }
    Ok(format)
}

/// The largest `[Content_Types].xml` read: a real one is a few kilobytes.
const CONTENT_TYPES_MAX: u64 = 1 << 20;

/// Whether an Office Open XML file is macro-enabled (docm, xlsm content), carries a VBA project
/// or Excel 4 macro sheets.
fn ooxml_macros(path: &Path) -> anyhow::Result<bool> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    let named_macros = zip.file_names().any(|name| {
        let name = name.unwrap_or_default().to_ascii_lowercase();
        name.ends_with("vbaproject.bin") || name.starts_with("xl/macrosheets/")
    });
    let mut types = String::new();
    zip.by_name("[Content_Types].xml")?
        .take(CONTENT_TYPES_MAX)
        .read_to_string(&mut types)?;
    let types = types.to_ascii_lowercase();
    Ok(named_macros || types.contains("macroenabled") || types.contains("vbaproject"))
}

/// Whether a Word or Excel 97-2003 file carries macros: the storages Word (`Macros`) and Excel
/// (`_VBA_PROJECT_CUR`) keep them in.
fn ole_macros(path: &Path) -> anyhow::Result<bool> {
    let cfb = cfb::open(path)?;
    let found = cfb.walk().any(|entry| {
        let name = entry.name().to_ascii_lowercase();
        entry.is_storage() && (name == "macros" || name == "_vba_project_cur" || name == "vba")
    });
    Ok(found)
}

/// The manual's file name: `<Type>_C<person>_<yymmdd>_<hhmmss>.<ext>`, the type as letters and
/// digits joined by `_` ("Avgångsbetyg/Examen" → `Avgångsbetyg_Examen`).
pub fn stored_name(
    title: &str,
    person_no: &str,
    at: chrono::DateTime<chrono::Utc>,
    format: Format,
) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let kind = if words.is_empty() {
        "Dokument".to_owned()
    } else {
        words.join("_")
    };
    let kind: String = kind.chars().take(60).collect();
    format!(
        "{kind}_C{person_no}_{}.{}",
        at.format("%y%m%d_%H%M%S"),
        format.code()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_follow_the_manual() {
        let at = chrono::DateTime::parse_from_rfc3339("2013-03-11T11:41:05Z")
            .expect("a time")
            .to_utc();
        assert_eq!(
            stored_name("Avgångsbetyg/Examen", "129289", at, Format::Pdf),
            "Avgångsbetyg_Examen_C129289_130311_114105.pdf"
        );
        assert_eq!(
            stored_name("../..", "1", at, Format::Docx),
            "Dokument_C1_130311_114105.docx"
        );
    }
}
