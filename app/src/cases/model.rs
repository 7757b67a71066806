use crate::i18n::{Named, Text};
use serde::{Deserialize, Serialize};

crate::coded! {
    /// Where a case stands ("Ärende" in the information panel).
    pub enum CaseStatus {
        Waiting = "waiting",
        InProgress = "in_progress",
        SupplementRequested = "supplement_requested",
        SupplementAnswered = "supplement_answered",
        Decided = "decided",
    }
}

impl CaseStatus {
    pub fn text(self) -> Text {
        match self {
            CaseStatus::Waiting => Text::CaseStatusWaiting,
            CaseStatus::InProgress => Text::CaseStatusInProgress,
            CaseStatus::SupplementRequested => Text::CaseStatusSupplementRequested,
            CaseStatus::SupplementAnswered => Text::CaseStatusSupplementAnswered,
            CaseStatus::Decided => Text::CaseStatusDecided,
        }
    }

    /// The class of its tag: blue while it waits on the body, yellow while it waits on the
    /// person, grey once decided.
    pub fn tag(self) -> &'static str {
        match self {
            CaseStatus::SupplementRequested => "tag tag--yellow",
            CaseStatus::Decided => "tag tag--grey",
            _ => "tag tag--blue",
        }
    }
}

crate::coded! {
    /// What a case is about: a new certificate now; a renewal and a yearly report later.
    pub enum CaseKind {
        New = "new",
        Renewal = "renewal",
        YearlyReport = "yearly_report",
    }
}

impl CaseKind {
    pub fn text(self) -> Text {
        match self {
            CaseKind::New => Text::CaseKindNew,
            CaseKind::Renewal => Text::CaseKindRenewal,
            CaseKind::YearlyReport => Text::CaseKindYearlyReport,
        }
    }
}

/// An authorization level ("behörighet") a scheme grants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub id: String,
    pub name: Named,
}

/// A scheme one may apply for, with its levels (none for most schemes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeChoice {
    pub id: String,
    pub area: Named,
    pub name: Named,
    pub levels: Vec<Level>,
    /// The person holds a certificate of it that still counts: they renew instead.
    pub held: bool,
}

/// The person's details an application confirms.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub name: String,
    pub pnr: String,
    pub address: String,
    pub email: String,
    pub digital: bool,
}

/// "Ansök om nytt certifikat": the schemes and the applicant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyView {
    pub schemes: Vec<SchemeChoice>,
    pub applicant: Applicant,
}

/// One line of "Mina certifieringar": a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseItem {
    pub id: String,
    pub order_no: String,
    pub scheme: Named,
    pub status: CaseStatus,
    pub kind: CaseKind,
}

/// One line of "Mina certifieringar": a certificate that no case of the portal issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateItem {
    pub id: String,
    pub number: String,
    pub scheme: Named,
}

/// "Mina certifieringar": the person's cases and certificates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCases {
    pub cases: Vec<CaseItem>,
    pub certificates: Vec<CertificateItem>,
}

/// Where a required document stands in a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Provided {
    Missing,
    /// "Meddela varför dokument ej kan laddas upp": the person's reason, and when.
    Explained {
        reason: String,
        at: String,
    },
    /// "Dokument X är uppladdat": the newest file sent for it (a shared document sent with
    /// another case counts).
    Uploaded {
        document_id: String,
        name: String,
        at: String,
    },
}

/// One row of "Ladda upp intyg".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub id: String,
    pub name: Named,
    pub help: Named,
    pub shared: bool,
    pub template: Option<String>,
    pub provided: Provided,
    /// The open supplement request asks for it again: what was sent before it no longer counts.
    pub asked: bool,
}

/// "Prov": an exam result the handler recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exam {
    pub taken_on: String,
    pub exam: String,
    pub passed: bool,
    pub score: String,
}

/// The longest exam name and score a handler writes.
pub const EXAM_MAX: usize = 100;
pub const SCORE_MAX: usize = 20;

/// "Beslut" on a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub approved: bool,
    pub reason: Option<String>,
    pub at: String,
    pub by: Option<String>,
}

/// What "Begär komplettering" did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Requested {
    /// Asked: the letter's file name.
    Requested { letter: String },
    /// A request (made at this time) still waits for the person's answer: nothing changed.
    AlreadyRequested { at: String },
}

/// What "Fatta beslut" did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decided {
    /// Approved: the certificate's number.
    Approved {
        number: String,
    },
    /// A yearly report approved: the certificate's number and its "Förläng senast" now.
    Reported {
        number: String,
        extend_by: String,
    },
    Rejected,
    /// The case was decided already (at this time): nothing changed.
    AlreadyDecided {
        at: String,
    },
}

/// The longest reason for a rejection.
pub const DECISION_REASON_MAX: usize = 2000;

/// A case as its information panel and work area show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePanel {
    pub id: String,
    pub order_no: String,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub name: String,
    pub pnr: String,
    pub digital: bool,
    pub handler: Option<String>,
    pub area: Named,
    pub scheme: Named,
    pub certificate_number: Option<String>,
    pub valid_until: Option<String>,
    /// "Förläng senast" a yearly report answers.
    pub report_due: Option<String>,
    /// The shown certificate's "Förläng senast" now.
    pub extend_by: Option<String>,
    /// The certificate the person may apply to renew from this case, once its time has come.
    pub renewable: Option<String>,
    /// The level granted, or until then the one applied for.
    pub level: Option<Named>,
    /// "Prov": the exams, latest first (the panel shows the latest).
    pub exams: Vec<Exam>,
    /// When the open supplement request was made, while it waits for the person's answer.
    pub supplement_asked_at: Option<String>,
    pub decision: Option<DecisionView>,
    pub plastic_card: bool,
    pub published: bool,
    /// When "MEDDELA OSS" was pressed.
    pub ready_at: Option<String>,
    pub requirements: Vec<Requirement>,
    /// The largest file one may send, in megabytes (the deployment's setting).
    pub upload_max_mb: u64,
    /// The person's number in stored file names.
    pub person_no: String,
}

impl CasePanel {
    /// Whether the person may still send documents and reasons.
    pub fn open(&self) -> bool {
        self.status != CaseStatus::Decided
    }
}

/// What "MEDDELA OSS" did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ready {
    /// The handlers now see the case as ready.
    Sent,
    /// It was already sent (at this time): nothing changed.
    AlreadySent { at: String },
}

/// What an application did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Applied {
    Opened {
        id: String,
    },
    /// The person already has an open case for the scheme: nothing was opened.
    AlreadyOpen {
        id: String,
    },
}

/// A document of the archive a renewal counts, for the required document it answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reused {
    pub requirement: Named,
    pub name: String,
    pub at: String,
}

/// "Ansök om förnyelse" of one of the person's certificates: what it is, whether it may be
/// renewed now (or why not), an open renewal, and what of the archive the renewal counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalView {
    pub certificate_id: String,
    pub number: String,
    pub area: Named,
    pub scheme: Named,
    pub valid_until: String,
    /// Why it cannot be renewed now.
    pub blocked: Option<crate::i18n::Msg>,
    /// The renewal already applied for.
    pub open_case: Option<String>,
    pub reused: Vec<Reused>,
}

/// The longest reason a person may give for a missing document.
pub const REASON_MAX: usize = 1000;

crate::coded! {
    /// What a file is, judged by its content: the formats the body accepts.
    pub enum Format {
        Pdf = "pdf",
        Doc = "doc",
        Docx = "docx",
        Xls = "xls",
        Xlsx = "xlsx",
    }
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Doc => "application/msword",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Xls => "application/vnd.ms-excel",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

crate::coded! {
    /// "Dokumenttyp" in the archive.
    pub enum DocType {
        Grade = "grade",
        SupplementLetter = "supplement_letter",
        Decision = "decision",
        Certificate = "certificate",
        Attachment = "attachment",
    }
}

impl DocType {
    pub fn text(self) -> Text {
        match self {
            DocType::Grade => Text::DocTypeGrade,
            DocType::SupplementLetter => Text::DocTypeSupplementLetter,
            DocType::Decision => Text::DocTypeDecision,
            DocType::Certificate => Text::DocTypeCertificate,
            DocType::Attachment => Text::DocTypeAttachment,
        }
    }
}

/// The longest note ("Notering") a file may carry.
pub const NOTE_MAX: usize = 500;

/// One row of "Arkiv".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveRow {
    pub id: String,
    /// "Datum": the day it came.
    pub date: String,
    /// "Dokumentnamn".
    pub name: String,
    pub doc_type: DocType,
    pub note: String,
}

crate::coded! {
    /// The archive's columns one may sort by (the underlined headings).
    pub enum ArchiveSort {
        Date = "date",
        Name = "name",
        Type = "type",
        Note = "note",
    }
}

/// What the archive shows: sorted, filtered by type, a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveQuery {
    pub sort: ArchiveSort,
    pub descending: bool,
    pub doc_type: Option<DocType>,
    pub page: u32,
}

impl Default for ArchiveQuery {
    fn default() -> Self {
        ArchiveQuery {
            sort: ArchiveSort::Date,
            descending: true,
            doc_type: None,
            page: 1,
        }
    }
}

/// "Arkiv" of a case: the person's documents that belong to it, and those shared by all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Archive {
    pub rows: crate::types::Paged<ArchiveRow>,
    /// The types the person's archive holds ("Dokumenttyp som ska visas").
    pub types: Vec<DocType>,
    /// When older documents were last deleted under the retention rule, if ever.
    pub retention_deleted: Option<String>,
}

/// A document the retention rule will delete, as the administrators' report lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expiry {
    pub person_id: String,
    pub person: String,
    pub title: Named,
    pub document: String,
    pub doc_type: Option<DocType>,
    pub uploaded_on: String,
    /// The day its ten years count from: the end of the person's last certificate, or the
    /// upload.
    pub counted_from: String,
    pub deletes_on: String,
}

/// A scheme in the administrators' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeLine {
    pub id: String,
    pub area: Named,
    pub name: Named,
    /// How many documents an application requires.
    pub documents: i64,
}

/// A required document as its administrators keep it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementAdmin {
    pub id: String,
    /// Swedish and English, as written (the English may be empty).
    pub name: String,
    pub name_en: String,
    pub help: String,
    pub help_en: String,
    pub shared: bool,
    pub template: Option<String>,
    /// A file or a reason was sent for it: removed, it is kept for them and asked for no more.
    pub in_use: bool,
    /// Asked for by the yearly report, not by applications.
    pub report: bool,
}

/// A scheme's required documents, and whether the reader may change them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeDocuments {
    pub id: String,
    pub area: Named,
    pub name: Named,
    pub editable: bool,
    pub documents: Vec<RequirementAdmin>,
}

/// The longest name of a required document.
pub const REQUIREMENT_NAME_MAX: usize = 100;
/// The longest help text of a required document.
pub const REQUIREMENT_HELP_MAX: usize = 1000;

/// The start of a stored file's name, as the manual names them: the document's name as letters
/// and digits joined by `_` ("Avgångsbetyg/Examen" → `Avgångsbetyg_Examen`), then `_C` and the
/// person's number. The upload adds `_<yymmdd>_<hhmmss>.<ext>`.
pub fn stored_stem(title: &str, person_no: &str) -> String {
    let words: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let kind = if words.is_empty() {
        "Dokument".to_owned()
    } else {
        words.join("_")
    };
    let kind: String = kind.chars().take(60).collect();
    format!("{kind}_C{person_no}")
}

/// The person's number in stored names: the end of their id, never their personnummer.
pub fn person_no(person_id: &str) -> String {
    let digits = person_id.replace('-', "");
    digits[digits.len().saturating_sub(8)..].to_ascii_uppercase()
}

crate::coded! {
    /// The handlers' queue, by what a case waits for ("Ärenden").
    pub enum QueueFilter {
        /// Sent ("MEDDELA OSS") and nobody has taken it.
        Waiting = "waiting",
        /// The signed-in handler's open cases.
        Mine = "mine",
        /// The person answered a supplement request.
        Answered = "answered",
        /// The person has not yet sent it, or not yet answered a supplement request.
        WithApplicant = "with_applicant",
        /// Every open case.
        Open = "open",
        Decided = "decided",
    }
}

impl QueueFilter {
    pub fn text(self) -> Text {
        match self {
            QueueFilter::Waiting => Text::QueueWaiting,
            QueueFilter::Mine => Text::QueueMine,
            QueueFilter::Answered => Text::QueueAnswered,
            QueueFilter::WithApplicant => Text::QueueWithApplicant,
            QueueFilter::Open => Text::QueueOpen,
            QueueFilter::Decided => Text::QueueDecided,
        }
    }
}

/// The ages the queue can be narrowed to: cases that came at least this many days ago.
pub const QUEUE_AGES: [u32; 3] = [7, 30, 90];

/// What the queue shows: a filter, a scheme or all, an age or any, a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueQuery {
    pub filter: QueueFilter,
    pub scheme_id: Option<String>,
    /// At least this many days in the queue.
    pub min_age: Option<u32>,
    pub page: u32,
}

/// One case in the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: String,
    pub order_no: String,
    pub name: String,
    pub scheme: Named,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub handler: Option<String>,
    /// The person pressed "MEDDELA OSS" (or answered a supplement request).
    pub sent: bool,
    /// When it came to the handlers (or was opened, if it has not yet been sent).
    pub queued_at: String,
    /// Whole days since then.
    pub age_days: i64,
    /// Messages from the person no handler has read yet.
    pub unread: i64,
}

/// "Ärenden": a page of the queue, how many cases each filter of open cases holds, and the
/// schemes to filter by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub rows: crate::types::Paged<QueueRow>,
    pub counts: Vec<(QueueFilter, i64)>,
    pub schemes: Vec<(String, Named)>,
}

crate::coded! {
    /// A handler's verdict on a required document.
    pub enum Verdict {
        Approved = "approved",
        Supplement = "supplement",
    }
}

impl Verdict {
    pub fn text(self) -> Text {
        match self {
            Verdict::Approved => Text::VerdictApproved,
            Verdict::Supplement => Text::VerdictSupplement,
        }
    }
}

/// The latest verdict on a required document of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub verdict: Verdict,
    pub comment: String,
    pub by: Option<String>,
    pub at: String,
}

/// A document of the person's archive that a handler may attach to the case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachable {
    pub id: String,
    pub date: String,
    pub name: String,
    pub title: Named,
    /// The order number of the case it came with, if any.
    pub order_no: Option<String>,
}

/// A handler who may be given a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlerChoice {
    pub id: String,
    pub name: String,
}

/// A case as its handler sees it: the information panel, each required document with what
/// answers it and the verdict on it, what the archive holds to attach, and the case's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlerCase {
    pub panel: CasePanel,
    pub person_id: String,
    /// The signed-in handler has it.
    pub mine: bool,
    /// Body administrators give cases to handlers: the handlers they may choose.
    pub handlers: Option<Vec<HandlerChoice>>,
    pub handler_id: Option<String>,
    pub reviews: Vec<(String, Review)>,
    pub attachable: Vec<Attachable>,
    pub events: crate::events::model::EventPage,
    /// The letters the case wrote (supplement requests, the decision): id, file name, type.
    pub letters: Vec<(String, String, DocType)>,
    /// The scheme's levels, for the decision, and the one applied for.
    pub levels: Vec<(String, Named)>,
    pub applied_level: Option<String>,
}

/// What "Ta ärendet" did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Taken {
    Taken,
    /// It was already the caller's: nothing changed.
    AlreadyYours,
    /// Another handler took it first.
    TakenBy {
        name: String,
    },
}

/// The longest comment a handler writes on a document.
pub const COMMENT_MAX: usize = 1000;

crate::coded! {
    /// "Meddelandetyp".
    pub enum MessageKind {
        Note = "note",
        Change = "change",
        Supplement = "supplement",
        SupplementReminder = "supplement_reminder",
        Decision = "decision",
    }
}

impl MessageKind {
    pub fn text(self) -> Text {
        match self {
            MessageKind::Note => Text::MessageKindNote,
            MessageKind::Change => Text::MessageKindChange,
            MessageKind::Supplement => Text::MessageKindSupplement,
            MessageKind::SupplementReminder => Text::MessageKindSupplementReminder,
            MessageKind::Decision => Text::MessageKindDecision,
        }
    }

    /// The kinds a person or a handler chooses for a new message ("Notering" first, the one
    /// to use normally); the others come with what the body does (a supplement request, a
    /// decision).
    pub const WRITTEN: [MessageKind; 2] = [MessageKind::Note, MessageKind::Change];
}

/// One message of a thread, as its reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMessage {
    pub id: String,
    pub at: String,
    pub author: String,
    pub from_staff: bool,
    pub body: String,
    /// From the other side and not yet read.
    pub unread: bool,
    /// Sent by staff to an analog person: a letter is due (staff see it).
    pub letter_due: bool,
}

/// A thread: its first message's date and type ("Datum", "Meddelandetyp"), every message
/// newest first, and the reader's draft of a reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    pub id: String,
    pub kind: MessageKind,
    pub at: String,
    pub messages: Vec<CaseMessage>,
    pub unread: usize,
    pub draft: Option<String>,
}

/// "Meddelanden" of a case: its threads, newest first, and the reader's draft of a new
/// message (its type and text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMessages {
    pub case_id: String,
    pub threads: Vec<Thread>,
    pub new_draft: Option<(MessageKind, String)>,
}

/// What "Spara" or "Utkast" did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sent {
    /// Sent: the thread's id.
    Sent { thread: String },
    /// The same text was just sent in this thread: nothing was sent again.
    AlreadySent { thread: String },
    /// Kept as a draft.
    Draft,
}

/// The longest message: messages are short (a longer text goes as a document).
pub const MESSAGE_MAX: usize = 2000;
