//! Training providers (seed 002): providers, their courses ("produkter"), bookings with their
//! participation status, and the course certificate a provider uploads for a booking. Types both
//! sides share, and the rules that need no database (which status may follow which, who may see
//! a booking's certificate), so pages and services agree.

use crate::i18n::Text;
use serde::{Deserialize, Serialize};

crate::coded! {
    /// A booking's participation status ("deltagandestatus"), in the article's words.
    pub enum Status {
        /// "Okänt": a booking just made, a request the provider has not accepted.
        Unknown = "unknown",
        /// "Anmäld": the provider accepted the request.
        Registered = "registered",
        /// "Startat".
        Started = "started",
        /// "Utebliven närvaro".
        NoShow = "no_show",
        /// "Inte godkänd".
        Failed = "failed",
        /// "Fullföljd".
        Completed = "completed",
    }
}

impl Status {
    /// The five a provider chooses from "högst upp i bokningen" ("Okänt" is only where a
    /// booking starts).
    pub const CHOICES: [Status; 5] = [
        Status::Registered,
        Status::Started,
        Status::NoShow,
        Status::Failed,
        Status::Completed,
    ];

    pub fn text(self) -> Text {
        match self {
            Status::Unknown => Text::BookingStatusUnknown,
            Status::Registered => Text::BookingStatusRegistered,
            Status::Started => Text::BookingStatusStarted,
            Status::NoShow => Text::BookingStatusNoShow,
            Status::Failed => Text::BookingStatusFailed,
            Status::Completed => Text::BookingStatusCompleted,
        }
    }

    /// The tag's colour class on lists.
    pub fn tag(self) -> &'static str {
        match self {
            Status::Unknown => "tag tag--grey",
            Status::Registered | Status::Started => "tag tag--blue",
            Status::NoShow | Status::Failed => "tag tag--red",
            Status::Completed => "tag tag--green",
        }
    }

    /// The event a change to this status writes.
    pub fn action(self) -> &'static str {
        match self {
            Status::Unknown => "booking.created",
            Status::Registered => "booking.registered",
            Status::Started => "booking.started",
            Status::NoShow => "booking.no_show",
            Status::Failed => "booking.failed",
            Status::Completed => "booking.completed",
        }
    }
}

/// Who looks at a booking, as far as its certificate is concerned (the article: "Endast du,
/// medarbetaren, sajt-ägaren och Springests medarbetare").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    Participant,
    Provider,
    Staff,
    /// An administrator of the participant's employer, the company the booking is for.
    Employer,
}

/// Whether `viewer` may see a booking's certificate: all four may, except that a certificate
/// showing grades or scores stays hidden from the employer until the participant consents.
pub fn may_see_certificate(viewer: Viewer, graded: bool, consented: bool) -> bool {
    match viewer {
        Viewer::Participant | Viewer::Provider | Viewer::Staff => true,
        Viewer::Employer => !graded || consented,
    }
}

/// The longest texts kept.
pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 4000;
pub const REASON_MAX: usize = 500;
pub const REVIEW_MAX: usize = 2000;

/// A review is asked for after "Fullföljd", and reminded once this many days later.
pub const REVIEW_REMINDER_DAYS: i64 = 7;

/// A provider as its public profile shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    pub id: String,
    pub orgnr: String,
    pub name: String,
    pub description: String,
    pub website: String,
    pub linkedin_org_id: String,
    /// The logo's address (it changes with the logo, so it may be cached long); `None`
    /// without one.
    #[serde(default)]
    pub logo: Option<String>,
}

/// The largest logo taken, and its largest side in pixels.
pub const LOGO_MAX_BYTES: u64 = 512 * 1024;
pub const LOGO_MAX_SIDE: u32 = 2000;

/// How long the emailed link of an invitation works.
pub const INVITE_DAYS: i64 = 30;

/// How many invitations a provider may send an hour: a course's worth, too few to spam.
pub const INVITES_PER_HOUR: i64 = 60;

crate::coded! {
    /// Where an invitation by email stands.
    pub enum InviteStatus {
        /// Sent; the link works until it expires.
        Open = "open",
        /// The recipient accepted it, signed in: it is their booking now.
        Accepted = "accepted",
        /// The recipient declined it.
        Declined = "declined",
        /// The provider withdrew it.
        Withdrawn = "withdrawn",
        /// Its link expired before an answer (marked when the address is invited again).
        Expired = "expired",
    }
}

/// An invitation as the provider's workspace lists it (`expired`: open, but its link no
/// longer works).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    pub id: String,
    pub course_title: String,
    pub email: String,
    pub name: String,
    pub sent_on: String,
    pub status: InviteStatus,
    pub expired: bool,
    /// The booking it became, once accepted.
    pub booking_id: Option<String>,
}

/// What an invitation's link shows: the course, and what the visitor may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteLink {
    /// The link works: the course, and whether the visitor may accept it here (signed in as a
    /// person in the register), with the employers they may book it for.
    Open {
        course: Box<Course>,
        name: String,
        /// The name of the account signed in, which an acceptance books.
        signed_in: Option<String>,
        may_accept: bool,
        employers: Vec<(String, String)>,
    },
    /// Accepted already: the booking is on the participant's pages.
    Accepted,
    /// Declined, withdrawn or expired (with its course and provider), or no such link.
    Closed { course: Option<(String, String)> },
}

/// What answering an invitation did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteAnswer {
    /// Accepted: a booking, "Anmäld".
    Booked {
        booking: String,
    },
    /// The invitation was accepted already (a form sent twice): nothing new.
    AlreadyAccepted,
    /// Accepted, but the person was booked on the course already: that booking answers it.
    AlreadyBooked {
        booking: String,
    },
    Declined,
    /// The invitation was answered, withdrawn or expired before this answer came.
    Closed,
}

/// A course ("produkt").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub id: String,
    pub provider_id: String,
    pub provider_name: String,
    pub title: String,
    pub description: String,
    /// `YYYY-MM-DD`, or `None` when given on request.
    pub starts_on: Option<String>,
    /// Whole kronor excluding VAT.
    pub price: Option<i64>,
    /// "Certifiering": the certificate a participant gets; empty when none.
    pub certification: String,
    pub graded: bool,
    /// A scheme this course is required training for.
    pub scheme_id: Option<String>,
    pub scheme_name: String,
}

/// A review as the provider's profile shows it: no name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub rating: i64,
    pub text: String,
    pub on: String,
    pub course: String,
}

/// `/providers/:id`: the profile, its courses and reviews.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub provider: Provider,
    pub courses: Vec<Course>,
    pub reviews: Vec<Review>,
    /// The average rating, in tenths (43 for 4.3), when there are reviews.
    pub average: Option<i64>,
    /// The reader is the provider's staff (or the body's): the workspace link shows.
    pub editable: bool,
}

/// A booking as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRow {
    pub id: String,
    pub course_title: String,
    pub provider_name: String,
    pub participant: String,
    pub company: String,
    pub course_date: String,
    pub status: Status,
    pub status_at: String,
    /// A certificate is uploaded (and the reader may see it).
    pub certificate: bool,
    /// One is uploaded that shows grades, and the participant has not let the reader see it.
    pub hidden: bool,
}

/// A booking's course certificate, for a reader who may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseCertificate {
    pub code: String,
    /// What it was issued as (the course's certification then).
    pub title: String,
    pub name: String,
    pub uploaded_on: String,
    /// `(day, reason)` once the provider withdrew it.
    pub withdrawn: Option<(String, String)>,
    /// The QR code of its verification page, as an `<img>` source.
    pub qr: String,
}

/// A course certificate on a person's page, beside the body's certificates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonCourseCertificate {
    pub booking_id: String,
    pub certification: String,
    pub course: String,
    pub provider: String,
    pub provider_id: String,
    pub issued_on: String,
    pub code: String,
    pub withdrawn: bool,
}

/// What a booking's certificate section shows its reader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Certification {
    /// The course has no certification: nothing can be uploaded.
    None,
    /// The course has one; nothing is uploaded yet.
    Waiting,
    /// Uploaded, and the reader may see it.
    Shown(CourseCertificate),
    /// Uploaded, shows grades, and the participant has not let the employer see it.
    Hidden,
}

/// `/provider/bookings/:id` and the participant's and employer's views of one booking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub id: String,
    pub course: Course,
    pub participant: String,
    pub company: Option<(String, String)>,
    pub course_date: String,
    pub status: Status,
    pub status_at: String,
    pub certification: Certification,
    pub consent: bool,
    pub events: crate::events::model::EventPage,
    /// The reader is the provider's staff (or the body's): the forms show.
    pub manage: bool,
    /// The largest file an upload takes, in MB.
    pub upload_max_mb: u64,
}

/// The provider's workspace, `/provider`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub provider: Provider,
    pub courses: Vec<Course>,
    pub bookings: crate::types::Paged<BookingRow>,
    /// Requests waiting for "Anmäld".
    pub waiting: i64,
    /// Participants invited by email, newest first.
    pub invites: Vec<Invite>,
}

/// One of the participant's bookings, `/my/training`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyBooking {
    pub id: String,
    pub course: Course,
    pub provider: String,
    pub provider_id: String,
    pub company: String,
    pub course_date: String,
    pub status: Status,
    pub certification: Certification,
    pub graded: bool,
    pub consent: bool,
    /// The review given, if any: (rating, text).
    pub review: Option<(i64, String)>,
    /// "Lägg till på LinkedIn", once the certificate is there (and not withdrawn).
    pub linkedin: Option<crate::certificates::linkedin::LinkedIn>,
    /// "Bifoga till ansökan": where the certificate of a course that is required training for
    /// a scheme may go, `(case id/required document id, "FX123456 – Utbildningsintyg")`, in the
    /// person's open applications for that scheme.
    pub attach_to: Vec<(String, String)>,
}

/// A company's bookings and what its admin books with, `/companies/:id/training`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyTraining {
    pub company_id: String,
    pub company_name: String,
    /// (person id, name) of the confirmed employees.
    pub employees: Vec<(String, String)>,
    pub courses: Vec<Course>,
    pub bookings: Vec<BookingRow>,
}

/// `/verify/course/:code`: what anyone may know of a course certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseVerification {
    pub code: String,
    pub certification: String,
    pub course: String,
    pub provider: String,
    pub provider_id: String,
    pub issued_on: String,
    pub withdrawn: Option<(String, String)>,
}

/// What "Ändra" did: the page says which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Changed {
    Changed,
    /// The booking had that status already (a form sent twice).
    Already,
}

/// The star line of a rating: "★★★★☆".
pub fn stars(rating: i64) -> String {
    let n = rating.clamp(0, 5) as usize;
    format!("{}{}", "★".repeat(n), "☆".repeat(5 - n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_graded_certificate_waits_for_consent_before_the_employer_sees_it() {
        for viewer in [Viewer::Participant, Viewer::Provider, Viewer::Staff] {
            assert!(may_see_certificate(viewer, true, false));
        }
        assert!(may_see_certificate(Viewer::Employer, false, false));
        assert!(!may_see_certificate(Viewer::Employer, true, false));
        assert!(may_see_certificate(Viewer::Employer, true, true));
    }

    #[test]
    fn okant_is_no_choice() {
        assert!(!Status::CHOICES.contains(&Status::Unknown));
        assert_eq!(stars(4), "★★★★☆");
    }
}
