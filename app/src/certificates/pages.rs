use super::api::{Attest, employee_certificates, preview_attest};
use super::model::{EmployeeCertificate, Listing, SORTS, Status};
use crate::i18n::{Text, current_locale, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::ErrorSummary;
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
    let enc = crate::ui::layout::encode_component;
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
    let checked = RwSignal::new(all);
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
            let reason = c.blocked.map(|r| view! { <div class="hint" data-testid="blocked">{t(r.text())}</div> });
            let enabled = admin && c.blocked.is_none();
            view! {
                <tr data-testid="certificate-row">
                    <td class="table__check">
                        <input type="checkbox" class="checkbox" name="id" value=c.id.clone()
                            aria-label=label disabled=!enabled checked=enabled && all
                            prop:checked=move || enabled && checked.get()/>
                    </td>
                    <td data-label=t(Text::CertColNumber)><a href=format!("/certificates/{}", c.id)>{c.number.clone()}</a></td>
                    <td data-label=t(Text::CertColArea)>{c.technical_area.clone()}</td>
                    <td data-label=t(Text::CertColScheme)>{c.scheme.clone()}</td>
                    <td data-label=t(Text::CertColEmployee)><div>{c.employee.clone()}{reason}</div></td>
                    <td data-label=t(Text::CertColStatus)>{status_tag(c.status)}</td>
                    <td data-label=t(Text::CertColExtendBy)>{c.extend_by.clone().unwrap_or_default()}</td>
                    <td data-label=t(Text::CertColValidUntil)>{c.valid_until.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let status_options = Status::ALL
        .into_iter()
        .map(|s| view! { <option value=s.code() selected=listing.status == s.code()>{t(s.text())}</option> })
        .collect_view();
    let area_options = page
        .areas
        .iter()
        .map(|a| view! { <option value=a.clone() selected=listing.area == *a>{a.clone()}</option> })
        .collect_view();
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
            {locale.format(Text::CertCount, &[("count", &page.total.to_string())])}
        </p>
        {if page.items.is_empty() {
            view! { <p class="body empty-state">{t(Text::CompanyNoCertificates)}</p> }.into_any()
        } else {
            view! {
                <form method="get" action=format!("/companies/{company_id}/attest")>
                    {admin.then(|| view! {
                        <p class="body">{t(Text::CertAttestLead)}" "
                            <a href=select_all data-testid="select-all">{t(Text::CertSelectAll)}</a>
                        </p>
                    })}
                    <table class="table table--responsive" data-testid="employee-certificates">
                        <thead><tr>
                            <th scope="col" class="table__check">
                                <input type="checkbox" class="checkbox" aria-label=t(Text::CertSelectAll)
                                    disabled=!admin on:change=move |ev| checked.set(event_target_checked(&ev))/>
                            </th>
                            {header}
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <Pagination base=paging page=page.page has_next=page.has_next/>
                    {admin.then(|| view! {
                        <button type="submit" class="button" data-testid="attest">{t(Text::CertAttest)}</button>
                    })}
                </form>
            }.into_any()
        }}
    }
}

/// `/companies/:id/attest?id=…`: the confirmation that lists the ticked certificates before
/// "Intyga yrkesaktivitet" moves them one year on.
#[component]
pub fn AttestPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let company_id = move || params.read().get("id").unwrap_or_default();
    let ids = move || query.read().get_all("id").unwrap_or_default();
    let attest = ServerAction::<Attest>::new();
    let error = Signal::derive(move || attest.value().get().and_then(Result::err));
    let data = Resource::new(
        move || (company_id(), ids()),
        |(c, ids)| preview_attest(c, ids),
    );
    view! {
        <Title text=t(Text::CertConfirmTitle)/>
        <h1 class="heading-xl">{t(Text::CertConfirmTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let back = format!("/companies/{}?tab=employee_certificates", company_id());
                match data.await {
                    Ok(list) => view! { <AttestConfirm list back company_id=company_id() action=attest error/> }.into_any(),
                    Err(e @ crate::error::AppError::Validation(_)) => view! {
                        <ErrorSummary error=Signal::derive(move || Some(e.clone()))/>
                        <p class="body"><a href=back class="back-link">{t(Text::Back)}</a></p>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AttestConfirm(
    list: Vec<EmployeeCertificate>,
    back: String,
    company_id: String,
    action: ServerAction<Attest>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let locale = current_locale();
    let count = list.len().to_string();
    let hidden = list
        .iter()
        .enumerate()
        .map(|(i, c)| view! { <input type="hidden" name=format!("ids[{i}]") value=c.id.clone()/> })
        .collect_view();
    let rows = list
        .into_iter()
        .map(|c| {
            view! {
                <tr>
                    <td data-label=t(Text::CertColNumber)>{c.number}</td>
                    <td data-label=t(Text::CertColScheme)>{c.scheme}</td>
                    <td data-label=t(Text::CertColEmployee)>{c.employee}</td>
                    <td data-label=t(Text::CertColStatus)>{status_tag(c.status)}</td>
                    <td data-label=t(Text::CertColExtendBy)>{c.extend_by.unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="body">{locale.format(Text::CertConfirmLead, &[("count", &count)])}</p>
        <ErrorSummary error/>
        <table class="table table--responsive" data-testid="confirm-list">
            <thead><tr>
                <th scope="col">{t(Text::CertColNumber)}</th>
                <th scope="col">{t(Text::CertColScheme)}</th>
                <th scope="col">{t(Text::CertColEmployee)}</th>
                <th scope="col">{t(Text::CertColStatus)}</th>
                <th scope="col">{t(Text::CertColExtendBy)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <div class="button-group">
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="company_id" value=company_id/>
                {hidden}
                <button type="submit" class="button" data-testid="confirm-attest">{t(Text::CertAttest)}</button>
            </ActionForm>
            <a href=back class="button button--secondary">{t(Text::Cancel)}</a>
        </div>
    }
}

/// `/my/certificates`, the holder's "Certifikat" tab: search, and the manual's table.
#[component]
pub fn MyCertificatesPage() -> impl IntoView {
    use super::api::my_certificates;
    let (q, _) = crate::ui::search::use_search();
    let data = Resource::new(move || q.get(), my_certificates);
    view! {
        <Title text=t(Text::MyCertificatesTitle)/>
        <h1 class="heading-xl">{t(Text::MyPagesTitle)}</h1>
        <crate::people::pages::MyTabs current="certificates"/>
        <crate::ui::search::SearchForm action="/my/certificates" label=Text::MyCertificatesSearch/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => view! { <p class="body empty-state">{t(Text::MyCertificatesEmpty)}</p> }.into_any(),
                    Ok(list) => {
                        let rows = list.into_iter().map(|c| view! {
                            <tr>
                                <td data-label=t(Text::CertColNumber)>{c.number.clone()}</td>
                                <td data-label=t(Text::CertColScheme)>
                                    <a href=format!("/certificates/{}", c.id)>{format!("{} - {}", c.technical_area, c.scheme)}</a>
                                </td>
                                <td data-label=t(Text::CertColStatus)>{status_tag(c.status)}</td>
                                <td data-label=t(Text::CertColExtendBy)>{c.extend_by.unwrap_or_default()}</td>
                                <td data-label=t(Text::CertColValidUntil)>{c.valid_until}</td>
                            </tr>
                        }).collect_view();
                        view! {
                            <table class="table table--responsive" data-testid="my-certificates">
                                <thead><tr>
                                    <th scope="col">{t(Text::CertColNumber)}</th>
                                    <th scope="col">{t(Text::CertColScheme)}</th>
                                    <th scope="col">{t(Text::CertColStatus)}</th>
                                    <th scope="col">{t(Text::CertColExtendBy)}</th>
                                    <th scope="col">{t(Text::CertColValidUntil)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/certificates/:id`: the certificate's facts ("Information") and its event log.
#[component]
pub fn CertificatePage() -> impl IntoView {
    use super::api::get_certificate;
    use crate::ui::summary::row;
    let params = use_params_map();
    let query = use_query_map();
    // What the holder just did comes back in the address; the page is read again after it.
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("done"),
            )
        },
        |(id, _)| get_certificate(id),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let done = match query.read_untracked().get("done").as_deref() {
                    Some("invited") => Some(Text::ExtendSent),
                    Some("resent") => Some(Text::ExtendResent),
                    Some("cancelled") => Some(Text::ExtendCancelled),
                    _ => None,
                };
                match data.await {
                    Ok(v) => {
                        let c = v.certificate.clone();
                        let title = format!("{}: {} - {}", v.holder, c.technical_area, c.scheme);
                        let person = if v.own { "/my/address".to_owned() } else { format!("/staff/people/{}", v.person_id) };
                        view! {
                            <Title text=title.clone()/>
                            <h1 class="heading-l">{title}</h1>
                            {done.map(|text| view! { <div class="notice notice--success" role="status" data-testid="done">{t(text)}</div> })}
                            <div class="button-group">
                                <a href=person class="button button--secondary">{t(Text::CertShowPerson)}</a>
                                {v.can_extend.then(|| view! {
                                    <a href=format!("/certificates/{}/extend", c.id) class="button" data-testid="extend">{t(Text::CertExtend)}</a>
                                })}
                                <a href=format!("/certificates/{}/pdf", c.id) class="button button--secondary" rel="external" download="">{t(Text::CertDownload)}</a>
                            </div>
                            {v.pending.clone().map(|p| view! { <PendingRequestBox id=c.id.clone() pending=p/> })}
                            <h2 class="heading-m">{t(Text::CertInformation)}</h2>
                            <dl class="summary-list" data-testid="certificate-facts">
                                {row(Text::CertNumber, c.number)}
                                <div class="summary-list__row"><dt>{t(Text::CertColStatus)}</dt><dd>{status_tag(c.status)}</dd></div>
                                {row(Text::CertIssuedOn, v.issued_on)}
                                {row(Text::CertValidUntil, c.valid_until)}
                                {row(Text::CertExtendBy, c.extend_by.unwrap_or_default())}
                                {row(Text::CertLatestDecision, v.latest_decision)}
                            </dl>
                            <h2 class="heading-m">{t(Text::EventsTitle)}</h2>
                            <crate::events::parts::EventLog events=v.events/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The holder's request waiting for its attester: to whom, when, until when; "Skicka igen"
/// and "Avbryt förfrågan" (which asks first).
#[component]
fn PendingRequestBox(
    id: String,
    pending: crate::attestations::model::PendingRequest,
) -> impl IntoView {
    use crate::attestations::api::ResendAttestation;
    use crate::ui::summary::row;
    let resend = ServerAction::<ResendAttestation>::new();
    let error = Signal::derive(move || resend.value().get().and_then(Result::err));
    let cancel = format!("/certificates/{id}/cancel-request");
    view! {
        <section class="panel" data-testid="pending-request">
            <h2 class="heading-m">{t(Text::ExtendPendingTitle)}</h2>
            <ErrorSummary error/>
            <dl class="summary-list">
                {row(Text::ExtendPendingTo, pending.email)}
                {row(Text::ExtendPendingSent, pending.sent_at)}
                {row(Text::ExtendPendingValid, pending.expires_at)}
            </dl>
            <div class="button-group">
                <ActionForm action=resend attr:class="inline-form">
                    <input type="hidden" name="certificate_id" value=id/>
                    <button type="submit" class="button button--secondary" data-testid="resend">{t(Text::ExtendResend)}</button>
                </ActionForm>
                <a href=cancel class="button button--warning">{t(Text::ExtendCancel)}</a>
            </div>
        </section>
    }
}
