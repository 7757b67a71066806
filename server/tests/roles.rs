//! Every server function is a public HTTP endpoint, so each is called here as every role (and
//! as nobody), and what it answers is compared with what that caller may do. A server function
//! missing from the table fails the test: add its row with the endpoint.

mod common;

use app::testing::databases;
use common::{call, fixture, router, send, session_as};
use http::StatusCode;

/// What a caller should get: served (2xx, or a redirect a server function asked for), or a
/// refusal with this status.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Served,
    Status(StatusCode),
}
use Expect::{Served, Status};

const UNAUTHORIZED: Expect = Status(StatusCode::UNAUTHORIZED);
const FORBIDDEN: Expect = Status(StatusCode::FORBIDDEN);
const INVALID: Expect = Status(StatusCode::UNPROCESSABLE_ENTITY);
const NOT_FOUND: Expect = Status(StatusCode::NOT_FOUND);

const CALLERS: [&str; 6] = [
    "anonymous",
    "holder",
    "company_admin",
    "provider_staff",
    "handler",
    "body_admin",
];

struct Row {
    path: &'static str,
    form: &'static str,
    /// In the order of `CALLERS`.
    expect: [Expect; 6],
}

const fn row(path: &'static str, form: &'static str, expect: [Expect; 6]) -> Row {
    Row { path, form, expect }
}

#[rustfmt::skip]
const TABLE: &[Row] = &[
    //                                                             anonymous     holder   company_admin provider_staff handler  body_admin
    row("/api/auth/me", "",                                        [Served,       Served,  Served,  Served,  Served,    Served]),
    row("/api/auth/login", "username=nobody&password=Fel-1234567", [INVALID,      INVALID, INVALID, INVALID, INVALID,   INVALID]),
    row("/api/auth/logout", "",                                    [Served,       Served,  Served,  Served,  Served,    Served]),
    row("/api/auth/logout_everywhere", "",                         [UNAUTHORIZED, Served,  Served,  Served,  Served,    Served]),
    row("/api/auth/change_password", "current=x&new=y&confirm=y",  [UNAUTHORIZED, INVALID, INVALID, INVALID, INVALID,   INVALID]),
    row("/api/auth/forgot", "username=nobody",                     [Served,       Served,  Served,  Served,  Served,    Served]),
    row("/api/auth/reset", "token=forged&new=Sommar-2027&confirm=Sommar-2027",
                                                                   [INVALID,      INVALID, INVALID, INVALID, INVALID,   INVALID]),
    row("/api/accounts/create", "username=&display_name=&email=&role=holder",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, INVALID]),
    row("/api/outbox/list", "page=1",                              [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/outbox/get", "id=no-such-email",                     [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    row("/api/outbox/send_test", "email=anna%40exempel.se",        [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    // Accounts and roles. {T} is an account with no roles.
    row("/api/accounts/search", "q=&page=1",                       [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/accounts/get", "id={T}",                             [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/accounts/grant", "account_id={T}&role=body_admin",   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, Served]),
    row("/api/accounts/revoke", "account_id={T}&role=body_admin&scope=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served]),
    // People. {P} is the holder's own person, {Q} someone else.
    row("/api/people/address", "",                                 [UNAUTHORIZED, Served,  Served,  Served,  Served,    Served]),
    row("/api/people/draft_change", "first_name=&middle_name=&last_name=&address=&postal_code=&city=&phone=&mobile=&email=&communication=digital",
                                                                   [UNAUTHORIZED, INVALID, INVALID, INVALID, INVALID,   INVALID]),
    // A company admin is a person too, with "Din adress" of their own.
    row("/api/people/draft_change", "first_name=Eva&middle_name=&last_name=Test&address=&postal_code=&city=&phone=&mobile=&email=&communication=digital",
                                                                   [UNAUTHORIZED, Served,  Served,    FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/people/submit_change", "id=no-such-draft",           [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/people/messages", "",                                [UNAUTHORIZED, Served,  Served,  Served,  Served,    Served]),
    row("/api/people/search", "q=&page=1",                         [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/people/create", "pnr=12345&first_name=&middle_name=&last_name=&address=&postal_code=&city=&phone=&mobile=&email=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, INVALID]),
    row("/api/people/get", "id={Q}",                               [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/people/get", "id={P}",                               [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/people/pending_changes", "",                         [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/people/decide_change", "id=no-such-change&decision=approve",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    // Companies. {A} is the company admin's own company, {B} another; {CA}/{CB} and {EA}/{EB}
    // are a contact and an employment of each.
    row("/api/companies/list", "q=&page=1",                        [UNAUTHORIZED, FORBIDDEN, Served, FORBIDDEN, Served, Served]),
    row("/api/companies/create", "orgnr=123&name=&address=&postal_code=&city=&website=&phone=&email=&invoice_reference=&billing_name=&billing_address=&billing_postal_code=&billing_city=&billing_email=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, INVALID]),
    row("/api/companies/get", "id={A}",                            [UNAUTHORIZED, FORBIDDEN, Served,    FORBIDDEN, Served, Served]),
    row("/api/companies/get", "id={B}",                            [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/companies/update", "id={A}&name=&address=&postal_code=&city=&website=&phone=&email=&invoice_reference=&billing_name=&billing_address=&billing_postal_code=&billing_city=&billing_email=",
                                                                   [UNAUTHORIZED, FORBIDDEN, INVALID,   FORBIDDEN, INVALID, INVALID]),
    row("/api/companies/update", "id={B}&name=&address=&postal_code=&city=&website=&phone=&email=&invoice_reference=&billing_name=&billing_address=&billing_postal_code=&billing_city=&billing_email=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, INVALID]),
    row("/api/companies/add_contact", "company_id={A}&name=&title=&phone=&email=",
                                                                   [UNAUTHORIZED, FORBIDDEN, INVALID,   FORBIDDEN, INVALID, INVALID]),
    row("/api/companies/add_contact", "company_id={B}&name=&title=&phone=&email=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, INVALID]),
    row("/api/companies/add_branch", "company_id={A}&name=&address=&postal_code=&city=",
                                                                   [UNAUTHORIZED, FORBIDDEN, INVALID,   FORBIDDEN, INVALID, INVALID]),
    row("/api/companies/add_branch", "company_id={B}&name=&address=&postal_code=&city=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, INVALID]),
    // Another company's contact through one's own company is not found.
    row("/api/companies/remove", "company_id={A}&kind=contact&id={CB}",
                                                                   [UNAUTHORIZED, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    row("/api/companies/remove", "company_id={B}&kind=contact&id={CB}",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, NOT_FOUND]),
    row("/api/companies/add_employee", "company_id={A}&pnr=12345&first_name=&last_name=&position=&start_date=",
                                                                   [UNAUTHORIZED, FORBIDDEN, INVALID,   FORBIDDEN, INVALID, INVALID]),
    row("/api/companies/add_employee", "company_id={B}&pnr=12345&first_name=&last_name=&position=&start_date=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, INVALID]),
    row("/api/companies/end_employment", "company_id={A}&id={EB}&end_date=2026-12-31",
                                                                   [UNAUTHORIZED, FORBIDDEN, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    row("/api/companies/end_employment", "company_id={B}&id={EB}&end_date=2026-12-31",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/companies/add_note", "company_id={A}&body=",         [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, INVALID]),
    row("/api/companies/add_admin", "company_id={A}&account=nobody",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, INVALID]),
    row("/api/companies/remove_admin", "company_id={A}&account_id=nobody",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    // Certificates. Only a company's admins attest; staff and admins see the list.
    row("/api/certificates/employees", "company_id={A}&listing[status]=&listing[area]=&listing[sort]=&listing[desc]=false&listing[page]=1",
                                                                   [UNAUTHORIZED, FORBIDDEN, Served,    FORBIDDEN, Served, Served]),
    row("/api/certificates/employees", "company_id={B}&listing[status]=&listing[area]=&listing[sort]=&listing[desc]=false&listing[page]=1",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/certificates/preview_attest", "company_id={A}&ids[0]={XB}",
                                                                   [UNAUTHORIZED, FORBIDDEN, INVALID,   FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/certificates/preview_attest", "company_id={B}&ids[0]={XB}",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/certificates/attest", "company_id={A}&ids[0]={XB}",  [UNAUTHORIZED, FORBIDDEN, INVALID,   FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/certificates/attest", "company_id={B}&ids[0]={XB}",  [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    // {XA} is the holder's own certificate, of an employee of {A}; {XB} someone else's at {B}.
    row("/api/certificates/mine", "q=",                            [UNAUTHORIZED, Served,  Served,  Served,  Served,    Served]),
    row("/api/certificates/get", "id={XA}",                        [UNAUTHORIZED, Served,    Served,    FORBIDDEN, Served, Served]),
    row("/api/certificates/get", "id={XB}",                        [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    // A person's certificates: staff only.
    row("/api/certificates/of_person", "person_id={P}",            [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    // What anyone may know of a certificate, and a PDF check's verdict: no sign-in.
    row("/api/verify/certificate", "number=90000",                 [Served,       Served,  Served,  Served,  Served,    Served]),
    row("/api/verify/certificate", "number=no-such-number",        [Served,       Served,  Served,  Served,  Served,    Served]),
    row("/api/verify/checked", "id=no-such-check",                 [Served,       Served,  Served,  Served,  Served,    Served]),
    row("/api/verify/register", "query[q]=&query[scheme]=&query[town]=&query[page]=1",
                                                                   [Served,       Served,  Served,  Served,  Served,    Served]),
    // Only the holder publishes their name; only staff suspend and revoke, with a reason.
    row("/api/certificates/publish", "id={XA}&publish=1",          [UNAUTHORIZED, Served,    FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/certificates/publish", "id={XB}&publish=1",          [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/certificates/change_status", "id={XB}&change=suspend&reason=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, INVALID]),
    row("/api/certificates/change_status", "id={XB}&change=revoke&reason=Utfärdat+felaktigt",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID, INVALID]),
    row("/api/certificates/change_status", "id={XB}&change=suspend&reason=Utredning",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/people/employments", "",                             [UNAUTHORIZED, Served,  Served,  Served,  Served,    Served]),
    // Only the holder invites, sends again or cancels, and only for their own certificate.
    row("/api/attestations/invite", "certificate_id={XA}&email=chef%40exempel.se",
                                                                   [UNAUTHORIZED, Served,    FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/attestations/invite", "certificate_id={XB}&email=chef%40exempel.se",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/attestations/pending", "certificate_id={XA}",        [UNAUTHORIZED, Served,    FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/attestations/pending", "certificate_id={XB}",        [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/attestations/resend", "certificate_id={XA}",         [UNAUTHORIZED, Served,    FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/attestations/resend", "certificate_id={XB}",         [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/attestations/cancel", "certificate_id={XB}",         [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/attestations/cancel", "certificate_id={XA}",         [UNAUTHORIZED, Served,    FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    // The attester has no account: the link's token is the key, and a forged one opens nothing.
    row("/api/attestations/link", "token=forged",                  [Served,       Served,  Served,  Served,  Served,    Served]),
    row("/api/attestations/start", "token=forged&pnr=199004129814&name=Erik&position=Chef",
                                                                   [INVALID,      INVALID, INVALID, INVALID, INVALID,   INVALID]),
    row("/api/attestations/status", "token=forged",                [Served,       Served,  Served,  Served,  Served,    Served]),
    row("/api/attestations/cancel_signing", "token=forged",        [Served,       Served,  Served,  Served,  Served,    Served]),
    row("/api/attestations/body_contact", "",                      [Served,       Served,  Served,  Served,  Served,    Served]),
    // The security log is the body's.
    row("/api/auth/security_events", "kind=&page=1",               [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    // Employment needs the person's consent: only they (or staff) answer; {EA} is the holder's.
    row("/api/people/decide_employment", "id={EB}&decision=confirm",
                                                                   [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, Served, Served]),
    row("/api/people/decide_employment", "id={EA}&decision=confirm",
                                                                   [UNAUTHORIZED, Served,    NOT_FOUND, NOT_FOUND, Served, Served]),
    row("/api/people/pending_employments", "",                     [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/people/employment_link", "token=forged",             [Served,       Served,  Served,  Served,  Served,    Served]),
    row("/api/people/decide_employment_link", "token=forged&decision=confirm",
                                                                   [NOT_FOUND,    NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]),
    // A bulk action's outcome, for whoever manages the company; asking employees, admins only.
    row("/api/certificates/attest_result", "company_id={A}&result=none",
                                                                   [UNAUTHORIZED, FORBIDDEN, Served,    FORBIDDEN, Served, Served]),
    row("/api/certificates/attest_result", "company_id={B}&result=none",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/certificates/preview_ask", "company_id={A}&ids[0]={XA}",
                                                                   [UNAUTHORIZED, FORBIDDEN, Served,    FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/certificates/preview_ask", "company_id={B}&ids[0]={XB}",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/certificates/ask", "company_id={A}&ids[0]={XA}",     [UNAUTHORIZED, FORBIDDEN, Served,    FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/certificates/ask", "company_id={B}&ids[0]={XB}",     [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    // Cases are their person's: another's is not found; an account without a person has none.
    // {KA} is the holder's open case for scheme {S}, {KB} someone else's; {R} its document.
    row("/api/cases/apply_view", "",                               [UNAUTHORIZED, Served,    Served,    FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/mine", "",                                     [UNAUTHORIZED, Served,    Served,    FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/apply", "scheme_id=&level_id=",                [UNAUTHORIZED, INVALID,   INVALID,   FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/apply", "scheme_id={S}&level_id=",             [UNAUTHORIZED, Served,    Served,    FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    // A renewal is of one's own certificate ({XA} is valid until 2099: not yet).
    row("/api/cases/renewal_view", "certificate_id={XA}",          [UNAUTHORIZED, Served,    NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/renewal_view", "certificate_id={XB}",          [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/renew", "certificate_id={XA}",                 [UNAUTHORIZED, INVALID,   NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/renew", "certificate_id={XB}",                 [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/get", "id={KA}",                               [UNAUTHORIZED, Served,    NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/get", "id={KB}",                               [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/archive", "case_id={KA}&sort=name&dir=asc&doc_type=&page=1",
                                                                   [UNAUTHORIZED, Served,    NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/archive", "case_id={KB}&sort=&dir=&doc_type=&page=1",
                                                                   [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/ready", "case_id={KA}",                        [UNAUTHORIZED, INVALID,   NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/explain", "case_id={KB}&requirement_id={R}&reason=Posten",
                                                                   [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/explain", "case_id={KA}&requirement_id={R}&reason=",
                                                                   [UNAUTHORIZED, INVALID,   INVALID,   FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/explain", "case_id={KA}&requirement_id={R}&reason=Posten",
                                                                   [UNAUTHORIZED, Served,    NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/ready", "case_id={KB}",                        [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/cases/ready", "case_id={KA}",                        [UNAUTHORIZED, Served,    NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    // The handlers' side, once the holder's case {KA} is ready: only staff see the queue and a
    // case; a document is reviewed only once the case is taken; only a body admin assigns.
    // Messages: the holder on their own case, staff on any; another's case is not found.
    row("/api/cases/messages", "case_id={KA}&open=",                [UNAUTHORIZED, Served,    NOT_FOUND, NOT_FOUND, Served,    Served]),
    row("/api/cases/messages", "case_id={KB}&open=",                [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, Served,    Served]),
    row("/api/cases/send_message", "case_id={KA}&kind=note&body=",  [UNAUTHORIZED, INVALID,   INVALID,   INVALID,   INVALID,   INVALID]),
    row("/api/cases/send_message", "case_id={KB}&kind=note&body=Hej&action=send",
                                                                    [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, Served,    Served]),
    row("/api/cases/send_message", "case_id={KA}&kind=note&body=Hej&action=draft",
                                                                    [UNAUTHORIZED, Served,    NOT_FOUND, NOT_FOUND, Served,    Served]),
    row("/api/cases/queue", "filter=waiting&scheme_id=&min_age=&page=1",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served,    Served]),
    row("/api/cases/handle", "id={KA}&events_page=1",              [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served,    Served]),
    row("/api/cases/handle", "id=no-such&events_page=1",           [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    row("/api/cases/review", "case_id={KA}&requirement_id={R}&verdict=approved&comment=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID,   INVALID]),
    row("/api/cases/take", "case_id=no-such",                      [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    row("/api/cases/take", "case_id={KA}",                         [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served,    Served]),
    row("/api/cases/review", "case_id={KA}&requirement_id={R}&verdict=&comment=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID,   INVALID]),
    row("/api/cases/review", "case_id={KA}&requirement_id={R}&verdict=approved&comment=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served,    Served]),
    // Supplement, exams, decision: staff on a case they handle; refused in words before.
    row("/api/cases/request_supplement", "case_id={KA}&requirement_ids[0]={R}&supplement_text=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID,   INVALID]),
    row("/api/cases/request_supplement", "case_id=no-such&requirement_ids[0]={R}&supplement_text=Saknas",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    row("/api/cases/record_exam", "case_id={KA}&taken_on=2026-13-01&exam=Teori&result=passed&score=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID,   INVALID]),
    row("/api/cases/record_exam", "case_id={KA}&taken_on=2026-01-10&exam=Teori&result=passed&score=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served,    Served]),
    row("/api/cases/decide", "case_id={KA}&decision=reject&reason=&confirm=on",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID,   INVALID]),
    row("/api/cases/decide", "case_id={KA}&decision=reject&reason=Nej",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID,   INVALID]),
    row("/api/cases/decide", "case_id=no-such&decision=reject&reason=Nej&confirm=on",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    row("/api/cases/attach", "case_id={KA}&requirement_id={R}&document_id=no-such",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    row("/api/cases/assign", "case_id={KA}&handler_id={T}",        [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID]),
    // After the holder's case is ready: a document added to {S} would be one more to send.
    row("/api/cases/schemes", "",                                  [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served,    Served]),
    row("/api/cases/scheme_documents", "scheme_id={S}",            [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served,    Served]),
    row("/api/cases/scheme_documents", "scheme_id=no-such",        [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    row("/api/cases/save_requirement", "scheme_id={S}&id=&name=&name_en=&help=&help_en=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID]),
    row("/api/cases/save_requirement", "scheme_id={S}&id=&name=Intyg&name_en=&help=&help_en=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served]),
    row("/api/cases/move_requirement", "scheme_id={S}&id={R}&direction=down",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served]),
    row("/api/cases/move_requirement", "scheme_id={S}&id=no-such&direction=up",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND]),
    row("/api/cases/remove_template", "scheme_id={S}&id={R}",        [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served]),
    row("/api/cases/remove_template", "scheme_id={S}&id=no-such",      [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND]),
    row("/api/cases/remove_requirement", "scheme_id={S}&id=no-such",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served]),
    row("/api/cases/retention_report", "page=1",                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served]),
    row("/api/reminders/rules", "scheme_id={S}",                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served,    Served]),
    row("/api/reminders/rules", "scheme_id=no-such",               [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    row("/api/reminders/set_extension", "scheme_id={S}&by=sometimes",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID]),
    row("/api/reminders/set_extension", "scheme_id={S}&by=attestation",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served]),
    row("/api/reminders/set_extension", "scheme_id=no-such&by=report",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND]),
    row("/api/reminders/save_rules", "scheme_id={S}&report_due=&attestation_due=x&inactive_soon=7&renewal=6&link_expiring=5",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID]),
    row("/api/reminders/save_rules", "scheme_id={S}&report_due=&attestation_due=30&inactive_soon=7&renewal=6&link_expiring=5",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served]),
    row("/api/reminders/save_rules", "scheme_id=no-such&report_due=&attestation_due=&inactive_soon=&renewal=&link_expiring=",
                                                                   [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND]),
    row("/api/reminders/letters", "posted=false&page=1",           [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served,    Served]),
    row("/api/reminders/mark_posted", "id=no-such",                [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND]),
    // Training providers. {PV} is the provider `test-provider_staff` works for, {C} its course
    // with a certification; {BA} is Anja's booking (for {A}) on it, {BB} Erik's on another
    // provider's course.
    row("/api/training/profile", "id={PV}",                          [Served,       Served,  Served,  Served,  Served,    Served]),
    row("/api/training/profile", "id=no-such",                       [NOT_FOUND,    NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]),
    row("/api/training/verify", "code=K-NO-SUCH",                    [NOT_FOUND,    NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]),
    row("/api/training/providers", "",                               [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/training/create_provider", "orgnr=123&name=",          [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, INVALID]),
    row("/api/training/provider_workspace", "provider_id=&status=&page=1",
                                                                     [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, Served, FORBIDDEN, FORBIDDEN]),
    row("/api/training/provider_workspace", "provider_id={PV}&status=&page=1",
                                                                     [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, Served, Served, Served]),
    row("/api/training/save_profile", "id={PV}&name=&description=&website=&linkedin_org_id=",
                                                                     [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, INVALID, INVALID, INVALID]),
    row("/api/training/save_course", "provider_id={PV}&course_id=&title=&description=&starts_on=&price=",
                                                                     [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, INVALID, INVALID, INVALID]),
    row("/api/training/save_course", "provider_id=&course_id={C0}&title=Brandskydd&description=&starts_on=&price=",
                                                                     [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, Served, Served, Served]),
    row("/api/training/course_for_edit", "id={C}",                   [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, Served, Served, Served]),
    row("/api/training/set_certification", "course_id={C}&certification=Intyg+k%C3%B6ldmedier&graded=1&scheme_id=",
                                                                     [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, Served, Served, Served]),
    row("/api/training/company_bookings", "company_id={A}",          [UNAUTHORIZED, FORBIDDEN, Served, FORBIDDEN, Served, Served]),
    row("/api/training/company_bookings", "company_id={B}",          [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    // Only a company's own confirmed employees are booked; Erik works at {B}.
    row("/api/training/book", "company_id={A}&person_id={Q}&course_id={C}",
                                                                     [UNAUTHORIZED, FORBIDDEN, INVALID, FORBIDDEN, INVALID, INVALID]),
    row("/api/training/book", "company_id={B}&person_id={Q}&course_id={C}",
                                                                     [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    row("/api/training/get_booking", "id={BA}",                      [UNAUTHORIZED, Served, Served, Served, Served, Served]),
    row("/api/training/get_booking", "id={BB}",                      [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, Served, Served]),
    // Only the provider (and the body's staff) change a status; another provider's is not found.
    row("/api/training/change_status", "id={BA}&status=unknown",     [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, INVALID, INVALID, INVALID]),
    row("/api/training/change_status", "id={BB}&status=registered",  [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, Served, Served]),
    row("/api/training/withdraw", "id={BA}&reason=Fel",              [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, INVALID, INVALID, INVALID]),
    row("/api/training/withdraw", "id={BB}&reason=Fel",              [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, INVALID, INVALID]),
    row("/api/training/my_training", "",                             [UNAUTHORIZED, Served, Served, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    // No certificate yet: nothing to consent to; taking a consent back is always possible.
    row("/api/training/consent", "id={BA}&give=1",                   [UNAUTHORIZED, INVALID, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/training/consent", "id={BA}&give=0",                   [UNAUTHORIZED, Served, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/training/consent", "id={BB}&give=1",                   [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    // Not yet "Fullföljd": the participant is told why; anyone else finds nothing.
    row("/api/training/send_review", "id={BA}&rating=5&text=",       [UNAUTHORIZED, INVALID, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/training/change_status", "id={BA}&status=registered",  [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, Served, Served, Served]),
    // Only the participant attaches their certificate, to their own application for the
    // course's scheme ({C} is required training for none).
    row("/api/training/attach", "id={BA}&target=x/y",                [UNAUTHORIZED, INVALID, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/training/attach", "id={BB}&target=x/y",                [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    // Invitations by email: to the provider's own course ({CX} is another provider's); the
    // link's page and answer for anyone holding a link, none for a link that is no invitation.
    row("/api/training/invite", "course_id={C}&name=Nils+Nilsson&email=nils%40exempel.se",
                                                                     [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, Served, Served, Served]),
    row("/api/training/invite", "course_id={CX}&name=Nils+Nilsson&email=nils%40exempel.se",
                                                                     [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, Served, Served]),
    row("/api/training/invite", "course_id={C}&name=&email=nils",    [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, INVALID, INVALID, INVALID]),
    row("/api/training/invite", "course_id={C}&name=Nils&email=nils%40exempel.se&language=fi",
                                                                     [UNAUTHORIZED, INVALID, INVALID, INVALID, INVALID, INVALID]),
    row("/api/training/withdraw_invite", "provider_id={PV}&id=no-such",
                                                                     [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]),
    row("/api/training/course_invite", "token=no-such",              [Served,       Served,  Served,  Served,  Served,    Served]),
    row("/api/training/answer_invite", "token=no-such&decision=accept",
                                                                     [NOT_FOUND,    NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]),
    row("/api/training/answer_invite", "token=no-such&decision=maybe",
                                                                     [INVALID,      INVALID, INVALID, INVALID, INVALID,   INVALID]),
    row("/api/training/remove_logo", "provider_id={PV}",             [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, Served, Served, Served]),
    row("/api/training/remove_logo", "provider_id=no-such",          [UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]),
    // A person's course certificates: their own, or anyone's for the body's staff.
    row("/api/training/course_certificates", "person_id=",           [UNAUTHORIZED, Served, Served, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    row("/api/training/course_certificates", "person_id={P}",        [UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN, Served, Served]),
    // Last: it moves {XA} a year on, after which the holder's rows above could not invite.
    row("/api/certificates/attest", "company_id={A}&ids[0]={XA}",  [UNAUTHORIZED, FORBIDDEN, Served,    FORBIDDEN, FORBIDDEN, FORBIDDEN]),
];

#[tokio::test]
async fn the_table_covers_every_server_function() {
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    for path in &registered {
        assert!(
            TABLE.iter().any(|r| r.path == path),
            "{path} has no row in the role table"
        );
    }
    for r in TABLE {
        assert!(
            registered.iter().any(|p| p == r.path),
            "{} is in the table but not registered",
            r.path
        );
    }
}

#[tokio::test]
async fn every_server_function_answers_every_role_as_it_may() {
    for t in databases().await {
        let fx = fixture(&t.state).await;
        let app = router(t.state.clone());
        let mut failures = Vec::new();
        for r in TABLE {
            for (caller, expect) in CALLERS.iter().zip(r.expect) {
                // A fresh session per call: some calls end the caller's sessions.
                let cookie = match *caller {
                    "anonymous" => None,
                    role => Some(session_as(&t.state, role).await),
                };
                let (res, body) =
                    send(&app, call(r.path, &fx.fill(r.form), cookie.as_deref())).await;
                let status = res.status();
                let ok = match expect {
                    Served => status.is_success() || status.is_redirection(),
                    Status(code) => status == code,
                };
                if !ok {
                    failures.push(format!(
                        "{} as {caller}: expected {expect:?}, got {status} {body}",
                        r.path
                    ));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{:?}:\n{}",
            t.backend(),
            failures.join("\n")
        );
    }
}

/// A response body as JSON.
fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// What each may see, read from the answers themselves: a company admin's lists hold only their
/// own company's rows, a holder's only their own; a refusal carries nothing of anyone's.
#[tokio::test]
async fn every_answer_holds_only_what_its_caller_may_see() {
    for t in databases().await {
        let fx = fixture(&t.state).await;
        let app = router(t.state.clone());
        let as_role = |role: &'static str| {
            let state = t.state.clone();
            async move { session_as(&state, role).await }
        };
        let (admin, holder, handler) = (
            as_role("company_admin").await,
            as_role("holder").await,
            as_role("handler").await,
        );
        let get = |path: &'static str, form: String, cookie: String| {
            let app = app.clone();
            async move { send(&app, call(path, &form, Some(&cookie))).await }
        };

        // What anyone may know of a certificate: its facts, not its unpublished holder's name,
        // never a personnummer; the register holds only published holders.
        let (_, body) = get(
            "/api/verify/certificate",
            "number=90000".into(),
            admin.clone(),
        )
        .await;
        assert_eq!(json(&body)["number"], "90000", "{body}");
        let (_, register) = get(
            "/api/verify/register",
            "query[q]=&query[scheme]=&query[town]=&query[page]=1".into(),
            admin.clone(),
        )
        .await;
        for secret in ["Anja", "Erik", common::OWN_PNR, "199004129814"] {
            assert!(
                !body.contains(secret),
                "the certificate leaks {secret}: {body}"
            );
            assert!(
                !register.contains(secret),
                "the register leaks {secret}: {register}"
            );
        }
        // A person's certificates are for staff.
        let (_, body) = get(
            "/api/certificates/of_person",
            fx.fill("person_id={P}"),
            handler.clone(),
        )
        .await;
        assert!(body.contains("90000"), "{body}");

        // Companies: the admin's list holds their company only; staff see both.
        let (_, body) = get("/api/companies/list", "q=&page=1".into(), admin.clone()).await;
        let names: Vec<String> = json(&body)["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|c| c["name"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(names, ["Eget AB"], "{:?}", t.backend());
        let (_, body) = get("/api/companies/list", "q=&page=1".into(), handler.clone()).await;
        assert_eq!(json(&body)["items"].as_array().map(Vec::len), Some(2));

        // Certificates: the holder's own only; the admin's employees' of their company only.
        let (_, body) = get("/api/certificates/mine", "q=".into(), holder.clone()).await;
        let mine: Vec<String> = json(&body)
            .as_array()
            .expect("list")
            .iter()
            .map(|c| c["number"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(mine, ["90000"]);
        let listing =
            "listing[status]=&listing[area]=&listing[sort]=&listing[desc]=false&listing[page]=1";
        let (_, body) = get(
            "/api/certificates/employees",
            fx.fill(&format!("company_id={{A}}&{listing}")),
            admin.clone(),
        )
        .await;
        let numbers: Vec<String> = json(&body)["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|c| c["number"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            numbers,
            ["90000"],
            "Anja's; not Erik's at the other company"
        );

        // The holder's employments and messages are their own.
        let (_, body) = get("/api/people/employments", String::new(), holder.clone()).await;
        let companies: Vec<String> = json(&body)
            .as_array()
            .expect("list")
            .iter()
            .map(|e| e["company_name"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(companies, ["Eget AB"]);

        // Cases: the holder's own only.
        let (_, body) = get("/api/cases/mine", String::new(), holder.clone()).await;
        let cases: Vec<String> = json(&body)["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .map(|c| c["id"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(cases, [fx.own_case.as_str()]);

        // Refusals carry no one's data.
        for (path, form, cookie) in [
            ("/api/cases/get", fx.fill("id={KB}"), holder.clone()),
            ("/api/companies/get", fx.fill("id={B}"), admin.clone()),
            ("/api/certificates/get", fx.fill("id={XB}"), holder.clone()),
            ("/api/certificates/get", fx.fill("id={XB}"), admin.clone()),
            ("/api/people/get", fx.fill("id={Q}"), admin.clone()),
        ] {
            let (res, body) = get(path, form, cookie).await;
            assert!(
                [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&res.status()),
                "{path}: {}",
                res.status()
            );
            for secret in ["Annat AB", "Erik", "199004129814", "90001"] {
                assert!(!body.contains(secret), "{path} leaks {secret}: {body}");
            }
        }
        // Event logs show addresses to staff only.
        let (_, body) = get(
            "/api/certificates/get",
            fx.fill("id={XA}&events_page=1"),
            holder.clone(),
        )
        .await;
        assert!(
            json(&body)["events"]["items"]
                .as_array()
                .expect("events")
                .iter()
                .all(|e| e["ip"].is_null())
        );
    }
}
