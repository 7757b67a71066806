use super::api::{
    CreatePerson, DecideChange, DecideEmployment, DecideEmploymentLink, DraftChange, SubmitChange,
    employment_link, get_person, my_address, my_employments, my_messages, pending_changes,
    pending_employments, search_people,
};
use super::model::{
    AddressView, COMMUNICATION, ChangeRequest, DETAILS, Employer, PersonDetails, communication_text,
};
use super::model::{ChangeStatus, EmploymentInvite, EmploymentStatus};
use crate::error::AppError;
use crate::events::parts::EventLog;
use crate::i18n::{Text, current_locale, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::{ErrorSummary, Radios, SpecField, TextField};
use crate::ui::format::short_time;
use crate::ui::summary::{Pagination, row};
use crate::ui::tabs::Tabs;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The tabs of the signed-in person's own pages.
#[component]
pub fn MyTabs(current: &'static str) -> impl IntoView {
    let tabs = vec![
        (
            "certificates",
            Text::MyCertificatesTitle,
            "/my/certificates".to_owned(),
        ),
        ("cases", Text::MyCasesTitle, "/my/cases".to_owned()),
        ("training", Text::MyTrainingTitle, "/my/training".to_owned()),
        (
            "employments",
            Text::PersonEmployments,
            "/my/employments".to_owned(),
        ),
        ("messages", Text::MyMessagesTitle, "/my/messages".to_owned()),
        ("address", Text::MyAddressTitle, "/my/address".to_owned()),
        ("events", Text::MyEventsTitle, "/my/events".to_owned()),
    ];
    view! { <Tabs label=t(Text::MyTabsLabel) tabs current/> }
}

/// A person's details as label–value rows.
fn details_rows(d: &PersonDetails) -> impl IntoView + use<> {
    let rows = DETAILS
        .iter()
        .map(|s| row(s.label, d.get(s.name).to_owned()))
        .collect_view();
    view! {
        {rows}
        {row(Text::PersonCommunication, t(communication_text(&d.communication)).to_owned())}
    }
}

fn employer_sections(employer: Option<Employer>) -> impl IntoView {
    let Some(e) = employer else {
        return view! {
            <section class="card">
                <h2 class="heading-m">{t(Text::AddressCompanyTitle)}</h2>
                <p class="body">{t(Text::AddressNoEmployer)}</p>
            </section>
        }
        .into_any();
    };
    view! {
        <section class="card">
            <h2 class="heading-m">{t(Text::AddressCompanyTitle)}</h2>
            <dl class="summary-list summary-list--compact">
                {row(Text::CompanyName, e.name.clone())}
                {row(Text::PersonAddress, e.address)}
                {row(Text::PersonPostalCode, e.postal_code)}
                {row(Text::PersonCity, e.city)}
                {row(Text::CompanyWebsite, e.website)}
                {row(Text::PersonPhone, e.phone)}
                {row(Text::CompanyEmail, e.email)}
            </dl>
            <p class="hint">{t(Text::AddressCompanyHint)}</p>
        </section>
        <section class="card">
            <h2 class="heading-m">{t(Text::AddressBillingTitle)}</h2>
            <dl class="summary-list summary-list--compact">
                {row(Text::CompanyName, if e.billing_name.is_empty() { e.name } else { e.billing_name })}
                {row(Text::PersonAddress, e.billing_address)}
                {row(Text::PersonPostalCode, e.billing_postal_code)}
                {row(Text::PersonCity, e.billing_city)}
                {row(Text::CompanyInvoiceReference, e.invoice_reference)}
            </dl>
        </section>
    }
    .into_any()
}

/// `/my/address`, "Din adress": personal, company and billing details. "Ändra personuppgifter"
/// opens a form (`?step=edit`), "Fortsätt" shows a preview (`?draft=`), "Spara" sends the change
/// to a handler, and the page says it waits for one.
#[component]
pub fn AddressPage() -> impl IntoView {
    let query = use_query_map();
    let draft_id = move || query.read().get("draft");
    let editing = move || query.read().get("step").as_deref() == Some("edit");
    let sent = move || query.read().get("sent").is_some();
    let draft = ServerAction::<DraftChange>::new();
    let submit = ServerAction::<SubmitChange>::new();
    let draft_error = Signal::derive(move || draft.value().get().and_then(Result::err));
    let submit_error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let data = Resource::new(draft_id, |draft| my_address(draft, None));
    view! {
        <Title text=t(Text::MyAddressTitle)/>
        <h1 class="heading-xl">{t(Text::MyPagesTitle)}</h1>
        <MyTabs current="address"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(v)) if editing() => view! { <AddressForm view=v action=draft error=draft_error/> }.into_any(),
                    Ok(Some(v)) if v.draft.is_some() => view! { <AddressPreview view=v action=submit error=submit_error/> }.into_any(),
                    Ok(Some(v)) => view! { <AddressOverview view=v sent=sent()/> }.into_any(),
                    Ok(None) => view! { <p class="body">{t(Text::AddressNoPerson)}</p> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AddressOverview(view: AddressView, sent: bool) -> impl IntoView {
    let locale = current_locale();
    let pending = view.pending.clone().map(|c| {
        let when = short_time(c.submitted_at.as_deref().unwrap_or_default());
        view! {
            <div class="notice" role="status" data-testid="change-pending">
                <p class="body"><strong>{locale.format(Text::AddressPending, &[("date", &when)])}</strong></p>
                <ChangedFields change=c/>
            </div>
        }
    });
    let decided = view
        .decided
        .clone()
        .filter(|_| view.pending.is_none() && !sent)
        .map(|c| {
            let approved = c.status == ChangeStatus::Approved;
            let text = if approved {
                locale.text(Text::AddressApproved).to_owned()
            } else {
                locale.format(
                    Text::AddressRejected,
                    &[("reason", c.reason.as_deref().unwrap_or_default())],
                )
            };
            view! {
                <div class="notice" class:notice--success=approved role="status" data-testid="change-decided">{text}</div>
            }
        });
    view! {
        {sent.then(|| view! {
            <div class="notice notice--success" role="status" data-testid="change-sent">{t(Text::AddressSent)}</div>
        })}
        {pending}
        {decided}
        <p class="body">{t(Text::AddressLead)}</p>
        <div class="card-grid">
            <section class="card">
                <h2 class="heading-m">{t(Text::AddressPersonTitle)}</h2>
                <dl class="summary-list summary-list--compact">
                    {row(Text::PersonPnr, view.pnr.clone())}
                    {details_rows(&view.details)}
                </dl>
                <a href="/my/address?step=edit" class="button button--secondary" data-testid="edit-address">
                    {t(Text::AddressEdit)}
                </a>
            </section>
            {employer_sections(view.employer)}
        </div>
    }
}

/// The form: current values, or the draft's when the user came back from the preview.
#[component]
fn AddressForm(
    view: AddressView,
    action: ServerAction<DraftChange>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let values = view.draft.map(|d| d.proposed).unwrap_or(view.details);
    let fields = DETAILS
        .iter()
        .map(|s| view! { <SpecField spec=*s error value=values.get(s.name).to_owned()/> })
        .collect_view();
    let options = COMMUNICATION.to_vec();
    view! {
        <h2 class="heading-l">{t(Text::AddressPersonTitle)}</h2>
        <p class="body">{t(Text::AddressFormLead)}</p>
        <ErrorSummary error/>
        <ActionForm action attr:novalidate="novalidate" attr:class="narrow">
            {fields}
            <Radios name="communication" legend=Text::PersonCommunication options
                selected=values.communication.clone() error/>
            <div class="button-group">
                <button type="submit" class="button" data-testid="continue">{t(Text::AddressContinue)}</button>
                <a href="/my/address" class="button button--secondary">{t(Text::Cancel)}</a>
            </div>
        </ActionForm>
    }
}

/// The preview: what will be sent, with the changed fields marked. "Tillbaka" returns to the
/// form with the draft's values; "Spara" sends it.
#[component]
fn AddressPreview(
    view: AddressView,
    action: ServerAction<SubmitChange>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let Some(draft) = view.draft else {
        return ().into_any();
    };
    let back = format!("/my/address?step=edit&draft={}", draft.id);
    view! {
        <h2 class="heading-l">{t(Text::AddressPreviewTitle)}</h2>
        <p class="body">{t(Text::AddressPreviewLead)}</p>
        <ErrorSummary error/>
        <ChangedFields change=draft.clone()/>
        <div class="button-group">
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="id" value=draft.id.clone()/>
                <button type="submit" class="button" data-testid="save-change">{t(Text::Save)}</button>
            </ActionForm>
            <a href=back class="button button--secondary" data-testid="back">{t(Text::Back)}</a>
        </div>
    }
    .into_any()
}

/// The fields a change touches: before and after.
#[component]
fn ChangedFields(change: ChangeRequest) -> impl IntoView {
    let names = change.proposed.changed_from(&change.previous);
    let label = |name: &str| {
        DETAILS
            .iter()
            .find(|s| s.name == name)
            .map_or(Text::PersonCommunication, |s| s.label)
    };
    let show = |d: &PersonDetails, name: &str| {
        if name == "communication" {
            t(communication_text(&d.communication)).to_owned()
        } else {
            d.get(name).to_owned()
        }
    };
    let rows = names
        .into_iter()
        .map(|n| {
            view! {
                <tr>
                    <th scope="row" data-label=t(Text::ChangeColField)>{t(label(n))}</th>
                    <td data-label=t(Text::ChangeColNow)>{show(&change.previous, n)}</td>
                    <td data-label=t(Text::ChangeColNew)><strong>{show(&change.proposed, n)}</strong></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table table--responsive" data-testid="changed-fields">
            <thead>
                <tr>
                    <th scope="col">{t(Text::ChangeColField)}</th>
                    <th scope="col">{t(Text::ChangeColNow)}</th>
                    <th scope="col">{t(Text::ChangeColNew)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// `/my/messages`, "Meddelanden".
#[component]
pub fn MessagesPage() -> impl IntoView {
    let (_, page) = crate::ui::search::use_search();
    let data = Resource::new(move || page.get(), |page| my_messages(Some(page)));
    view! {
        <Title text=t(Text::MyMessagesTitle)/>
        <h1 class="heading-xl">{t(Text::MyPagesTitle)}</h1>
        <MyTabs current="messages"/>
        // A case's messages (supplement requests, decisions, the handler's answers) are read in
        // the case.
        <p class="hint" data-testid="case-messages-hint">
            {t(Text::MessagesInCases)}" "<a href="/my/cases">{t(Text::MessagesInCasesLink)}</a>
        </p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.items.is_empty() && list.page <= 1 => view! { <p class="body empty-state">{t(Text::MessagesEmpty)}</p> }.into_any(),
                    Ok(list) => {
                        let (page, has_next) = (list.page, list.has_next);
                        let items = list.items.into_iter().map(|m| {
                            let (subject, body) = m.words(current_locale());
                            view! {
                                <article class="message" data-testid="message">
                                    <h2 class="heading-s">{subject}</h2>
                                    <p class="hint">{short_time(&m.created_at)}</p>
                                    <p class="body message__body">{body}</p>
                                </article>
                            }
                        }).collect_view();
                        view! { {items} <Pagination base="/my/messages?".to_owned() page has_next/> }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/my/events`: the signed-in person's own event log.
#[component]
pub fn MyEventsPage() -> impl IntoView {
    let events_page = crate::events::parts::use_events_page();
    let data = Resource::new(
        move || events_page.get(),
        |page| my_address(None, Some(page)),
    );
    view! {
        <Title text=t(Text::MyEventsTitle)/>
        <h1 class="heading-xl">{t(Text::MyPagesTitle)}</h1>
        <MyTabs current="events"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(v)) => view! { <EventLog events=v.events base="/my/events?"/> }.into_any(),
                    Ok(None) => view! { <p class="body">{t(Text::AddressNoPerson)}</p> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

use crate::ui::search::{Column, results};

/// `/staff/people`: search people by name, personnummer or email.
#[component]
pub fn PeopleSearchPage() -> impl IntoView {
    let (q, page) = crate::ui::search::use_search();
    let data = Resource::new(
        move || (q.get(), page.get()),
        |(q, page)| search_people(q, page),
    );
    view! {
        <Title text=t(Text::PeopleTitle)/>
        <div class="page-heading">
            <h1 class="heading-xl">{t(Text::PeopleTitle)}</h1>
            <a href="/staff/people/new" class="button button--secondary">{t(Text::PeopleNew)}</a>
        </div>
        <crate::ui::search::SearchForm action="/staff/people" label=Text::PeopleSearchLabel/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let found = data.await;
                results(found, "/staff/people", &q.get_untracked(), &PEOPLE_COLUMNS, Text::PeopleEmpty, "people")
            })}
        </Suspense>
    }
}

/// The columns of the people search.
const PEOPLE_COLUMNS: [Column<super::model::PersonRow>; 4] = [
    Column {
        header: Text::PeopleColName,
        cell: |r| {
            view! { <a href=format!("/staff/people/{}", r.id)>{r.name.clone()}</a> }.into_any()
        },
    },
    Column {
        header: Text::PersonPnr,
        cell: |r| r.pnr.clone().into_any(),
    },
    Column {
        header: Text::PersonEmail,
        cell: |r| r.email.clone().into_any(),
    },
    Column {
        header: Text::PersonCity,
        cell: |r| r.city.clone().into_any(),
    },
];

/// `/staff/people/new`: staff register a person.
#[component]
pub fn NewPersonPage() -> impl IntoView {
    let create = ServerAction::<CreatePerson>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let fields = DETAILS
        .iter()
        .map(|s| view! { <SpecField spec=*s error/> })
        .collect_view();
    view! {
        <Title text=t(Text::PeopleNew)/>
        <div class="narrow">
            <h1 class="heading-xl">{t(Text::PeopleNew)}</h1>
            <ErrorSummary error/>
            <ActionForm action=create attr:novalidate="novalidate">
                <TextField name="pnr" label=Text::PersonPnr hint=Text::PersonPnrHint error autocomplete="off"/>
                {fields}
                <Radios name="communication" legend=Text::PersonCommunication options=COMMUNICATION.to_vec()
                    selected="digital" error/>
                <div class="button-group">
                    <button type="submit" class="button">{t(Text::Save)}</button>
                    <a href="/staff/people" class="button button--secondary">{t(Text::Cancel)}</a>
                </div>
            </ActionForm>
        </div>
    }
}

/// `/staff/people/:id`: a person's details, account, employments, changes and event log.
#[component]
pub fn PersonPage(
    /// The person's certificates, given by the routes (this folder does not name the one above
    /// it).
    #[prop(optional)]
    certificates: Option<fn(String) -> AnyView>,
) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let events_page = crate::events::parts::use_events_page();
    let decide = ServerAction::<DecideEmployment>::new();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                events_page.get(),
                decide.version().get(),
            )
        },
        |(id, page, _)| get_person(id, Some(page)),
    );
    view! {
        <p class="body"><a href="/staff/people" class="back-link">{t(Text::PeopleTitle)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let created = query.read().get("created").is_some();
                match data.await {
                    Ok(p) => {
                        let name = p.details.full_name();
                        let employments = p.employments;
                        let events_base = format!("/staff/people/{}?", p.id);
                        view! {
                            <Title text=name.clone()/>
                            {created.then(|| view! {
                                <div class="notice notice--success" role="status">{t(Text::PersonCreated)}</div>
                            })}
                            <h1 class="heading-xl">{name}</h1>
                            <dl class="summary-list">
                                {row(Text::PersonPnr, p.pnr)}
                                {details_rows(&p.details)}
                                {row(Text::PersonAccount, p.account.map(|(_, u)| u).unwrap_or_default())}
                            </dl>
                            {certificates.map(|list| list(p.id.clone()))}
                            <h2 class="heading-l">{t(Text::PersonEmployments)}</h2>
                            <EmploymentsTable list=employments links=true decide/>
                            <h2 class="heading-l">{t(Text::EventsTitle)}</h2>
                            <EventLog events=p.events base=events_base/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/staff/changes`: changes people asked for, waiting for a handler.
#[component]
pub fn ChangesPage() -> impl IntoView {
    let query = use_query_map();
    let decide = ServerAction::<DecideChange>::new();
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
    let data = Resource::new(move || decide.version().get(), |_| pending_changes());
    let confirm = ServerAction::<DecideEmployment>::new();
    let employments_page = move || {
        query
            .read()
            .get("employments_page")
            .and_then(|p| p.parse().ok())
    };
    let employments = Resource::new(
        move || (confirm.version().get(), employments_page()),
        |(_, page)| pending_employments(page),
    );
    view! {
        <Title text=t(Text::ChangesTitle)/>
        <h1 class="heading-xl">{t(Text::ChangesTitle)}</h1>
        <EmploymentOutcome/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match employments.await {
                    Ok(p) if p.items.is_empty() && p.page == 1 => None,
                    Ok(p) => Some(view! {
                        <section class="panel" aria-labelledby="pending-employments" data-testid="pending-employments">
                            <h2 class="heading-m" id="pending-employments">{t(Text::EmploymentsToConfirm)}</h2>
                            <p class="hint">{t(Text::EmploymentsToConfirmHint)}</p>
                            <EmploymentsTable list=p.items links=true decide=confirm/>
                            <Pagination base="/staff/changes?".to_owned() page=p.page
                                has_next=p.has_next param="employments_page"/>
                        </section>
                    }.into_any()),
                    Err(e) => Some(view! { <ErrorPage error=e/> }.into_any()),
                }
            })}
        </Suspense>
        {move || query.read().get("decided").map(|d| {
            let text = if d == "approve" { Text::ChangesApproved } else { Text::ChangesRejected };
            view! { <div class="notice notice--success" role="status" data-testid="change-decided">{t(text)}</div> }
        })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => view! { <p class="body empty-state">{t(Text::ChangesEmpty)}</p> }.into_any(),
                    Ok(list) => list.into_iter().map(|c| view! { <ChangeCard change=c action=decide error/> }).collect_view().into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChangeCard(
    change: ChangeRequest,
    action: ServerAction<DecideChange>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = current_locale();
    let id = change.id.clone();
    let reason_id = format!("reason-{id}");
    let mine = {
        let id = id.clone();
        move || {
            error
                .get()
                .filter(|e| e.field_value("id") == Some(id.as_str()))
        }
    };
    let (approve_id, reject_id) = (id.clone(), id);
    let message = Signal::derive(move || {
        mine().and_then(|e| e.field_text("reason", crate::i18n::current_locale()))
    });
    let when = short_time(change.submitted_at.as_deref().unwrap_or_default());
    view! {
        <section class="panel change" data-testid="change-request">
            <h2 class="heading-m">
                <a href=format!("/staff/people/{}", change.person_id)>{change.person_name.clone()}</a>
                " "<span class="hint">{change.pnr.clone()}</span>
            </h2>
            <p class="hint">{locale.format(Text::ChangesSubmitted, &[("date", &when)])}</p>
            <ChangedFields change=change.clone()/>
            <div class="change__actions">
                <ActionForm action attr:class="inline-form">
                    <input type="hidden" name="id" value=approve_id/>
                    <input type="hidden" name="decision" value="approve"/>
                    <button type="submit" class="button" data-testid="approve">{t(Text::ChangesApprove)}</button>
                </ActionForm>
                <ActionForm action attr:novalidate="novalidate">
                    <input type="hidden" name="id" value=reject_id/>
                    <input type="hidden" name="decision" value="reject"/>
                    <div class="form-group" class:form-group--error=move || message.get().is_some()>
                        <label class="label" for=reason_id.clone()>{t(Text::ChangesReason)}</label>
                        {move || message.get().map(|m| view! { <p class="error-message">{m}</p> })}
                        <textarea class="textarea" id=reason_id.clone() name="reason" rows="2"></textarea>
                    </div>
                    <button type="submit" class="button button--warning" data-testid="reject">{t(Text::ChangesReject)}</button>
                </ActionForm>
            </div>
        </section>
    }
}

/// `/my/employments`, "Anställningar": where the signed-in person works and has worked.
#[component]
pub fn MyEmploymentsPage() -> impl IntoView {
    let decide = ServerAction::<DecideEmployment>::new();
    let data = Resource::new(move || decide.version().get(), |_| my_employments());
    view! {
        <Title text=t(Text::PersonEmployments)/>
        <h1 class="heading-xl">{t(Text::MyPagesTitle)}</h1>
        <MyTabs current="employments"/>
        <EmploymentOutcome/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => view! { <p class="body empty-state">{t(Text::AddressNoEmployer)}</p> }.into_any(),
                    Ok(list) => view! { <EmploymentsTable list decide/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What a decision on an employment did, as the address after it says.
#[component]
fn EmploymentOutcome() -> impl IntoView {
    let query = use_query_map();
    move || {
        let text = match query.read().get("employment").as_deref() {
            Some("confirmed") => Text::EmploymentDoneConfirmed,
            Some("declined") => Text::EmploymentDoneDeclined,
            Some("already") => Text::EmploymentDoneAlready,
            Some("withdrawn") => Text::EmploymentWithdrawn,
            _ => return None,
        };
        Some(
            view! { <div class="notice notice--success" role="status" data-testid="employment-done">{t(text)}</div> },
        )
    }
}

/// Employments: company, position, start, end and whether confirmed; a pending one gets
/// "Bekräfta" and "Avböj" (on the person's own pages, and for staff).
#[component]
fn EmploymentsTable(
    list: Vec<super::model::Employment>,
    #[prop(optional)] links: bool,
    #[prop(optional)] decide: Option<ServerAction<DecideEmployment>>,
) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|e| {
            let company = if links {
                view! { <a href=format!("/companies/{}", e.company_id)>{e.company_name.clone()}</a> }
                    .into_any()
            } else {
                e.company_name.clone().into_any()
            };
            let status = (e.status != EmploymentStatus::Confirmed)
                .then(|| view! { <div><strong class="tag tag--grey" data-testid="employment-status">{t(e.status_text())}</strong></div> });
            let buttons = decide.filter(|_| e.status == EmploymentStatus::Pending && !e.withdrawn()).map(|action| {
                let (a, b) = (e.id.clone(), e.id.clone());
                let name = format!("{}, {}", e.company_name, e.position);
                let name2 = name.clone();
                view! {
                    <div class="button-group button-group--tight">
                        <ActionForm action attr:class="inline-form">
                            <input type="hidden" name="id" value=a/>
                            <input type="hidden" name="decision" value="confirm"/>
                            <button type="submit" class="button" data-testid="confirm-employment">
                                {t(Text::EmploymentConfirm)}<span class="visually-hidden">" "{name2}</span>
                            </button>
                        </ActionForm>
                        <ActionForm action attr:class="inline-form">
                            <input type="hidden" name="id" value=b/>
                            <input type="hidden" name="decision" value="decline"/>
                            <button type="submit" class="button button--secondary" data-testid="decline-employment">
                                {t(Text::EmploymentDecline)}<span class="visually-hidden">" "{name}</span>
                            </button>
                        </ActionForm>
                    </div>
                }
            });
            view! {
                <tr>
                    <td data-label=t(Text::CompanyName)><div>{company}{status}</div></td>
                    <td data-label=t(Text::PeopleColName)>{e.person_name}</td>
                    <td data-label=t(Text::EmploymentPosition)>{e.position}</td>
                    <td data-label=t(Text::EmploymentStart)>{e.start_date}</td>
                    <td data-label=t(Text::EmploymentEnd)>{e.end_date.unwrap_or_default()}</td>
                    <td>{buttons}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table table--responsive" data-testid="employments">
            <thead><tr>
                <th scope="col">{t(Text::CompanyName)}</th>
                <th scope="col">{t(Text::PeopleColName)}</th>
                <th scope="col">{t(Text::EmploymentPosition)}</th>
                <th scope="col">{t(Text::EmploymentStart)}</th>
                <th scope="col">{t(Text::EmploymentEnd)}</th>
                <th scope="col"><span class="visually-hidden">{t(Text::Actions)}</span></th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// `/employment/:token`: the emailed link, for someone without an account: confirm or decline.
#[component]
pub fn EmploymentLinkPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let decide = ServerAction::<DecideEmploymentLink>::new();
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
    let data = Resource::new(token, employment_link);
    view! {
        <Title text=t(Text::EmploymentLinkTitle)/>
        <div class="narrow">
            <h1 class="heading-l">{t(Text::EmploymentLinkTitle)}</h1>
            <EmploymentOutcome/>
            <ErrorSummary error/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let done = query.read_untracked().get("done");
                    let text = match done.as_deref() {
                        Some("confirmed") => Some(Text::EmploymentDoneConfirmed),
                        Some("declined") => Some(Text::EmploymentDoneDeclined),
                        Some("already") => Some(Text::EmploymentDoneAlready),
                        Some("withdrawn") => Some(Text::EmploymentWithdrawn),
                        _ => None,
                    };
                    if let Some(text) = text {
                        return view! { <div class="notice notice--success" role="status" data-testid="employment-done">{t(text)}</div> }.into_any();
                    }
                    match data.await {
                        Ok(EmploymentInvite::Open { company, position, start_date }) => view! {
                            <p class="body lead">{current_locale().format(Text::EmploymentLinkLead, &[("company", &company), ("position", &position), ("start", &start_date)])}</p>
                            <p class="body">{t(Text::EmploymentLinkHint)}</p>
                            <div class="button-group">
                                <ActionForm action=decide attr:class="inline-form">
                                    <input type="hidden" name="token" value=token()/>
                                    <input type="hidden" name="decision" value="confirm"/>
                                    <button type="submit" class="button" data-testid="confirm-employment">{t(Text::EmploymentConfirm)}</button>
                                </ActionForm>
                                <ActionForm action=decide attr:class="inline-form">
                                    <input type="hidden" name="token" value=token()/>
                                    <input type="hidden" name="decision" value="decline"/>
                                    <button type="submit" class="button button--secondary" data-testid="decline-employment">{t(Text::EmploymentDecline)}</button>
                                </ActionForm>
                            </div>
                        }.into_any(),
                        Ok(EmploymentInvite::Closed) => view! {
                            <div class="notice notice--warning" role="alert" data-testid="link-closed">{t(Text::EmploymentLinkClosed)}</div>
                        }.into_any(),
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
