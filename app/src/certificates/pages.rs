use super::api::{Ask, Attest, attest_result, employee_certificates, preview_ask, preview_attest};
use super::model::{EmployeeCertificate, Listing, SORTS, Status};
use crate::i18n::{Text, current_locale, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::ErrorSummary;
use crate::ui::islands::SelectAllBox;
use crate::ui::summary::Pagination;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The tab's listing as the address gives it.
pub fn listing_from_query() -> Listing {
    let query = use_query_map();
    let q = query.read_untracked();
    Listing {
        status: q.get("status").unwrap_or_default(),
        area: q.get("area").unwrap_or_default(),
        sort: q.get("sort").unwrap_or_default(),
        desc: q.get("desc").as_deref() == Some("1"),
        page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
    }
}

fn listing_query(l: &Listing) -> String {
    let enc = crate::ui::format::encode_component;
    format!(
        "tab=employee_certificates&status={}&area={}&sort={}&desc={}",
        enc(&l.status),
        enc(&l.area),
        enc(&l.sort),
        if l.desc { "1" } else { "0" }
    )
}

fn status_tag(status: Status) -> impl IntoView {
    view! { <strong class=status.tag()>{t(status.text())}</strong> }
}

/// "Anställdas certifikat": the manual's table with a checkbox on each row, filtered by status
/// and technical area, sorted and paged on the server. The ticked rows go to a confirmation.
#[component]
pub fn EmployeeCertificatesTab(company_id: String, admin: bool) -> impl IntoView {
    let listing = listing_from_query();
    let all = use_query_map().read_untracked().get("all").is_some();
    let data = Resource::new(
        {
            let (company_id, listing) = (company_id.clone(), listing.clone());
            move || (company_id.clone(), listing.clone())
        },
        |(company_id, listing)| employee_certificates(company_id, listing),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (company_id, listing) = (company_id.clone(), listing.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! { <CertificatesTable company_id listing page=p admin all/> }.into_any(),
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn CertificatesTable(
    company_id: String,
    listing: Listing,
    page: super::model::EmployeeCertificatesPage,
    admin: bool,
    all: bool,
) -> impl IntoView {
    let locale = current_locale();
    let base = format!("/companies/{company_id}?");
    let header = SORTS
        .iter()
        .map(|(key, text)| {
            let active = listing.sort == *key || (listing.sort.is_empty() && *key == "number");
            let desc = active && !listing.desc;
            let next = Listing {
                sort: (*key).to_owned(),
                desc,
                page: 1,
                ..listing.clone()
            };
            let sort = active.then_some(if listing.desc {
                "descending"
            } else {
                "ascending"
            });
            view! {
                <th scope="col" aria-sort=sort>
                    <a href=format!("{base}{}", listing_query(&next))>{t(*text)}</a>
                </th>
            }
        })
        .collect_view();
    let rows = page
        .items
        .iter()
        .map(|c| {
            let label = format!("{} {}", c.number, c.employee);
            let reason = c.blocked().map(|r| view! { <div class="hint" data-testid="blocked">{r.message(locale)}</div> });
            let enabled = admin && c.blocked().is_none();
            view! {
                <tr data-testid="certificate-row">
                    <td class="table__check">
                        <input type="checkbox" class="checkbox" name="id" value=c.id.clone()
                            aria-label=label disabled=!enabled checked=enabled && all/>
                    </td>
                    <td data-label=t(Text::CertColNumber)><a href=format!("/certificates/{}", c.id)>{c.number.clone()}</a></td>
                    <td data-label=t(Text::CertColArea)>{c.technical_area.get(locale).to_owned()}</td>
                    <td data-label=t(Text::CertColScheme)>{c.scheme.get(locale).to_owned()}</td>
                    <td data-label=t(Text::CertColEmployee)><div>{c.employee.clone()}{reason}</div></td>
                    <td data-label=t(Text::CertColStatus)>{status_tag(c.status)}</td>
                    <td data-label=t(Text::CertColExtendBy)>{c.extend_by.clone().unwrap_or_default()}</td>
                    <td data-label=t(Text::CertColValidUntil)>{c.valid_until.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let status_options = Status::ALL
        .iter()
        .map(|s| view! { <option value=s.code() selected=listing.status == s.code()>{t(s.text())}</option> })
        .collect_view();
    let area_options = page
        .areas
        .iter()
        .map(|a| view! { <option value=a.clone() selected=listing.area == *a>{a.clone()}</option> })
        .collect_view();
    let any_enabled = admin && page.items.iter().any(|c| c.blocked().is_none());
    // Type-erased: the table's view type is otherwise too deep for the release build.
    let select_box = view! {
        <SelectAllBox label=t(Text::CertSelectAll).to_owned() name="id".to_owned()
            disabled=!any_enabled checked=any_enabled && all/>
    }
    .into_any();
    let paging = format!("{base}{}&", listing_query(&listing));
    let select_all = format!("{base}{}&all=1", listing_query(&listing));
    view! {
        <form method="get" action=format!("/companies/{company_id}") class="filters">
            <input type="hidden" name="tab" value="employee_certificates"/>
            <input type="hidden" name="sort" value=listing.sort.clone()/>
            <input type="hidden" name="desc" value=if listing.desc { "1" } else { "0" }/>
            <div class="form-group">
                <label class="label" for="status">{t(Text::CertColStatus)}</label>
                <select class="select" id="status" name="status">
                    <option value="">{t(Text::CertFilterAll)}</option>
                    {status_options}
                </select>
            </div>
            <div class="form-group">
                <label class="label" for="area">{t(Text::CertColArea)}</label>
                <select class="select" id="area" name="area">
                    <option value="">{t(Text::CertFilterAll)}</option>
                    {area_options}
                </select>
            </div>
            <button type="submit" class="button button--secondary">{t(Text::CertFilter)}</button>
        </form>
        <p class="body" data-testid="certificate-count">
            {if page.total == 1 {
                t(Text::CertCountOne).to_owned()
            } else {
                locale.format(Text::CertCount, &[("count", &page.total.to_string())])
            }}
        </p>
        {if page.items.is_empty() {
            crate::ui::search::empty_state(page.page, format!("{paging}page=1"), Text::CompanyNoCertificates)
        } else {
            view! {
                <form method="get" action=format!("/companies/{company_id}/attest")>
                    {admin.then(|| view! {
                        <p class="body">{t(Text::CertAttestLead)}" "
                            <a href=select_all class="tap" data-testid="select-all">{t(Text::CertSelectAll)}</a>
                        </p>
                    })}
                    <table class="table table--responsive" data-testid="employee-certificates">
                        <thead><tr>
                            <th scope="col" class="table__check">
                                <span class="visually-hidden">{t(Text::CertSelectAll)}</span>{select_box}
                            </th>
                            {header}
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <Pagination base=paging page=page.page has_next=page.has_next/>
                    {admin.then(|| view! {
                        <div class="button-group">
                            <button type="submit" class="button" data-testid="attest">{t(Text::CertAttest)}</button>
                            <button type="submit" class="button button--secondary" data-testid="ask"
                                formaction=format!("/companies/{company_id}/ask")>{t(Text::CertAsk)}</button>
                        </div>
                        <p class="hint">{t(Text::CertAskHint)}</p>
                    })}
                </form>
            }.into_any()
        }}
    }
}

/// `/companies/:id/attest?id=…`: the confirmation that lists the ticked certificates, each
/// with the date it moves to, before "Intyga yrkesaktivitet" moves them one year on.
#[component]
pub fn AttestPage() -> impl IntoView {
    let attest = ServerAction::<Attest>::new();
    let error = Signal::derive(move || attest.value().get().and_then(Result::err));
    let submit = move |company_id: String, hidden: AnyView| {
        view! {
            <ActionForm action=attest attr:class="inline-form">
                <input type="hidden" name="company_id" value=company_id/>
                {hidden}
                <button type="submit" class="button" data-testid="confirm-attest">{t(Text::CertAttest)}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! { <BulkConfirm asking=false error submit/> }
}

/// `/companies/:id/ask?id=…`: the confirmation before "Förfråg valda certifikat" asks the
/// chosen employees to have their activity attested by someone else.
#[component]
pub fn AskPage() -> impl IntoView {
    let ask = ServerAction::<Ask>::new();
    let error = Signal::derive(move || ask.value().get().and_then(Result::err));
    let submit = move |company_id: String, hidden: AnyView| {
        view! {
            <ActionForm action=ask attr:class="inline-form">
                <input type="hidden" name="company_id" value=company_id/>
                {hidden}
                <button type="submit" class="button" data-testid="confirm-ask">{t(Text::CertAsk)}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! { <BulkConfirm asking=true error submit/> }
}

/// The confirmation of a bulk action: the chosen certificates, each with "Förläng senast" now
/// and after; refused ones with their reason.
#[component]
fn BulkConfirm(
    asking: bool,
    error: Signal<Option<crate::error::AppError>>,
    submit: impl Fn(String, AnyView) -> AnyView + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let company_id = move || params.read().get("id").unwrap_or_default();
    let ids = move || query.read().get_all("id").unwrap_or_default();
    let data = Resource::new(
        move || (company_id(), ids()),
        move |(c, ids)| async move {
            if asking {
                preview_ask(c, ids).await
            } else {
                preview_attest(c, ids).await
            }
        },
    );
    let title = if asking {
        Text::CertAskTitle
    } else {
        Text::CertConfirmTitle
    };
    view! {
        <Title text=t(title)/>
        <h1 class="heading-xl">{t(title)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let back = format!("/companies/{}?tab=employee_certificates", company_id());
                match data.await {
                    Ok(list) => {
                        let hidden = list
                            .iter()
                            .enumerate()
                            .map(|(i, c)| view! { <input type="hidden" name=format!("ids[{i}]") value=c.id.clone()/> })
                            .collect_view()
                            .into_any();
                        let lead = if asking { Text::CertAskLead } else { Text::CertConfirmLead };
                        view! {
                            <p class="body">{current_locale().format(lead, &[("count", &list.len().to_string())])}</p>
                            <ErrorSummary error/>
                            // The summary's messages are about the chosen certificates: here.
                            <div id="ids"><MovesTable list/></div>
                            <div class="button-group">
                                {submit(company_id(), hidden)}
                                <a href=back class="button button--secondary">{t(Text::Cancel)}</a>
                            </div>
                        }.into_any()
                    }
                    Err(e @ crate::error::AppError::Validation(_)) => view! {
                        <ErrorSummary error=Signal::derive(move || Some(e.clone()))/>
                        // The summary's links lead to the way back to the choice.
                        <p class="body"><a id="ids" href=back class="back-link">{t(Text::Back)}</a></p>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Certificates with "Förläng senast" now and after the attestation.
#[component]
fn MovesTable(list: Vec<EmployeeCertificate>) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|c| {
            let to = c
                .attest
                .ok()
                .map(|e| e.to.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            view! {
                <tr>
                    <td data-label=t(Text::CertColNumber)>{c.number}</td>
                    <td data-label=t(Text::CertColScheme)>{c.scheme.get(current_locale()).to_owned()}</td>
                    <td data-label=t(Text::CertColEmployee)>{c.employee}</td>
                    <td data-label=t(Text::CertColStatus)>{status_tag(c.status)}</td>
                    <td data-label=t(Text::CertColExtendBy)>{c.extend_by.unwrap_or_default()}</td>
                    <td data-label=t(Text::CertColExtendTo)><strong>{to}</strong></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table table--responsive" data-testid="confirm-list">
            <thead><tr>
                <th scope="col">{t(Text::CertColNumber)}</th>
                <th scope="col">{t(Text::CertColScheme)}</th>
                <th scope="col">{t(Text::CertColEmployee)}</th>
                <th scope="col">{t(Text::CertColStatus)}</th>
                <th scope="col">{t(Text::CertColExtendBy)}</th>
                <th scope="col">{t(Text::CertColExtendTo)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// What a bulk action did, on the page it returned to: which certificates moved to which
/// date (or were asked about), and which another request had changed in the same moment.
#[component]
pub fn BulkOutcome(company_id: String, asked: bool, result: String) -> impl IntoView {
    let data = Resource::new(
        move || (company_id.clone(), result.clone()),
        |(c, r)| attest_result(c, r),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = current_locale();
                let outcome = data.await.ok().flatten()?;
                let n = outcome.attested.len();
                let lead = match (asked, n) {
                    (_, 0) => t(if asked { Text::CertAskedNone } else { Text::CertAttestedNone }).to_owned(),
                    (true, _) => locale.format(Text::CertAskedCount, &[("count", &n.to_string())]),
                    (false, 1) => t(Text::CertAttestedOne).to_owned(),
                    (false, _) => locale.format(Text::CertAttestedMany, &[("count", &n.to_string())]),
                };
                let lines = outcome
                    .attested
                    .into_iter()
                    .map(|a| {
                        let line = if asked {
                            locale.format(Text::CertAskedLine, &[("number", &a.number), ("employee", &a.employee)])
                        } else {
                            locale.format(
                                Text::CertAttestedLine,
                                &[("number", &a.number), ("employee", &a.employee), ("from", &a.from), ("to", &a.to)],
                            )
                        };
                        view! { <li>{line}</li> }
                    })
                    .collect_view();
                let unchanged = (!outcome.unchanged.is_empty()).then(|| {
                    let text = if asked { Text::CertAskedSkipped } else { Text::CertAttestedRaced };
                    view! { <p class="body">{locale.format(text, &[("numbers", &outcome.unchanged.join(", "))])}</p> }
                });
                // Nothing done is no success: the reasons are in the paragraph below.
                let class = if n == 0 { "notice notice--warning" } else { "notice notice--success" };
                Some(view! {
                    <div class=class role="status" data-testid="done">
                        <p class="body"><strong>{lead}</strong></p>
                        {(n > 0).then(|| view! { <ul class="list list--bullet">{lines}</ul> })}
                        {unchanged}
                    </div>
                })
            })}
        </Suspense>
    }
}

/// `/my/certificates`, the holder's "Certifikat" tab: search, and the manual's table.
#[component]
pub fn MyCertificatesPage(
    /// What else the person holds (the training providers' course certificates), given by the
    /// routes (this folder does not name the one above it).
    #[prop(optional)]
    more: Option<fn() -> AnyView>,
) -> impl IntoView {
    use super::api::my_certificates;
    let (q, _) = crate::ui::search::use_search();
    let data = Resource::new(move || q.get(), my_certificates);
    view! {
        <Title text=t(Text::MyCertificatesTitle)/>
        <h1 class="heading-xl">{t(Text::MyPagesTitle)}</h1>
        <crate::people::pages::MyTabs current="certificates"/>
        <crate::ui::search::SearchForm action="/my/certificates" label=Text::MyCertificatesSearch/>
        <p class="body"><a href="/my/apply" class="button button--secondary" data-testid="apply">{t(Text::ApplyNew)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => view! { <p class="body empty-state">{t(Text::MyCertificatesEmpty)}</p> }.into_any(),
                    Ok(list) => view! { <HolderTable list extend_by=true testid="my-certificates"/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
        {more.map(|more| more())}
    }
}

/// Certificates of one holder: number, certificate (a link to its page), status, the yearly
/// extension (`extend_by`) and recertification.
#[component]
fn HolderTable(
    list: Vec<super::model::HolderCertificate>,
    extend_by: bool,
    testid: &'static str,
) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|c| view! {
            <tr>
                <td data-label=t(Text::CertColNumber)>{c.number.clone()}</td>
                <td data-label=t(Text::CertColScheme)>
                    <a href=format!("/certificates/{}", c.id)>{c.title(current_locale())}</a>
                </td>
                <td data-label=t(Text::CertColStatus)>{status_tag(c.status)}</td>
                {extend_by.then(|| view! {
                    <td data-label=t(Text::CertColExtendBy)>{c.extend_by.clone().unwrap_or_default()}</td>
                })}
                <td data-label=t(Text::CertColValidUntil)>{c.valid_until}</td>
            </tr>
        })
        .collect_view();
    view! {
        <table class="table table--responsive" data-testid=testid>
            <thead><tr>
                <th scope="col">{t(Text::CertColNumber)}</th>
                <th scope="col">{t(Text::CertColScheme)}</th>
                <th scope="col">{t(Text::CertColStatus)}</th>
                {extend_by.then(|| view! { <th scope="col">{t(Text::CertColExtendBy)}</th> })}
                <th scope="col">{t(Text::CertColValidUntil)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The person's certificates on staff's person page, each a link to its page (where staff
/// suspend and revoke).
pub fn person_certificates(person_id: String) -> AnyView {
    view! { <PersonCertificates person_id/> }.into_any()
}

#[component]
fn PersonCertificates(person_id: String) -> impl IntoView {
    use super::api::person_certificates;
    let data = Resource::new(move || person_id.clone(), person_certificates);
    view! {
        <h2 class="heading-l">{t(Text::CertificatesTitle)}</h2>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => view! { <p class="body empty-state">{t(Text::PersonNoCertificates)}</p> }.into_any(),
                    Ok(list) => view! { <HolderTable list extend_by=false testid="person-certificates"/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/certificates/:id`: the certificate's facts ("Information") and its event log. `pending`
/// shows the holder what waits for an attester (the attestations' panel, given by the routes
/// so this folder does not name the one above it).
#[component]
pub fn CertificatePage(#[prop(optional)] pending: Option<fn(String) -> AnyView>) -> impl IntoView {
    use super::api::get_certificate;
    use crate::ui::summary::row;
    let params = use_params_map();
    let query = use_query_map();
    // What the holder just did comes back in the address; the page is read again after it.
    let events_page = crate::events::parts::use_events_page();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("done"),
                events_page.get(),
            )
        },
        |(id, _, page)| get_certificate(id, Some(page)),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let done = match query.read_untracked().get("done").as_deref() {
                    Some("invited") => Some(Text::ExtendSent),
                    Some("resent") => Some(Text::ExtendResent),
                    Some("cancelled") => Some(Text::ExtendCancelled),
                    Some("changed") => Some(Text::VerifyChanged),
                    Some("unchanged") => Some(Text::VerifyUnchanged),
                    _ => None,
                };
                match data.await {
                    Ok(v) => {
                        let c = v.certificate.clone();
                        let status_words = t(c.status.text());
                        let done = done.map(|text| current_locale().format(text, &[("status", status_words)]));
                        let verify = format!("/verify/{}", crate::ui::format::encode_component(&c.number));
                        let badge = v.shareable();
                        let title = format!("{}: {}", v.holder, c.title(current_locale()));
                        let person = if v.own { "/my/address".to_owned() } else { format!("/staff/people/{}", v.person_id) };
                        view! {
                            <Title text=title.clone()/>
                            <h1 class="heading-l">{title}</h1>
                            {done.map(|text| view! { <div class="notice notice--success" role="status" data-testid="done">{text}</div> })}
                            <div class="button-group">
                                <a href=person class="button button--secondary">{t(Text::CertShowPerson)}</a>
                                {v.can_extend.then(|| view! {
                                    <a href=format!("/certificates/{}/extend", c.id) class="button" data-testid="extend">{t(Text::CertExtend)}</a>
                                })}
                                {v.can_renew.then(|| view! {
                                    <a href=format!("/my/renew/{}", c.id) class="button" data-testid="renew">{t(Text::RenewalSend)}</a>
                                })}
                                <a href=format!("/certificates/{}/pdf", c.id) class="button button--secondary" rel="external" download="">{t(Text::CertDownload)}</a>
                                <a href=verify class="button button--secondary" rel="external" data-testid="verify-link">{t(Text::VerifyLink)}</a>
                                {badge.then(|| view! {
                                    <a href=format!("/certificates/{}/credential", c.id) class="button button--secondary" rel="external" download=""
                                        data-testid="badge">{t(Text::BadgeDownload)}</a>
                                })}
                            </div>
                            {badge.then(|| view! { <p class="hint">{t(Text::BadgeHint)}</p> })}
                            {v.own.then(|| pending.map(|panel| panel(c.id.clone())))}
                            <h2 class="heading-m">{t(Text::CertInformation)}</h2>
                            <dl class="summary-list" data-testid="certificate-facts">
                                {row(Text::CertNumber, c.number)}
                                <div class="summary-list__row"><dt>{t(Text::CertColStatus)}</dt><dd>{status_tag(c.status)}</dd></div>
                                {v.reason.clone().filter(|r| !r.is_empty()).map(|r| row(Text::VerifyReason, r))}
                                {row(Text::CertIssuedOn, v.issued_on)}
                                {row(Text::CertValidUntil, c.valid_until)}
                                {row(Text::CertExtendBy, c.extend_by.unwrap_or_default())}
                                {row(Text::CertLastAttested, v.last_attested_on.clone().unwrap_or_default())}
                                {row(Text::CertLatestDecision, v.latest_decision)}
                            </dl>
                            {v.test_signature.then(|| view! {
                                <p class="body"><strong class="tag tag--grey" data-testid="test-signature">{t(Text::TestSignatureNote)}</strong></p>
                            })}
                            {(v.own && !v.can_extend).then(|| v.not_now.clone()).flatten().map(|why| view! {
                                <p class="body hint" data-testid="not-now">{current_locale().msg(&why)}</p>
                            })}
                            {v.own.then(|| view! { <super::verify::PublishSection id=c.id.clone() published=v.published/> })}
                            {v.linkedin.clone().map(|l| view! { <super::verify::LinkedInSection l/> })}
                            {v.staff.then(|| view! { <super::verify::StatusSection id=c.id.clone() status=c.status/> })}
                            <h2 class="heading-m">{t(Text::EventsTitle)}</h2>
                            <crate::events::parts::EventLog events=v.events base=format!("/certificates/{}?", c.id)/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
