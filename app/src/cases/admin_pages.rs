//! The schemes' required documents as the body's administrators keep them: `/staff/schemes` (the
//! schemes) and `/staff/schemes/:id` (a scheme's documents: add, change, reorder, remove with a
//! confirmation). Handlers read them; only body administrators change them. Plain forms.

use super::api::{
    MoveRequirement, RemoveRequirement, RemoveTemplate, SaveRequirement, list_schemes,
    scheme_documents,
};
use super::model::{RequirementAdmin, SchemeDocuments};
use crate::i18n::{Text, current_locale, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::{ErrorSummary, TextArea, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/staff/schemes`: every scheme and how many documents an application for it requires.
#[component]
pub fn SchemesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_schemes());
    view! {
        <Title text=t(Text::SchemesTitle)/>
        <h1 class="heading-xl">{t(Text::SchemesTitle)}</h1>
        <p class="body">{t(Text::SchemesLead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = current_locale();
                match data.await {
                    Ok(list) => {
                        let rows = list.into_iter().map(|s| view! {
                            <tr>
                                <td data-label=t(Text::SchemesColScheme)>
                                    <a href=format!("/staff/schemes/{}", s.id)>{format!("{} - {}", s.area.get(locale), s.name.get(locale))}</a>
                                </td>
                                <td data-label=t(Text::SchemesColDocuments)>{s.documents}</td>
                            </tr>
                        }).collect_view();
                        view! {
                            <table class="table table--responsive" data-testid="schemes">
                                <thead><tr>
                                    <th scope="col">{t(Text::SchemesColScheme)}</th>
                                    <th scope="col">{t(Text::SchemesColDocuments)}</th>
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

/// `/staff/schemes/:id`: the scheme's required documents; `?edit=<id>` changes one, `?remove=<id>`
/// asks before removing it.
#[component]
pub fn SchemeDocumentsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let data = Resource::new(id, scheme_documents);
    let save = ServerAction::<SaveRequirement>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::SchemesTitle)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = current_locale();
                match data.await {
                    Ok(scheme) => {
                        let q = query.read_untracked();
                        let done = match q.get("__err") {
                            Some(_) => None,
                            None => q.get("done"),
                        };
                        let editing = q.get("edit");
                        let removing = q.get("remove");
                        let title = format!("{} - {}", scheme.area.get(locale), scheme.name.get(locale));
                        view! {
                            <p class="body"><a href="/staff/schemes">{t(Text::SchemesTitle)}</a></p>
                            <h1 class="heading-xl">{locale.format(Text::SchemeDocsTitle, &[("scheme", &title)])}</h1>
                            <p class="body"><a href=format!("/staff/schemes/{}/reminders", scheme.id) data-testid="reminders-link">{t(Text::RemindersLink)}</a></p>
                            {done_notice(done.as_deref())}
                            {documents_table(&scheme)}
                            {match (scheme.editable, removing, editing) {
                                (false, ..) => view! { <p class="body hint">{t(Text::RequirementReadOnly)}</p> }.into_any(),
                                (true, Some(r), _) => confirm_removal(&scheme, &r),
                                (true, None, edit) => {
                                    let page = format!("/staff/schemes/{}", scheme.id);
                                    let upload_error = super::pages::refusal_in_address(&q, &page);
                                    let removing_template = q.get("remove_template").is_some();
                                    view! {
                                        <RequirementForm scheme=scheme.clone() editing=edit action=save error upload_error removing_template/>
                                    }.into_any()
                                }
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn done_notice(done: Option<&str>) -> Option<AnyView> {
    let text = match done? {
        "saved" => Text::RequirementSaved,
        "removed" => Text::RequirementRemoved,
        "already_removed" => Text::RequirementAlreadyRemoved,
        "template_saved" => Text::TemplateSaved,
        "template_removed" => Text::TemplateRemoved,
        "template_already_removed" => Text::TemplateAlreadyRemoved,
        _ => return None,
    };
    Some(
        view! { <div class="notice notice--success" role="status" data-testid="done">{t(text)}</div> }
            .into_any(),
    )
}

fn documents_table(scheme: &SchemeDocuments) -> AnyView {
    if scheme.documents.is_empty() {
        return view! { <p class="body empty-state">{t(Text::RequirementNone)}</p> }.into_any();
    }
    let last = scheme.documents.len() - 1;
    let rows = scheme
        .documents
        .iter()
        .enumerate()
        .map(|(i, r)| row(scheme, r, i, last))
        .collect_view();
    view! {
        <table class="table table--responsive" data-testid="scheme-documents">
            <thead><tr>
                <th scope="col">{t(Text::CaseColDocument)}</th>
                <th scope="col">{t(Text::RequirementColEnglish)}</th>
                <th scope="col">{t(Text::RequirementColShared)}</th>
                <th scope="col">{t(Text::CaseColTemplate)}</th>
                {scheme.editable.then(|| view! { <th scope="col"><span class="visually-hidden">{t(Text::RequirementColActions)}</span></th> })}
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn row(scheme: &SchemeDocuments, r: &RequirementAdmin, i: usize, last: usize) -> AnyView {
    let base = format!("/staff/schemes/{}", scheme.id);
    let mover = |direction: &'static str, text: Text, shown: bool| {
        shown.then(|| {
            let action = ServerAction::<MoveRequirement>::new();
            let (scheme_id, id) = (scheme.id.clone(), r.id.clone());
            let label = format!("{}: {}", t(text), r.name);
            view! {
                <ActionForm action attr:class="inline-form">
                    <input type="hidden" name="scheme_id" value=scheme_id/>
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="direction" value=direction/>
                    <button type="submit" class="link-button" aria-label=label>{t(text)}</button>
                </ActionForm>
            }
        })
    };
    let actions = scheme.editable.then(|| {
        view! {
            <td data-label=t(Text::RequirementColActions) class="actions">
                <a href=format!("{base}?edit={}#requirement-form", r.id) aria-label=format!("{}: {}", t(Text::RequirementEdit), r.name)>{t(Text::RequirementEdit)}</a>" "
                {mover("up", Text::RequirementUp, i > 0)}" "
                {mover("down", Text::RequirementDown, i < last)}" "
                <a href=format!("{base}?remove={}", r.id) aria-label=format!("{}: {}", t(Text::RequirementRemove), r.name)>{t(Text::RequirementRemove)}</a>
            </td>
        }
    });
    view! {
        <tr data-testid="scheme-document">
            <th scope="row" data-label=t(Text::CaseColDocument)><div>
                {r.name.clone()}
                {r.report.then(|| view! { " "<strong class="tag tag--blue">{t(Text::CaseKindYearlyReport)}</strong> })}
                {(!r.help.is_empty()).then(|| view! { <span class="requirement__shared">{r.help.clone()}</span> })}
            </div></th>
            <td data-label=t(Text::RequirementColEnglish)>{r.name_en.clone()}</td>
            <td data-label=t(Text::RequirementColShared)>{t(if r.shared { Text::Yes } else { Text::No })}</td>
            <td data-label=t(Text::CaseColTemplate)>
                {r.template.clone().map(|name| view! { <a href=format!("/templates/{}", r.id) download="" rel="external">{name}</a> })}
            </td>
            {actions}
        </tr>
    }
    .into_any()
}

/// "Ta bort" asks first, saying what happens to what was sent for it.
fn confirm_removal(scheme: &SchemeDocuments, id: &str) -> AnyView {
    let Some(r) = scheme.documents.iter().find(|r| r.id == id) else {
        return view! { <p class="body">{t(Text::RequirementAlreadyRemoved)}</p> }.into_any();
    };
    let locale = current_locale();
    let remove = ServerAction::<RemoveRequirement>::new();
    let (scheme_id, id) = (scheme.id.clone(), r.id.clone());
    let back = format!("/staff/schemes/{}", scheme.id);
    view! {
        <section class="notice notice--warning" data-testid="confirm-remove">
            <h2 class="heading-m">{locale.format(Text::RequirementRemoveConfirm, &[("name", &r.name)])}</h2>
            <p class="body">{t(Text::RequirementRemoveEffect)}</p>
            {r.in_use.then(|| view! { <p class="body">{t(Text::RequirementRemoveInUse)}</p> })}
            <ActionForm action=remove attr:class="button-group">
                <input type="hidden" name="scheme_id" value=scheme_id/>
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="button button--warning" data-testid="remove">{t(Text::RequirementRemove)}</button>
                <a href=back class="button button--secondary">{t(Text::Cancel)}</a>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// "Lägg till dokument", or "Ändra" one (`editing` its id).
#[component]
fn RequirementForm(
    scheme: SchemeDocuments,
    editing: Option<String>,
    action: ServerAction<SaveRequirement>,
    error: Signal<Option<crate::error::AppError>>,
    /// A refused template, come back in the address.
    upload_error: Option<crate::error::AppError>,
    /// "Ta bort mall" was pressed: it asks first.
    removing_template: bool,
) -> impl IntoView {
    let current = editing
        .as_ref()
        .and_then(|id| scheme.documents.iter().find(|r| &r.id == id).cloned());
    let heading = if current.is_some() {
        Text::RequirementEdit
    } else {
        Text::RequirementAdd
    };
    let c = current.clone().unwrap_or(RequirementAdmin {
        id: String::new(),
        name: String::new(),
        name_en: String::new(),
        help: String::new(),
        help_en: String::new(),
        shared: false,
        template: None,
        in_use: false,
        report: false,
    });
    let template = current
        .as_ref()
        .map(|c| template_form(&scheme.id, c, upload_error, removing_template));
    let fields = view! {
        <TextField name="name" label=Text::RequirementName error required=true value=c.name.clone()/>
        <TextField name="name_en" label=Text::RequirementNameEn error value=c.name_en.clone()/>
        <TextArea name="help" label=Text::RequirementHelp error rows=3 value=c.help.clone()/>
        <TextArea name="help_en" label=Text::RequirementHelpEn error rows=3 value=c.help_en.clone()/>
    }
    .into_any();
    view! {
        <h2 class="heading-m" id="requirement-form">{t(heading)}</h2>
        <ErrorSummary error/>
        <ActionForm action attr:novalidate="novalidate" attr:data-testid="requirement-form">
            <input type="hidden" name="scheme_id" value=scheme.id.clone()/>
            <input type="hidden" name="id" value=c.id.clone()/>
            {fields}
            <div class="form-group">
                <div class="checkbox-row">
                    <input class="checkbox" type="checkbox" id="shared" name="shared" value="on" checked=c.shared/>
                    <label class="label" for="shared">{t(Text::RequirementShared)}</label>
                </div>
            </div>
            <div class="button-group">
                <button type="submit" class="button" data-testid="save-requirement">{t(Text::RequirementSave)}</button>
                {current.is_some().then(|| view! {
                    <a href=format!("/staff/schemes/{}", scheme.id) class="button button--secondary">{t(Text::Cancel)}</a>
                })}
            </div>
        </ActionForm>
        {template}
    }
    .into_any()
}

/// "Mall" of the document being changed: the current one ("Hämta", "Ta bort mall") and "Ladda
/// upp mall", a plain form that posts the file.
fn template_form(
    scheme_id: &str,
    r: &RequirementAdmin,
    error: Option<crate::error::AppError>,
    confirming: bool,
) -> AnyView {
    let remove = ServerAction::<RemoveTemplate>::new();
    let message = error
        .as_ref()
        .and_then(|e| e.field_text("file", current_locale()));
    let refused = message.is_some();
    let current = r.template.clone().map(|name| {
        let (scheme_id, id) = (scheme_id.to_owned(), r.id.clone());
        let here = format!("/staff/schemes/{scheme_id}?edit={id}");
        let link = view! {
            <p class="body" data-testid="template">
                <a href=format!("/templates/{id}") download="" rel="external">{name.clone()}</a>
            </p>
        };
        // Removing asks first, naming the file.
        let remove_part = if confirming {
            view! {
                <div class="notice notice--warning" data-testid="confirm-remove-template">
                    <p class="body">{current_locale().format(Text::TemplateRemoveConfirm, &[("name", &name)])}</p>
                    <ActionForm action=remove attr:class="button-group">
                        <input type="hidden" name="scheme_id" value=scheme_id/>
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="button button--warning" data-testid="remove-template">{t(Text::TemplateRemove)}</button>
                        <a href=format!("{here}#template-heading") class="button button--secondary">{t(Text::Cancel)}</a>
                    </ActionForm>
                </div>
            }
            .into_any()
        } else {
            view! {
                <p class="body"><a href=format!("{here}&remove_template=1#template-heading") data-testid="ask-remove-template">{t(Text::TemplateRemove)}</a></p>
            }
            .into_any()
        };
        view! { {link}{remove_part} }
    });
    view! {
        <section class="panel" aria-labelledby="template-heading" data-testid="template-section">
            <h3 class="heading-s" id="template-heading">{t(Text::TemplateHeading)}</h3>
            {current.is_none().then(|| view! { <p class="body">{t(Text::TemplateNone)}</p> })}
            {current}
            <ErrorSummary error=Signal::stored(error.clone())/>
            <form method="post" enctype="multipart/form-data" novalidate="novalidate"
                action=format!("/staff/schemes/{scheme_id}/documents/{}/template", r.id)>
                <div class="form-group" class:form-group--error=refused>
                    <label class="label" for="file">{t(Text::TemplateFile)}</label>
                    <p class="hint" id="file-hint">{t(Text::TemplateFileHint)}</p>
                    {message.map(|m| view! { <p class="error-message" id="file-error">{m}</p> })}
                    <input class="file-upload" type="file" id="file" name="file" accept=".pdf,.doc,.docx,.xls,.xlsx"
                        aria-describedby="file-hint" data-testid="template-file"/>
                </div>
                <button type="submit" class="button button--secondary" data-testid="upload-template">{t(Text::TemplateUpload)}</button>
            </form>
        </section>
    }
    .into_any()
}

/// `/staff/retention`: what the retention rule ("5+5 år") will delete within a year, and when.
#[component]
pub fn RetentionPage() -> impl IntoView {
    let (_, page) = crate::ui::search::use_search();
    let data = Resource::new(move || page.get(), super::api::retention_report);
    view! {
        <Title text=t(Text::RetentionTitle)/>
        <h1 class="heading-xl">{t(Text::RetentionTitle)}</h1>
        <p class="body">{t(Text::RetentionLead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = current_locale();
                match data.await {
                    Ok(list) if list.items.is_empty() => crate::ui::search::empty_state(list.page, "/staff/retention".to_owned(), Text::RetentionEmpty),
                    Ok(list) => {
                        let (page, has_next) = (list.page, list.has_next);
                        let rows = list.items.into_iter().map(|e| view! {
                            <tr data-testid="expiring">
                                <td data-label=t(Text::RetentionColDeletes)>{e.deletes_on}</td>
                                <td data-label=t(Text::RetentionColPerson)><a href=format!("/staff/people/{}", e.person_id)>{e.person}</a></td>
                                <td data-label=t(Text::RetentionColDocument)>{e.document}" "<span class="hint">{e.title.get(locale).to_owned()}</span></td>
                                <td data-label=t(Text::RetentionColType)>{e.doc_type.map(|d| t(d.text()).to_owned()).unwrap_or_default()}</td>
                                <td data-label=t(Text::RetentionColUploaded)>{e.uploaded_on}</td>
                                <td data-label=t(Text::RetentionColCountedFrom)>{e.counted_from}</td>
                            </tr>
                        }).collect_view();
                        view! {
                            <table class="table table--responsive" data-testid="retention">
                                <thead><tr>
                                    <th scope="col">{t(Text::RetentionColDeletes)}</th>
                                    <th scope="col">{t(Text::RetentionColPerson)}</th>
                                    <th scope="col">{t(Text::RetentionColDocument)}</th>
                                    <th scope="col">{t(Text::RetentionColType)}</th>
                                    <th scope="col">{t(Text::RetentionColUploaded)}</th>
                                    <th scope="col">{t(Text::RetentionColCountedFrom)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                            <crate::ui::summary::Pagination base="/staff/retention?".to_owned() page has_next/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
