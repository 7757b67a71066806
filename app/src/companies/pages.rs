use super::api::{
    AddAdmin, AddBranch, AddContact, AddEmployee, AddNote, CreateCompany, EndEmployment,
    RemoveAdmin, RemovePart, UpdateCompany, get_company, list_companies,
};
use super::model::{
    BILLING, BILLING_METHODS, BRANCH, COMPANY, CONTACT, CompanyDetails, CompanyView, EMPLOYEE,
};
use crate::auth::api::whoami;
use crate::error::AppError;
use crate::events::parts::EventLog;
use crate::i18n::{Text, current_locale, t};
use crate::people::model::EmploymentStatus;
use crate::ui::errors::ErrorPage;
use crate::ui::form::{ErrorSummary, Radios, SpecField, TextArea, TextField};
use crate::ui::format::short_time;
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
                match data.await {
                    Ok(p) if p.items.is_empty() => view! { <p class="body empty-state">{t(Text::CompaniesEmpty)}</p> }.into_any(),
                    Ok(p) => {
                        let rows = p.items.into_iter().map(|c| view! {
                            <tr>
                                <td data-label=t(Text::CompanyName)><a href=format!("/companies/{}", c.id)>{c.name}</a></td>
                                <td data-label=t(Text::CompanyOrgnr)>{c.orgnr}</td>
                                <td data-label=t(Text::PersonCity)>{c.city}</td>
                            </tr>
                        }).collect_view();
                        let base = crate::ui::search::paging_base("/companies", &q.get_untracked());
                        view! {
                            <table class="table table--responsive" data-testid="companies">
                                <thead><tr>
                                    <th scope="col">{t(Text::CompanyName)}</th>
                                    <th scope="col">{t(Text::CompanyOrgnr)}</th>
                                    <th scope="col">{t(Text::PersonCity)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                            <Pagination base page=p.page has_next=p.has_next/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

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

/// "Ta bort?" with a button that does it and a link that does not.
fn confirm_panel(question: String, cancel: String, form: impl IntoView) -> impl IntoView {
    view! {
        <div class="panel panel--warning" role="alert" data-testid="confirm">
            <p class="body"><strong>{question}</strong></p>
            <div class="button-group">
                {form}
                <a href=cancel class="button button--secondary">{t(Text::Cancel)}</a>
            </div>
        </div>
    }
}

/// What differs between the contact persons' and the branches' tabs.
struct PartTexts {
    kind: &'static str,
    tab: &'static str,
    question: Text,
    empty: Text,
    add: Text,
}

const CONTACT_TEXTS: PartTexts = PartTexts {
    kind: "contact",
    tab: "contacts",
    question: Text::ContactRemoveQuestion,
    empty: Text::ContactsEmpty,
    add: Text::ContactAdd,
};

const BRANCH_TEXTS: PartTexts = PartTexts {
    kind: "branch",
    tab: "branches",
    question: Text::BranchRemoveQuestion,
    empty: Text::BranchesEmpty,
    add: Text::BranchAdd,
};

/// A tab listing contact persons or branches (four columns described by `specs`), with a
/// confirmation before one is removed and a form that adds one.
#[component]
fn PartsTab(
    company_id: String,
    texts: PartTexts,
    specs: &'static [crate::validate::Spec; 4],
    /// Each part's id and its four values, in the order of `specs`.
    rows: Vec<(String, [String; 4])>,
    confirm: Option<String>,
    remove: ServerAction<RemovePart>,
    error: Signal<Option<AppError>>,
    /// The `ActionForm` that adds one, holding the fields of `specs`.
    add_form: AnyView,
) -> impl IntoView {
    let locale = current_locale();
    let base = format!("/companies/{company_id}?tab={}", texts.tab);
    let confirm = confirm
        .and_then(|id| rows.iter().find(|(r, _)| *r == id).cloned())
        .map(|(id, cells)| {
            let form = view! {
                <ActionForm action=remove attr:class="inline-form">
                    <input type="hidden" name="company_id" value=company_id.clone()/>
                    <input type="hidden" name="kind" value=texts.kind/>
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="button button--warning" data-testid="confirm-remove">{t(Text::RemoveYes)}</button>
                </ActionForm>
            };
            confirm_panel(locale.format(texts.question, &[("name", &cells[0])]), base.clone(), form)
        });
    let list = if rows.is_empty() {
        view! { <p class="body empty-state">{t(texts.empty)}</p> }.into_any()
    } else {
        let body = rows
            .into_iter()
            .map(|(id, cells)| {
                let name = cells[0].clone();
                let tds = specs
                    .iter()
                    .zip(cells)
                    .map(|(s, c)| view! { <td data-label=t(s.label)>{c}</td> })
                    .collect_view();
                view! {
                    <tr>
                        {tds}
                        <td><a href=format!("{base}&confirm={id}")>{t(Text::Remove)}<span class="visually-hidden">" "{name}</span></a></td>
                    </tr>
                }
            })
            .collect_view();
        let head = specs
            .iter()
            .map(|s| view! { <th scope="col">{t(s.label)}</th> })
            .collect_view();
        view! {
            <table class="table table--responsive">
                <thead><tr>
                    {head}
                    <th scope="col"><span class="visually-hidden">{t(Text::Actions)}</span></th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        {confirm}
        {list}
        <details class="details" open=move || error.get().is_some()>
            <summary>{t(texts.add)}</summary>
            <ErrorSummary error/>
            {add_form}
        </details>
    }
}

#[component]
fn ContactsTab(company: CompanyView, confirm: Option<String>, forms: Forms) -> impl IntoView {
    let error = err(forms.contact);
    let rows = company
        .contacts
        .iter()
        .map(|p| (p.id.clone(), p.values.clone()))
        .collect();
    let fields = CONTACT
        .iter()
        .map(|s| view! { <SpecField spec=*s error/> })
        .collect_view();
    let company_id = company.id.clone();
    let add_form = view! {
        <ActionForm action=forms.contact attr:novalidate="novalidate" attr:class="narrow">
            <input type="hidden" name="company_id" value=company_id/>
            {fields}
            <button type="submit" class="button">{t(Text::ContactAdd)}</button>
        </ActionForm>
    }
    .into_any();
    view! {
        <PartsTab company_id=company.id.clone() texts=CONTACT_TEXTS specs=&CONTACT rows confirm
            remove=forms.remove error add_form/>
    }
}

#[component]
fn BranchesTab(company: CompanyView, confirm: Option<String>, forms: Forms) -> impl IntoView {
    let error = err(forms.branch);
    let rows = company
        .branches
        .iter()
        .map(|p| (p.id.clone(), p.values.clone()))
        .collect();
    let fields = BRANCH
        .iter()
        .map(|s| view! { <SpecField spec=*s error/> })
        .collect_view();
    let company_id = company.id.clone();
    let add_form = view! {
        <ActionForm action=forms.branch attr:novalidate="novalidate" attr:class="narrow">
            <input type="hidden" name="company_id" value=company_id/>
            {fields}
            <button type="submit" class="button">{t(Text::BranchAdd)}</button>
        </ActionForm>
    }
    .into_any();
    view! {
        <PartsTab company_id=company.id.clone() texts=BRANCH_TEXTS specs=&BRANCH rows confirm
            remove=forms.remove error add_form/>
    }
}

#[component]
fn EmployeesTab(company: CompanyView, end: Option<String>, forms: Forms) -> impl IntoView {
    let locale = current_locale();
    let error = err(forms.employee);
    let end_error = err(forms.end);
    let base = format!("/companies/{}?tab=employees", company.id);
    let ending = end.and_then(|id| {
        company
            .employees
            .items
            .iter()
            .find(|e| e.id == id && e.end_date.is_none())
            .cloned()
    });
    let ending = {
        let (cid, base) = (company.id.clone(), base.clone());
        ending.map(move |e| {
        let form = view! {
            <ActionForm action=forms.end attr:novalidate="novalidate">
                <input type="hidden" name="company_id" value=cid.clone()/>
                <input type="hidden" name="id" value=e.id.clone()/>
                <ErrorSummary error=end_error/>
                <TextField name="end_date" label=Text::EmploymentEnd hint=Text::DateHint error=end_error
                    input_type="date" value=company.today.clone()/>
                <button type="submit" class="button button--warning" data-testid="confirm-end">{t(Text::EmploymentEndSubmit)}</button>
            </ActionForm>
        };
        confirm_panel(locale.format(Text::EmploymentEndQuestion, &[("name", &e.person_name)]), base.clone(), form)
    })
    };
    let rows = company
        .employees
        .items
        .iter()
        .map(|e| {
            let action = e.end_date.is_none().then(|| view! {
                <a href=format!("{base}&end={}", e.id)>{t(Text::EmploymentEndLink)}<span class="visually-hidden">" "{e.person_name.clone()}</span></a>
            });
            let waiting = (e.status != EmploymentStatus::Confirmed).then(|| {
                let class = if e.status == EmploymentStatus::Pending { "tag tag--grey" } else { "tag tag--red" };
                view! { <div><strong class=class data-testid="employment-status">{t(e.status.text())}</strong></div> }
            });
            view! {
                <tr>
                    <td data-label=t(Text::PeopleColName)><div>{e.person_name.clone()}{waiting}</div></td>
                    <td data-label=t(Text::PersonPnr)>{e.pnr.clone()}</td>
                    <td data-label=t(Text::EmploymentPosition)>{e.position.clone()}</td>
                    <td data-label=t(Text::EmploymentStart)>{e.start_date.clone()}</td>
                    <td data-label=t(Text::EmploymentEnd)>{e.end_date.clone().unwrap_or_default()}</td>
                    <td>{action}</td>
                </tr>
            }
        })
        .collect_view();
    let names = EMPLOYEE[..2]
        .iter()
        .map(|s| view! { <SpecField spec=*s error/> })
        .collect_view();
    let paging = format!("{base}&");
    let (page, has_next) = (company.employees.page, company.employees.has_next);
    view! {
        {ending}
        {if company.employees.items.is_empty() {
            view! { <p class="body empty-state">{t(Text::EmployeesEmpty)}</p> }.into_any()
        } else {
            view! {
                <table class="table table--responsive" data-testid="employees">
                    <thead><tr>
                        <th scope="col">{t(Text::PeopleColName)}</th>
                        <th scope="col">{t(Text::PersonPnr)}</th>
                        <th scope="col">{t(Text::EmploymentPosition)}</th>
                        <th scope="col">{t(Text::EmploymentStart)}</th>
                        <th scope="col">{t(Text::EmploymentEnd)}</th>
                        <th scope="col"><span class="visually-hidden">{t(Text::Actions)}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <Pagination base=paging page has_next param="employees_page"/>
            }.into_any()
        }}
        <section class="panel" aria-labelledby="add-employee">
            <h2 class="heading-m" id="add-employee">{t(Text::EmployeeAdd)}</h2>
            <ErrorSummary error/>
            <ActionForm action=forms.employee attr:novalidate="novalidate" attr:class="narrow">
                <input type="hidden" name="company_id" value=company.id.clone()/>
                <TextField name="pnr" label=Text::PersonPnr hint=Text::PersonPnrHint error autocomplete="off"/>
                <p class="hint">{t(Text::EmployeeNamesHint)}</p>
                {names}
                <SpecField spec=EMPLOYEE[2] error/>
                <TextField name="start_date" label=Text::EmploymentStart hint=Text::DateHint error input_type="date"/>
                <button type="submit" class="button" data-testid="add-employee">{t(Text::EmployeeAdd)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn AdminsTab(
    company: CompanyView,
    confirm: Option<String>,
    forms: Forms,
    staff: bool,
) -> impl IntoView {
    let locale = current_locale();
    let error = err(forms.admin);
    let base = format!("/companies/{}?tab=admins", company.id);
    let asked = confirm
        .filter(|_| staff)
        .and_then(|id| company.admins.iter().find(|a| a.account_id == id).cloned());
    let confirm = {
        let (cid, base) = (company.id.clone(), base.clone());
        asked.map(move |a| {
        let form = view! {
            <ActionForm action=forms.remove_admin attr:class="inline-form">
                <input type="hidden" name="company_id" value=cid.clone()/>
                <input type="hidden" name="account_id" value=a.account_id.clone()/>
                <button type="submit" class="button button--warning" data-testid="confirm-remove">{t(Text::RemoveYes)}</button>
            </ActionForm>
        };
        confirm_panel(locale.format(Text::AdminRemoveQuestion, &[("name", &a.display_name)]), base.clone(), form)
    })
    };
    let rows = company
        .admins
        .iter()
        .map(|a| {
            let remove = staff.then(|| view! {
                <a href=format!("{base}&confirm={}", a.account_id)>{t(Text::Remove)}<span class="visually-hidden">" "{a.display_name.clone()}</span></a>
            });
            view! {
                <tr>
                    <td data-label=t(Text::PeopleColName)>{a.display_name.clone()}</td>
                    <td data-label=t(Text::AdminUsername)>{a.username.clone()}</td>
                    <td data-label=t(Text::PersonEmail)>{a.email.clone()}</td>
                    <td>{remove}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {confirm}
        {if company.admins.is_empty() {
            view! { <p class="body empty-state">{t(Text::AdminsEmpty)}</p> }.into_any()
        } else {
            view! {
                <table class="table table--responsive">
                    <thead><tr>
                        <th scope="col">{t(Text::PeopleColName)}</th>
                        <th scope="col">{t(Text::AdminUsername)}</th>
                        <th scope="col">{t(Text::PersonEmail)}</th>
                        <th scope="col"><span class="visually-hidden">{t(Text::Actions)}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        }}
        {staff.then(|| view! {
            <section class="panel" aria-labelledby="add-admin">
                <h2 class="heading-m" id="add-admin">{t(Text::AdminAdd)}</h2>
                <ErrorSummary error/>
                <ActionForm action=forms.admin attr:novalidate="novalidate" attr:class="narrow">
                    <input type="hidden" name="company_id" value=company.id.clone()/>
                    <TextField name="account" label=Text::AdminAccount hint=Text::AdminAccountHint error autocomplete="off"/>
                    <button type="submit" class="button">{t(Text::AdminAdd)}</button>
                </ActionForm>
            </section>
        })}
    }
}

#[component]
fn NotesTab(company: CompanyView, forms: Forms) -> impl IntoView {
    let error = err(forms.note);
    let notes = company.notes.clone().unwrap_or_default();
    let paging = view! {
        <Pagination base=format!("/companies/{}?tab=notes&", company.id) page=notes.page
            has_next=notes.has_next param="notes_page"/>
    };
    let list = if notes.items.is_empty() {
        view! { <p class="body empty-state">{t(Text::NotesEmpty)}</p> }.into_any()
    } else {
        notes
            .items
            .into_iter()
            .map(|n| {
                view! {
                    <article class="message">
                        <p class="hint">{short_time(&n.created_at)}" · "{n.author}</p>
                        <p class="body message__body">{n.body}</p>
                    </article>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <p class="hint">{t(Text::NotesHint)}</p>
        <section class="panel" aria-labelledby="new-note">
            <h2 class="heading-m" id="new-note">{t(Text::NoteNew)}</h2>
            <ErrorSummary error/>
            <ActionForm action=forms.note attr:novalidate="novalidate">
                <input type="hidden" name="company_id" value=company.id.clone()/>
                <TextArea name="body" label=Text::NoteBody error/>
                <button type="submit" class="button">{t(Text::NoteSave)}</button>
            </ActionForm>
        </section>
        {list}
        {paging}
    }
}
