//! The reminders' rules: which reminders a scheme sends, how long before each deadline, and
//! whose turn it is on a given day. Pure, so the rules page (WASM) and the daily job agree.

use crate::i18n::{Msg, Named, Text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::coded! {
    /// The reminders the portal sends, each before its own deadline.
    pub enum ReminderKind {
        /// "Årsrapportpåminnelse": the yearly report is due ("Förläng senast"), for schemes
        /// extended by a report.
        ReportDue = "report_due",
        /// The yearly attestation is due ("Förläng senast"), for schemes extended by one.
        AttestationDue = "attestation_due",
        /// The certificate goes inactive at "Förläng senast" unless it is extended.
        InactiveSoon = "inactive_soon",
        /// "Förnyelsepåminnelse": the validity ends ("Giltigt till"); renewal is never automatic.
        Renewal = "renewal",
        /// The holder's link to an attester ends (a link is valid 30 days).
        LinkExpiring = "link_expiring",
    }
}

/// How a kind's "how long before" is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Days,
    Months,
}

/// A reminder whose day the job missed (a server down, a deploy) is still sent this many days
/// late; an older occasion is let go rather than sent out of season.
pub const CATCH_UP_DAYS: i64 = 7;

/// At most this many reminders of one kind per deadline.
pub const OFFSETS_MAX: usize = 6;

impl ReminderKind {
    pub fn unit(self) -> Unit {
        match self {
            ReminderKind::Renewal => Unit::Months,
            _ => Unit::Days,
        }
    }

    /// Whether a scheme sends reminders of this kind: reports and attestations by how its
    /// certificates are extended each year (`yearly`, by a `report` or an attestation);
    /// renewal for every scheme.
    pub fn applies(self, yearly: bool, report: bool) -> bool {
        match self {
            ReminderKind::ReportDue => report,
            ReminderKind::AttestationDue | ReminderKind::LinkExpiring => yearly && !report,
            ReminderKind::InactiveSoon => yearly,
            ReminderKind::Renewal => true,
        }
    }

    /// The longest "before" the rules page accepts.
    pub fn max(self) -> u32 {
        match self {
            ReminderKind::Renewal => 24,
            // An attester's link is valid 30 days.
            ReminderKind::LinkExpiring => 29,
            _ => 365,
        }
    }

    /// The message type, as "Meddelanden" names it.
    pub fn label(self) -> Text {
        match self {
            ReminderKind::ReportDue => Text::ReminderReportDue,
            ReminderKind::AttestationDue => Text::ReminderAttestationDue,
            ReminderKind::InactiveSoon => Text::ReminderInactiveSoon,
            ReminderKind::Renewal => Text::ReminderRenewal,
            ReminderKind::LinkExpiring => Text::ReminderLinkExpiring,
        }
    }

    /// What the rules page says the field is for.
    pub fn hint(self) -> Text {
        match self {
            ReminderKind::ReportDue => Text::ReminderHintReportDue,
            ReminderKind::AttestationDue => Text::ReminderHintAttestationDue,
            ReminderKind::InactiveSoon => Text::ReminderHintInactiveSoon,
            ReminderKind::Renewal => Text::ReminderHintRenewal,
            ReminderKind::LinkExpiring => Text::ReminderHintLinkExpiring,
        }
    }

    /// The day `amount` units before `deadline`.
    pub fn threshold(self, deadline: NaiveDate, amount: u32) -> NaiveDate {
        match self.unit() {
            Unit::Days => deadline - chrono::Duration::days(i64::from(amount)),
            Unit::Months => deadline
                .checked_sub_months(chrono::Months::new(amount))
                .unwrap_or(deadline),
        }
    }

    /// The deadlines whose reminder `amount` before may be due on `today`, widened by a few days
    /// for the months' uneven lengths: the database narrows by this, [`occasion`] decides.
    pub fn deadline_range(self, today: NaiveDate, amount: u32) -> (NaiveDate, NaiveDate) {
        let ahead = |d: NaiveDate| match self.unit() {
            Unit::Days => d + chrono::Duration::days(i64::from(amount)),
            Unit::Months => d
                .checked_add_months(chrono::Months::new(amount))
                .unwrap_or(d),
        };
        (
            ahead(today - chrono::Duration::days(CATCH_UP_DAYS)) - chrono::Duration::days(3),
            ahead(today) + chrono::Duration::days(3),
        )
    }
}

/// Which "before" of `offsets` is due on `today` for `deadline`, if any: the nearest one whose
/// day has come, while the deadline has not passed and at most [`CATCH_UP_DAYS`] after its day.
/// A nearer one that has come supersedes a farther one (a certificate issued two months before
/// its end gets the one-month reminder, not three at once).
pub fn occasion(
    kind: ReminderKind,
    offsets: &[u32],
    deadline: NaiveDate,
    today: NaiveDate,
) -> Option<u32> {
    if today >= deadline {
        return None;
    }
    let mut nearest_first = offsets.to_vec();
    nearest_first.sort_unstable();
    let amount = nearest_first
        .into_iter()
        .find(|&a| kind.threshold(deadline, a) <= today)?;
    let day = kind.threshold(deadline, amount);
    (today < day + chrono::Duration::days(CATCH_UP_DAYS)).then_some(amount)
}

/// A scheme's reminder rules: for each kind, how long before its deadline (days, or months for
/// renewal); an empty list sends none of that kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    #[serde(default)]
    pub report_due: Vec<u32>,
    #[serde(default)]
    pub attestation_due: Vec<u32>,
    #[serde(default)]
    pub inactive_soon: Vec<u32>,
    #[serde(default)]
    pub renewal: Vec<u32>,
    #[serde(default)]
    pub link_expiring: Vec<u32>,
}

impl Default for Rules {
    /// The manual's 45 days before a report; renewal 6, 3 and 1 months before the end; the
    /// attestation a month before; a week before a certificate goes inactive; an attester's
    /// link 5 days before it ends.
    fn default() -> Rules {
        Rules {
            report_due: vec![45],
            attestation_due: vec![30],
            inactive_soon: vec![7],
            renewal: vec![6, 3, 1],
            link_expiring: vec![5],
        }
    }
}

impl Rules {
    /// The rules a scheme keeps as JSON; empty (or unreadable): the defaults.
    pub fn from_json(json: &str) -> Rules {
        serde_json::from_str(json).unwrap_or_default()
    }

    pub fn get(&self, kind: ReminderKind) -> &[u32] {
        match kind {
            ReminderKind::ReportDue => &self.report_due,
            ReminderKind::AttestationDue => &self.attestation_due,
            ReminderKind::InactiveSoon => &self.inactive_soon,
            ReminderKind::Renewal => &self.renewal,
            ReminderKind::LinkExpiring => &self.link_expiring,
        }
    }

    fn get_mut(&mut self, kind: ReminderKind) -> &mut Vec<u32> {
        match kind {
            ReminderKind::ReportDue => &mut self.report_due,
            ReminderKind::AttestationDue => &mut self.attestation_due,
            ReminderKind::InactiveSoon => &mut self.inactive_soon,
            ReminderKind::Renewal => &mut self.renewal,
            ReminderKind::LinkExpiring => &mut self.link_expiring,
        }
    }

    /// A kind's field as the rules page shows it: "6, 3, 1".
    pub fn field(&self, kind: ReminderKind) -> String {
        self.get(kind)
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Reads the rules page's fields (kind code, text): whole numbers separated by commas or
    /// spaces, each from 1 to the kind's longest, at most [`OFFSETS_MAX`]; empty sends none.
    /// Every refused field is named with its reason.
    pub fn parse(fields: &[(ReminderKind, &str)]) -> Result<Rules, Vec<(ReminderKind, Msg)>> {
        let mut rules = Rules {
            report_due: vec![],
            attestation_due: vec![],
            inactive_soon: vec![],
            renewal: vec![],
            link_expiring: vec![],
        };
        let mut errors = Vec::new();
        for &(kind, text) in fields {
            match parse_offsets(kind, text) {
                Ok(list) => *rules.get_mut(kind) = list,
                Err(m) => errors.push((kind, m)),
            }
        }
        if errors.is_empty() {
            Ok(rules)
        } else {
            Err(errors)
        }
    }
}

fn parse_offsets(kind: ReminderKind, text: &str) -> Result<Vec<u32>, Msg> {
    let max = kind.max();
    let mut list = Vec::new();
    for word in text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        match word.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => list.push(n),
            _ => {
                return Err(
                    Msg::with(Text::ReminderOffsetInvalid, &[("max", &max.to_string())])
                        .nest("kind", Msg::with(kind.label(), &[])),
                );
            }
        }
    }
    list.sort_unstable_by(|a, b| b.cmp(a));
    list.dedup();
    if list.len() > OFFSETS_MAX {
        return Err(Msg::with(
            Text::ReminderOffsetsTooMany,
            &[("max", &OFFSETS_MAX.to_string())],
        )
        .nest("kind", Msg::with(kind.label(), &[])));
    }
    Ok(list)
}

/// A scheme's reminder rules as the rules page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeRules {
    pub id: String,
    pub area: Named,
    pub name: Named,
    /// Extended yearly by a report ("Årsrapportering") instead of an attestation.
    pub yearly_report: bool,
    /// Has a yearly extension at all.
    pub yearly: bool,
    pub rules: Rules,
    /// Whether the defaults apply (nothing saved).
    pub defaults: bool,
}

/// A letter staff post to someone who asked for letters ("Analog") or has no email address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    pub id: String,
    pub kind: ReminderKind,
    pub person_id: String,
    pub name: String,
    /// Street, postal code and town, on lines.
    pub address: Vec<String>,
    pub scheme: Named,
    pub number: String,
    pub deadline: String,
    pub sent_on: String,
    pub posted_at: Option<String>,
    /// What the letter says, in the person's language: its subject and its text.
    pub subject: String,
    pub text: String,
}

/// What "Markera som postat" did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Posted {
    Marked,
    Already,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn the_nearest_reminder_whose_day_has_come_is_due_for_a_week() {
        let k = ReminderKind::Renewal;
        let end = day("2027-08-31");
        let rules = [6, 3, 1];
        assert_eq!(occasion(k, &rules, end, day("2027-02-27")), None);
        assert_eq!(occasion(k, &rules, end, day("2027-02-28")), Some(6));
        assert_eq!(occasion(k, &rules, end, day("2027-03-06")), Some(6));
        assert_eq!(occasion(k, &rules, end, day("2027-03-07")), None);
        assert_eq!(occasion(k, &rules, end, day("2027-05-31")), Some(3));
        assert_eq!(occasion(k, &rules, end, day("2027-07-31")), Some(1));
        // Issued two months before its end: only the one-month reminder, when it comes.
        assert_eq!(occasion(k, &rules, end, day("2027-07-01")), None);
        assert_eq!(occasion(k, &rules, end, day("2027-08-31")), None);
        for today in ["2027-02-28", "2027-05-31", "2027-07-31"] {
            let (lo, hi) = k.deadline_range(
                day(today),
                occasion(k, &rules, end, day(today)).expect("due"),
            );
            assert!(lo <= end && end <= hi, "{today}: {lo}..{hi}");
        }
    }

    #[test]
    fn days_before_count_back_from_the_deadline() {
        let k = ReminderKind::ReportDue;
        let due = day("2027-03-01");
        assert_eq!(occasion(k, &[45], due, day("2027-01-14")), None);
        assert_eq!(occasion(k, &[45], due, day("2027-01-15")), Some(45));
        assert_eq!(occasion(k, &[45], due, day("2027-01-16")), Some(45));
        let (lo, hi) = k.deadline_range(day("2027-01-15"), 45);
        assert!(lo <= due && due <= hi);
    }

    #[test]
    fn the_rules_page_reads_numbers_and_names_what_it_refuses() {
        let rules = Rules::parse(&[
            (ReminderKind::Renewal, "1, 6 3 3"),
            (ReminderKind::ReportDue, ""),
        ])
        .expect("valid");
        assert_eq!(rules.renewal, vec![6, 3, 1]);
        assert!(rules.report_due.is_empty());
        let refused = Rules::parse(&[
            (ReminderKind::Renewal, "25"),
            (ReminderKind::ReportDue, "45 days"),
            (ReminderKind::InactiveSoon, "1 2 3 4 5 6 7"),
            (ReminderKind::LinkExpiring, "-1"),
        ])
        .expect_err("refused");
        assert_eq!(refused.len(), 4);
        assert_eq!(Rules::from_json(""), Rules::default());
        let json = serde_json::to_string(&rules).expect("json");
        assert_eq!(Rules::from_json(&json), rules);
    }
}
