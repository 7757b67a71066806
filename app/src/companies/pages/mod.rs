//! The company pages: the list, the forms, and the company page with one file per tab.

use super::api::{
    AddAdmin, AddBranch, AddContact, AddEmployee, AddNote, CreateCompany, EndEmployment,
    RemoveAdmin, RemovePart, UpdateCompany, get_company, list_companies,
};
use super::model::{
    BILLING, BILLING_METHODS, BRANCH, COMPANY, CONTACT, CompanyDetails, CompanyRow, CompanyView,
    EMPLOYEE,
};
use crate::auth::api::whoami;
use crate::error::AppError;
use crate::events::parts::EventLog;
use crate::i18n::{Text, current_locale, t};
use crate::people::model::EmploymentStatus;
use crate::ui::errors::ErrorPage;
use crate::ui::form::{ErrorSummary, Radios, SpecField, TextArea, TextField};
use crate::ui::format::short_time;
use crate::ui::search::{Column, results};
use crate::ui::summary::{Pagination, row};
use crate::ui::tabs::Tabs;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn err<A>(action: ServerAction<A>) -> Signal<Option<AppError>>
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// `/companies`: staff search every company; a company admin sees their own.
#[component]
pub fn CompaniesListPage() -> impl IntoView {
    let (q, page) = crate::ui::search::use_search();
    let data = Resource::new(
        move || (q.get(), page.get()),
        |(q, page)| list_companies(q, page),
    );
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <Title text=t(Text::CompaniesTitle)/>
        <div class="page-heading">
            <h1 class="heading-xl">{t(Text::CompaniesTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    matches!(me.await, Ok(Some(u)) if u.is_staff()).then(|| view! {
                        <a href="/companies/new" class="button button--secondary">{t(Text::CompaniesNew)}</a>
                    })
                })}
            </Suspense>
        </div>
        <crate::ui::search::SearchForm action="/companies" label=Text::CompaniesSearchLabel/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let found = data.await;
                results(found, "/companies", &q.get_untracked(), &COMPANY_COLUMNS, Text::CompaniesEmpty, "companies")
            })}
        </Suspense>
    }
}

/// The columns of the companies' search.
const COMPANY_COLUMNS: [Column<CompanyRow>; 3] = [
    Column {
        header: Text::CompanyName,
        cell: |c| view! { <a href=format!("/companies/{}", c.id)>{c.name.clone()}</a> }.into_any(),
    },
    Column {
        header: Text::CompanyOrgnr,
        cell: |c| c.orgnr.clone().into_any(),
    },
    Column {
        header: Text::PersonCity,
        cell: |c| c.city.clone().into_any(),
    },
];

/// The details and billing fields, holding `values`.
fn details_fields(
    values: &CompanyDetails,
    error: Signal<Option<AppError>>,
) -> impl IntoView + use<> {
    let company = COMPANY
        .iter()
        .map(|s| view! { <SpecField spec=*s error value=values.get(s.name).to_owned()/> })
        .collect_view();
    let billing = BILLING
        .iter()
        .map(|s| view! { <SpecField spec=*s error value=values.get(s.name).to_owned()/> })
        .collect_view();
    let method = if values.billing_method.is_empty() {
        "post".to_owned()
    } else {
        values.billing_method.clone()
    };
    view! {
        <h2 class="heading-m">{t(Text::CompanyDetailsTitle)}</h2>
        {company}
        <h2 class="heading-m">{t(Text::CompanyBillingTitle)}</h2>
        <Radios name="billing_method" legend=Text::CompanyBillingMethod options=BILLING_METHODS.to_vec()
            selected=method error/>
        {billing}
    }
}

/// `/companies/new`: staff register a company.
#[component]
pub fn NewCompanyPage() -> impl IntoView {
    let create = ServerAction::<CreateCompany>::new();
    let error = err(create);
    view! {
        <Title text=t(Text::CompaniesNew)/>
        <div class="narrow">
            <h1 class="heading-xl">{t(Text::CompaniesNew)}</h1>
            <ErrorSummary error/>
            <ActionForm action=create attr:novalidate="novalidate">
                <TextField name="orgnr" label=Text::CompanyOrgnr hint=Text::CompanyOrgnrHint error autocomplete="off"/>
                {details_fields(&CompanyDetails::default(), error)}
                <div class="button-group">
                    <button type="submit" class="button">{t(Text::Save)}</button>
                    <a href="/companies" class="button button--secondary">{t(Text::Cancel)}</a>
                </div>
            </ActionForm>
        </div>
    }
}

/// `/companies/:id/edit`: "Ändra uppgifter".
#[component]
pub fn EditCompanyPage() -> impl IntoView {
    let params = use_params_map();
    let update = ServerAction::<UpdateCompany>::new();
    let error = err(update);
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        |id| get_company(id, None, None, None),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! {
                        <Title text=t(Text::CompanyEdit)/>
                        <p class="body"><a href=format!("/companies/{}", c.id) class="back-link">{c.details.name.clone()}</a></p>
                        <div class="narrow">
                            <h1 class="heading-xl">{t(Text::CompanyEdit)}</h1>
                            <ErrorSummary error/>
                            <ActionForm action=update attr:novalidate="novalidate">
                                <input type="hidden" name="id" value=c.id.clone()/>
                                {details_fields(&c.details, error)}
                                <div class="button-group">
                                    <button type="submit" class="button">{t(Text::Save)}</button>
                                    <a href=format!("/companies/{}", c.id) class="button button--secondary">{t(Text::Cancel)}</a>
                                </div>
                            </ActionForm>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Every form of the company page. They are created by the page so that, without JavaScript,
/// a refused form finds its message when the page is shown again.
#[derive(Clone, Copy)]
struct Forms {
    contact: ServerAction<AddContact>,
    branch: ServerAction<AddBranch>,
    remove: ServerAction<RemovePart>,
    employee: ServerAction<AddEmployee>,
    end: ServerAction<EndEmployment>,
    note: ServerAction<AddNote>,
    admin: ServerAction<AddAdmin>,
    remove_admin: ServerAction<RemoveAdmin>,
}

impl Forms {
    fn new() -> Forms {
        Forms {
            contact: ServerAction::new(),
            branch: ServerAction::new(),
            remove: ServerAction::new(),
            employee: ServerAction::new(),
            end: ServerAction::new(),
            note: ServerAction::new(),
            admin: ServerAction::new(),
            remove_admin: ServerAction::new(),
        }
    }

    fn version(&self) -> usize {
        self.contact.version().get()
            + self.branch.version().get()
            + self.remove.version().get()
            + self.employee.version().get()
            + self.end.version().get()
            + self.note.version().get()
            + self.admin.version().get()
            + self.remove_admin.version().get()
    }
}

const TABS: [(&str, Text); 8] = [
    ("contacts", Text::CompanyTabContacts),
    ("admins", Text::CompanyTabAdmins),
    ("employees", Text::CompanyTabEmployees),
    ("branches", Text::CompanyTabBranches),
    (
        "employee_certificates",
        Text::CompanyTabEmployeeCertificates,
    ),
    ("certificates", Text::CompanyTabCertificates),
    ("events", Text::CompanyTabEvents),
    ("notes", Text::CompanyTabNotes),
];

/// `/companies/:id`: the company page of the Incert manual: details and billing, then tabs.
#[component]
pub fn CompanyPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let forms = Forms::new();
    let page = move |name: &str| query.read().get(name).and_then(|p| p.parse::<u32>().ok());
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                forms.version(),
                [
                    page("employees_page"),
                    page("events_page"),
                    page("notes_page"),
                ],
            )
        },
        |(id, _, [employees, events, notes])| get_company(id, employees, events, notes),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => {
                        let q = query.read();
                        let tab = q.get("tab").unwrap_or_default();
                        let done = q.get("done");
                        let confirm = q.get("confirm");
                        let end = q.get("end");
                        let result = q.get("result");
                        drop(q);
                        view! { <CompanyView company=c tab done result confirm end forms/> }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CompanyView(
    company: CompanyView,
    tab: String,
    done: Option<String>,
    result: Option<String>,
    confirm: Option<String>,
    end: Option<String>,
    forms: Forms,
) -> impl IntoView {
    let staff = company.notes.is_some();
    let current = TABS
        .iter()
        .map(|(k, _)| *k)
        .find(|k| *k == tab && (staff || *k != "notes"))
        .unwrap_or("contacts");
    let base = format!("/companies/{}", company.id);
    let tabs = TABS
        .iter()
        .filter(|(k, _)| staff || *k != "notes")
        .map(|(k, text)| (*k, *text, format!("{base}?tab={k}")))
        .collect();
    let d = company.details.clone();
    // A bulk action's outcome is told by its own banner, which lists the certificates.
    let bulk = matches!(done.as_deref(), Some("attested" | "asked"));
    let done_text = done.clone().filter(|_| !bulk).map(|d| {
        let text = match d.as_str() {
            "created" => Text::CompanyCreated,
            "removed" => Text::CompanyRemoved,
            "requested" => Text::EmployeeRequested,
            _ => Text::CompanySaved,
        };
        t(text).to_owned()
    });
    let bulk_banner = bulk.then(|| {
        view! {
            <crate::certificates::pages::BulkOutcome company_id=company.id.clone()
                asked=done.as_deref() == Some("asked") result=result.clone().unwrap_or_default()/>
        }
    });
    let billing_method = t(BILLING_METHODS
        .iter()
        .find(|(m, _)| *m == d.billing_method)
        .map_or(Text::CompanyBillingPost, |(_, t)| *t));
    let billing_email = if d.billing_email.is_empty() {
        t(Text::No).to_owned()
    } else {
        d.billing_email.clone()
    };
    let billing_address = [
        d.billing_address.as_str(),
        &d.billing_postal_code,
        &d.billing_city,
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let address = [d.address.as_str(), &d.postal_code, &d.city]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let content = match current {
        "admins" => view! { <AdminsTab company=company.clone() confirm forms staff/> }.into_any(),
        "employees" => view! { <EmployeesTab company=company.clone() end forms/> }.into_any(),
        "branches" => view! { <BranchesTab company=company.clone() confirm forms/> }.into_any(),
        "employee_certificates" => view! {
            <crate::certificates::pages::EmployeeCertificatesTab company_id=company.id.clone() admin=company.attester/>
        }
        .into_any(),
        "certificates" => {
            view! { <p class="body empty-state">{t(Text::CompanyNoCertificates)}</p> }.into_any()
        }
        "events" => view! { <EventLog events=company.events.clone() base=format!("{base}?tab=events&")/> }.into_any(),
        "notes" => view! { <NotesTab company=company.clone() forms/> }.into_any(),
        _ => view! { <ContactsTab company=company.clone() confirm forms/> }.into_any(),
    };
    view! {
        <Title text=d.name.clone()/>
        <p class="body"><a href="/companies" class="back-link">{t(Text::CompaniesTitle)}</a></p>
        {done_text.map(|text| view! { <div class="notice notice--success" role="status" data-testid="done">{text}</div> })}
        {bulk_banner}
        <h1 class="heading-xl">{d.name.clone()}</h1>
        <div class="button-group">
            <a href=format!("{base}/edit") class="button button--secondary" data-testid="edit-company">{t(Text::CompanyEdit)}</a>
            <a href=format!("{base}/training") class="button button--secondary" data-testid="company-training">{t(Text::CompanyTrainingTitle)}</a>
            {staff.then(|| view! {
                <a href=format!("{base}?tab=notes#body") class="button button--secondary">{t(Text::NoteNew)}</a>
            })}
        </div>
        <div class="card-grid card-grid--two">
            <section class="card">
                <h2 class="heading-m">{t(Text::CompanyDetailsTitle)}</h2>
                <dl class="summary-list summary-list--compact">
                    {row(Text::CompanyName, d.name.clone())}
                    {row(Text::CompanyOrgnr, company.orgnr.clone())}
                    {row(Text::CompanyInvoiceReference, d.invoice_reference.clone())}
                    {row(Text::PersonAddress, address)}
                    {row(Text::PersonPhone, d.phone.clone())}
                    {row(Text::CompanyEmail, d.email.clone())}
                    {row(Text::CompanyWebsite, d.website.clone())}
                </dl>
            </section>
            <section class="card">
                <h2 class="heading-m">{t(Text::CompanyBillingTitle)}</h2>
                <dl class="summary-list summary-list--compact">
                    {row(Text::CompanyBillingMethod, billing_method.to_owned())}
                    {row(Text::CompanyName, if d.billing_name.is_empty() { d.name.clone() } else { d.billing_name.clone() })}
                    {row(Text::CompanyBillingAddress, billing_address)}
                    {row(Text::CompanyBillingEmail, billing_email)}
                </dl>
            </section>
        </div>
        <Tabs label=t(Text::CompanyTabsLabel) tabs current/>
        <div class="tab-panel">{content}</div>
    }
}

/// "Ta bort?" with a button that does it and a link that does not. The links that ask end in
/// `#confirm`, so the browser shows the question, not the top of the page.
fn confirm_panel(question: String, cancel: String, form: impl IntoView) -> impl IntoView {
    view! {
        <div class="panel panel--warning" role="alert" id="confirm" data-testid="confirm">
            <p class="body"><strong>{question}</strong></p>
            <div class="button-group">
                {form}
                <a href=cancel class="button button--secondary">{t(Text::Cancel)}</a>
            </div>
        </div>
    }
}

mod admins;
mod employees;
mod notes;
mod parts;

use admins::AdminsTab;
use employees::EmployeesTab;
use notes::NotesTab;
use parts::{BranchesTab, ContactsTab};
