//! The yearly extension's rules, free of the database so the browser can use them too: when a
//! certificate may be attested, and to which date it then moves.
//!
//! A certificate is attested once per period: from a window before "Förläng senast" (90 days
//! unless its scheme says otherwise), or any time after it while the certificate is still
//! valid. It then moves one year on from its due date (from today, when more than a year
//! overdue), never past "Giltigt till": at the end of validity it is renewal's turn.

use super::model::Status;
use crate::i18n::{Locale, Msg, Text};
use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Days before "Förläng senast" from which a certificate may be attested, unless its scheme
/// says otherwise.
pub const DEFAULT_WINDOW_DAYS: i64 = 90;

/// From how many months before "Giltigt till" a renewal may be applied for ("några månader
/// innan"; the first renewal reminder comes six months before by default).
pub const RENEWAL_OPENS_MONTHS: u32 = 12;

/// The first day a certificate valid until `valid_until` may be renewed.
pub fn renewal_opens(valid_until: NaiveDate) -> NaiveDate {
    valid_until
        .checked_sub_months(Months::new(RENEWAL_OPENS_MONTHS))
        .unwrap_or(valid_until)
}

/// Why a certificate cannot be renewed on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenewalBlocked {
    /// Renewed already.
    Renewed,
    /// Suspended or revoked.
    NotValid,
    /// Not yet: renewal opens on this day.
    NotYet(NaiveDate),
}

/// Whether a certificate (its status, whether it is renewed, "Giltigt till") may be renewed on
/// `today`: active, inactive or expired, not renewed, from [`renewal_opens`] on.
pub fn renewal_blocked(
    status: Status,
    renewed: bool,
    valid_until: NaiveDate,
    today: NaiveDate,
) -> Option<RenewalBlocked> {
    if renewed {
        return Some(RenewalBlocked::Renewed);
    }
    if !matches!(status, Status::Active | Status::Inactive | Status::Expired) {
        return Some(RenewalBlocked::NotValid);
    }
    let opens = renewal_opens(valid_until);
    (today < opens).then_some(RenewalBlocked::NotYet(opens))
}

/// What the rules need to know of a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Yearly {
    pub status: Status,
    /// "Förläng senast"; `None` for a scheme without yearly extension.
    pub extend_by: Option<NaiveDate>,
    /// "Giltigt till".
    pub valid_until: NaiveDate,
    pub last_attested: Option<NaiveDate>,
    pub window_days: i64,
    /// Its scheme extends by a yearly report ("Årsrapportering") instead.
    pub by_report: bool,
    /// Renewed: the next period's certificate carries on.
    pub renewed: bool,
}

/// Why a certificate cannot be attested now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Blocked {
    /// It is the company admin's own.
    Own,
    /// Suspended, revoked or expired.
    NotValid,
    /// Its scheme has no yearly extension.
    NoYearly,
    /// Its scheme extends by a yearly report, which the holder sends.
    ByReport,
    /// Renewed: the next period's certificate is the one to extend.
    Renewed,
    /// Not due yet: attested already this period (when), or its window opens later.
    NotDue {
        attested: Option<NaiveDate>,
        opens: NaiveDate,
    },
    /// "Förläng senast" has reached "Giltigt till": it is renewal's turn.
    RenewalDue,
}

/// An attestation's effect: "Förläng senast" moves from one date to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Yearly {
    /// The extension an attestation today would make, or why there is none. `own`: the one
    /// attesting holds the certificate.
    pub fn extension(&self, today: NaiveDate, own: bool) -> Result<Extension, Blocked> {
        if own {
            return Err(Blocked::Own);
        }
        if !matches!(self.status, Status::Active | Status::Inactive) || today > self.valid_until {
            return Err(Blocked::NotValid);
        }
        if self.renewed {
            return Err(Blocked::Renewed);
        }
        if self.by_report {
            return Err(Blocked::ByReport);
        }
        let due = self.extend_by.ok_or(Blocked::NoYearly)?;
        if due >= self.valid_until {
            return Err(Blocked::RenewalDue);
        }
        let opens = due - Duration::days(self.window_days.max(0));
        if today < opens {
            return Err(Blocked::NotDue {
                attested: self.last_attested,
                opens,
            });
        }
        let a_year = Months::new(12);
        let mut to = due.checked_add_months(a_year).unwrap_or(due);
        if to < today {
            to = today.checked_add_months(a_year).unwrap_or(today);
        }
        Ok(Extension {
            from: due,
            to: to.min(self.valid_until),
        })
    }
}

impl Blocked {
    /// Why, as a message with its dates.
    pub fn msg(self) -> Msg {
        match self {
            Blocked::Own => Text::CertBlockedOwn.into(),
            Blocked::NotValid => Text::CertBlockedStatus.into(),
            Blocked::NoYearly => Text::CertBlockedNoYearly.into(),
            Blocked::ByReport => Text::CertBlockedByReport.into(),
            Blocked::Renewed => Text::CertBlockedRenewed.into(),
            Blocked::RenewalDue => Text::CertBlockedRenewal.into(),
            Blocked::NotDue {
                attested: Some(on),
                opens,
            } => Msg::with(
                Text::CertBlockedAttested,
                &[("date", &on.to_string()), ("opens", &opens.to_string())],
            ),
            Blocked::NotDue {
                attested: None,
                opens,
            } => Msg::with(Text::CertBlockedNotDue, &[("opens", &opens.to_string())]),
        }
    }

    /// Why, in `locale`.
    pub fn message(self, locale: Locale) -> String {
        locale.msg(&self.msg())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn cert(extend_by: &str, valid_until: &str) -> Yearly {
        Yearly {
            status: Status::Active,
            extend_by: Some(d(extend_by)),
            valid_until: d(valid_until),
            last_attested: None,
            window_days: DEFAULT_WINDOW_DAYS,
            by_report: false,
            renewed: false,
        }
    }

    #[test]
    fn an_extension_moves_one_year_on_within_validity() {
        let ext = |c: Yearly, today: &str| c.extension(d(today), false);
        assert_eq!(
            ext(cert("2026-12-15", "2029-05-13"), "2026-11-25"),
            Ok(Extension {
                from: d("2026-12-15"),
                to: d("2027-12-15")
            })
        );
        // Long overdue: a year from today.
        assert_eq!(
            ext(cert("2024-04-30", "2029-04-30"), "2026-11-25").map(|e| e.to),
            Ok(d("2027-11-25"))
        );
        assert_eq!(
            ext(cert("2024-02-29", "2029-01-01"), "2024-03-01").map(|e| e.to),
            Ok(d("2025-02-28")),
            "29 February moves to the 28th"
        );
        // Never past "Giltigt till".
        assert_eq!(
            ext(cert("2028-12-15", "2029-05-13"), "2028-11-25").map(|e| e.to),
            Ok(d("2029-05-13"))
        );
        assert_eq!(
            ext(cert("2029-05-13", "2029-05-13"), "2029-04-01"),
            Err(Blocked::RenewalDue)
        );
    }

    #[test]
    fn once_per_period() {
        let mut c = cert("2027-12-15", "2029-05-13");
        c.last_attested = Some(d("2026-11-25"));
        let again = c.extension(d("2026-11-25"), false);
        assert_eq!(
            again,
            Err(Blocked::NotDue {
                attested: Some(d("2026-11-25")),
                opens: d("2027-09-16")
            })
        );
        assert_eq!(
            again.map_err(|b| b.message(Locale::Sv)),
            Err("Redan intygad 2026-11-25. Nästa intygande kan göras från 2027-09-16.".into())
        );
        assert!(
            c.extension(d("2027-09-16"), false).is_ok(),
            "the window opens"
        );
        c.window_days = 30;
        assert!(
            c.extension(d("2027-09-16"), false).is_err(),
            "a scheme's own window"
        );
    }

    #[test]
    fn what_cannot_be_attested() {
        let c = cert("2026-12-15", "2029-05-13");
        assert_eq!(c.extension(d("2026-11-25"), true), Err(Blocked::Own));
        for status in [Status::Suspended, Status::Revoked, Status::Expired] {
            let s = Yearly { status, ..c };
            assert_eq!(s.extension(d("2026-11-25"), false), Err(Blocked::NotValid));
        }
        assert_eq!(
            c.extension(d("2029-05-14"), false),
            Err(Blocked::NotValid),
            "after Giltigt till"
        );
        let none = Yearly {
            extend_by: None,
            ..c
        };
        assert_eq!(
            none.extension(d("2026-11-25"), false),
            Err(Blocked::NoYearly)
        );
        let inactive = Yearly {
            status: Status::Inactive,
            ..cert("2026-01-15", "2029-05-13")
        };
        assert!(inactive.extension(d("2026-11-25"), false).is_ok());
        let reported = Yearly {
            by_report: true,
            ..c
        };
        assert_eq!(
            reported.extension(d("2026-11-25"), false),
            Err(Blocked::ByReport),
            "a yearly report's scheme is not attested"
        );
    }
}
