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

/// The largest XML part of an Office file read whole (`[Content_Types].xml`, a `.rels`): a real
/// one is a few kilobytes; a larger one is refused rather than read in part.
const PART_MAX: u64 = 1 << 20;

/// The most entries an Office Open XML file may have: a real one has tens.
const ENTRIES_MAX: u64 = 5000;

/// Whether an Office Open XML file may carry macros: a content type or a relationship of a
/// macro-enabled document, a VBA project or a macro sheet (Excel 4), read as XML (entities and
/// all) from `[Content_Types].xml` and every `.rels` part. Refused as unreadable: a zip of more
/// than [`ENTRIES_MAX`] entries, or a part over [`PART_MAX`].
fn ooxml_macros(path: &Path) -> anyhow::Result<bool> {
    let entries = zip_entries(path)?;
    anyhow::ensure!(entries <= ENTRIES_MAX, "{entries} zip entries");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    let parts: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n == "[Content_Types].xml" || n.ends_with(".rels"))
        .map(|n| n.into_owned())
        .collect();
    anyhow::ensure!(
        parts.iter().any(|p| p == "[Content_Types].xml"),
        "no content types"
    );
    for name in parts {
        let part = zip.by_name(&name)?;
        anyhow::ensure!(part.size() <= PART_MAX, "{name} is {} bytes", part.size());
        let mut xml = String::new();
        part.take(PART_MAX + 1).read_to_string(&mut xml)?;
        anyhow::ensure!(xml.len() as u64 <= PART_MAX, "{name} is too long");
        if xml_names_macros(&xml)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether any `ContentType`, `Type` or `Target` attribute of the XML names a macro part.
fn xml_names_macros(xml: &str) -> anyhow::Result<bool> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) => {
                for attr in e.attributes() {
                    let attr = attr?;
                    let key = attr.key.local_name();
                    if !matches!(key.as_ref(), b"ContentType" | b"Type" | b"Target") {
                        continue;
                    }
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)?
                        .to_ascii_lowercase();
                    if [
                        "macroenabled",
                        "vbaproject",
                        "macrosheet",
                        "vbadata",
                        "keymapcustomizations",
                    ]
                    .iter()
                    .any(|m| value.contains(m))
                    {
                        return Ok(true);
                    }
                }
            }
            Event::Eof => return Ok(false),
            _ => {}
        }
    }
}

/// The number of entries a zip's end-of-central-directory record declares, read before the
/// directory itself (whose size it bounds). ZIP64 is not needed by a real Office file: refused.
fn zip_entries(path: &Path) -> anyhow::Result<u64> {
    use std::io::{Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    let len = file.seek(SeekFrom::End(0))?;
    let tail = len.min(22 + u64::from(u16::MAX));
    file.seek(SeekFrom::Start(len - tail))?;
    let mut buf = Vec::with_capacity(tail as usize);
    file.take(tail).read_to_end(&mut buf)?;
    let at = buf
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .ok_or_else(|| anyhow::anyhow!("no end of central directory"))?;
    let record = buf
        .get(at..at + 22)
        .ok_or_else(|| anyhow::anyhow!("short record"))?;
    let entries = u16::from_le_bytes([record[10], record[11]]);
    anyhow::ensure!(entries != u16::MAX, "ZIP64");
    Ok(u64::from(entries))
}

/// Whether a Word or Excel 97-2003 file may carry macros: the storages Word (`Macros`) and
/// Excel (`_VBA_PROJECT_CUR`) keep VBA in, or an Excel 4 macro sheet (or VBA module sheet) in
/// the workbook's sheet list.
fn ole_macros(path: &Path) -> anyhow::Result<bool> {
    let mut cfb = cfb::open(path)?;
    let storages = cfb.walk().any(|entry| {
        let name = entry.name().to_ascii_lowercase();
        entry.is_storage() && (name == "macros" || name == "_vba_project_cur" || name == "vba")
    });
    if storages {
        return Ok(true);
    }
    for stream in ["/Workbook", "/Book"] {
        if cfb.is_stream(stream) {
            let mut workbook = Vec::new();
            cfb.open_stream(stream)?
                .take(64 << 20)
                .read_to_end(&mut workbook)?;
            if biff_macro_sheet(&workbook) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Whether a BIFF workbook stream lists a macro sheet: a BOUNDSHEET record (0x0085) whose sheet
/// type is an Excel 4 macro sheet (1) or a VBA module (6).
fn biff_macro_sheet(stream: &[u8]) -> bool {
    let mut at = 0;
    while at + 4 <= stream.len() {
        let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let data = &stream[at + 4..(at + 4 + len).min(stream.len())];
        if kind == 0x0085 && data.len() >= 6 && matches!(data[5], 1 | 6) {
            return true;
        }
        at += 4 + len;
    }
    false
}

/// The manual's file name: `<Type>_C<person>_<yymmdd>_<hhmmss>.<ext>` (see
/// [`super::model::stored_stem`]).
pub fn stored_name(
    title: &str,
    person_no: &str,
    at: chrono::DateTime<chrono::Utc>,
    format: Format,
) -> String {
    format!(
        "{}_{}.{}",
        super::model::stored_stem(title, person_no),
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
