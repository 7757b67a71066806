//! "Mina certifieringar" (seed 001): the person's cases and certificates, a case's information
//! panel and work area, "Ladda upp intyg" with "MEDDELA OSS", and "Ansök om nytt certifikat".
//! Every form is a plain form first: it works without JavaScript.

use super::api::{
    ApplyRenewal, ExplainDocument, NotifyReady, application_form, case_archive, get_case,
    list_my_cases, renewal_form,
};
use super::model::CaseKind;
use super::model::{Archive, ArchiveSort, CasePanel, MyCases, Provided, Requirement};
use crate::i18n::{Text, current_locale, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::{ErrorSummary, TextArea};
use crate::ui::summary::row;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn yes_no(value: bool) -> String {
    t(if value { Text::Yes } else { Text::No }).to_owned()
}

/// The work area's tabs, as the manual names them; "Ladda upp intyg" only while the case is
/// open.
const TABS: [(&str, Text); 5] = [
    ("messages", Text::CaseTabMessages),
    ("archive", Text::CaseTabArchive),
    ("exams", Text::CaseTabExams),
    ("address", Text::CaseTabAddress),
    ("upload", Text::CaseTabUpload),
];

/// An exam as one line: "Provet 2026-11-20: Godkänd (42 p)".
pub(super) fn exam_line(e: &super::model::Exam) -> String {
    let result = t(if e.passed {
        Text::ExamPassed
    } else {
        Text::ExamFailed
    });
    let score = if e.score.is_empty() {
        String::new()
    } else {
        format!(" ({})", e.score)
    };
    format!("{} {}: {result}{score}", e.exam, e.taken_on)
}

/// "Prov": the exams, latest first, as a table.
#[component]
pub(super) fn ExamTable(exams: Vec<super::model::Exam>) -> impl IntoView {
    if exams.is_empty() {
        return view! { <p class="body empty-state" data-testid="no-exams">{t(Text::ExamNone)}</p> }.into_any();
    }
    let rows = exams
        .into_iter()
        .map(|e| {
            let result = t(if e.passed { Text::ExamPassed } else { Text::ExamFailed });
            view! {
                <tr data-testid="exam-row">
                    <td data-label=t(Text::ExamColDate) class="nowrap">{e.taken_on}</td>
                    <td data-label=t(Text::ExamColExam)>{e.exam}</td>
                    <td data-label=t(Text::ExamColResult)>
                        <span class=if e.passed { "tag tag--green" } else { "tag tag--red" }>{result}</span>
                    </td>
                    <td data-label=t(Text::ExamColScore)>{e.score}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table table--responsive" data-testid="exams">
            <thead><tr>
                <th scope="col">{t(Text::ExamColDate)}</th>
                <th scope="col">{t(Text::ExamColExam)}</th>
                <th scope="col">{t(Text::ExamColResult)}</th>
                <th scope="col">{t(Text::ExamColScore)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// The decision, as the person and the handler read it.
pub(super) fn decision_notice(d: &super::model::DecisionView) -> AnyView {
    let locale = current_locale();
    let at = crate::ui::format::short_time(&d.at);
    let (class, text) = if d.approved {
        (
            "notice notice--success",
            locale.format(Text::DecisionApprovedOn, &[("at", &at)]),
        )
    } else {
        (
            "notice notice--warning",
            locale.format(Text::DecisionRejectedOn, &[("at", &at)]),
        )
    };
    view! {
        <div class=class data-testid="decision">
            <p class="body"><strong>{text}</strong></p>
            {d.reason.clone().map(|r| view! { <p class="body pre-line">{r}</p> })}
            <p class="body">{t(Text::DecisionLetterInArchive)}</p>
        </div>
    }
    .into_any()
}

/// `/my/cases` and `/my/cases/:id`: the list ("Mina certifieringar") and the chosen case; with
/// no case chosen, the newest.
#[component]
pub fn MyCasesPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let list = Resource::new(|| (), |_| list_my_cases());
    let chosen = move || params.read().get("id");
    view! {
        <Title text=t(Text::MyCasesTitle)/>
        <h1 class="heading-xl">{t(Text::MyPagesTitle)}</h1>
        <crate::people::pages::MyTabs current="cases"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(mine) => {
                        let id = chosen().or_else(|| mine.cases.first().map(|c| c.id.clone()));
                        let tab = query.read_untracked().get("tab").unwrap_or_default();
                        let doc = query.read_untracked().get("doc");
                        // A refusal comes back to the address of the last success: say only the
                        // refusal.
                        let done = match query.read_untracked().get("__err") {
                            Some(_) => String::new(),
                            None => query.read_untracked().get("done").unwrap_or_default(),
                        };
                        view! {
                            {done_notice(&done)}
                            <div class="case-layout">
                                <CaseMenu mine=mine.clone() chosen=id.clone()/>
                                <div class="case-layout__main">
                                    {match id {
                                        Some(id) => view! { <CaseView id tab uploaded=(done == "uploaded").then_some(doc).flatten()/> }.into_any(),
                                        None => view! { <p class="body empty-state" data-testid="no-cases">{t(Text::MyCasesEmpty)}</p> }.into_any(),
                                    }}
                                </div>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The manual's left menu: the cases, then the certificates no case issued; on a phone a list
/// above the case.
#[component]
fn CaseMenu(mine: MyCases, chosen: Option<String>) -> impl IntoView {
    let locale = current_locale();
    let cases = mine
        .cases
        .into_iter()
        .map(|c| {
            let current = chosen.as_deref() == Some(c.id.as_str());
            view! {
                <li class="case-menu__item" class:case-menu__item--current=current>
                    <a href=format!("/my/cases/{}", c.id) aria-current=current.then_some("page")>
                        {c.scheme.get(locale).to_owned()}
                    </a>
                    <span class="case-menu__meta">
                        {c.order_no}" · "
                        {(c.kind != CaseKind::New).then(|| format!("{} · ", t(c.kind.text())))}
                        {t(c.status.text())}
                    </span>
                </li>
            }
        })
        .collect_view();
    let certificates = mine
        .certificates
        .into_iter()
        .map(|c| {
            view! {
                <li class="case-menu__item">
                    <a href=format!("/certificates/{}", c.id)>{c.scheme.get(locale).to_owned()}</a>
                    <span class="case-menu__meta">{t(Text::CertNumber)}" "{c.number}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="case-menu" aria-label=t(Text::MyCasesTitle) data-testid="case-menu">
            <h2 class="heading-s">{t(Text::MyCasesTitle)}</h2>
            <ul class="case-menu__list">{cases}{certificates}</ul>
            <a href="/my/apply" class="button button--secondary case-menu__apply" data-testid="apply">{t(Text::ApplyNew)}</a>
        </nav>
    }
}

/// What the last action did, from the address it returned to: above everything, so a phone
/// shows it first.
fn done_notice(done: &str) -> Option<impl IntoView + use<>> {
    let text = match done {
        "opened" => Text::CaseOpened,
        "already_open" => Text::CaseAlreadyOpen,
        "explained" => Text::CaseExplained,
        "ready" => Text::CaseReadySent,
        "already_ready" => Text::CaseReadyAlready,
        _ => return None,
    };
    Some(
        view! { <div class="notice notice--success" role="status" data-testid="done">{t(text)}</div> },
    )
}

/// The chosen case: the information panel and the work area.
#[component]
fn CaseView(
    id: String,
    tab: String,
    /// The document just uploaded: the upload tab says so, naming its file.
    uploaded: Option<String>,
) -> impl IntoView {
    let data = Resource::new(move || id.clone(), get_case);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (tab, uploaded) = (tab.clone(), uploaded.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(panel) => {
                            let tabs: Vec<_> = TABS
                                .iter()
                                .filter(|(key, _)| *key != "upload" || panel.open())
                                .map(|(key, text)| (*key, *text, format!("/my/cases/{}?tab={key}", panel.id)))
                                .collect();
                            let current = TABS
                                .iter()
                                .map(|(key, _)| *key)
                                .find(|key| *key == tab && tabs.iter().any(|(k, ..)| k == key))
                                .unwrap_or(if panel.open() { "upload" } else { "archive" });
                            let renew = panel.renewable.clone().map(|certificate| view! {
                                <p class="body" data-testid="renew">
                                    <a href=format!("/my/renew/{certificate}") class="button button--secondary">{t(Text::RenewalSend)}</a>
                                </p>
                            });
                            view! {
                                {panel.decision.as_ref().map(decision_notice)}
                                {renew}
                                <InfoPanel panel=panel.clone()/>
                                <crate::ui::tabs::Tabs label=t(Text::CaseWorkArea) tabs current/>
                                {work_area(current, panel, uploaded)}
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// "Informationsfältet": the manual's facts, in its order.
#[component]
pub(super) fn InfoPanel(panel: CasePanel) -> impl IntoView {
    let locale = current_locale();
    let p = panel;
    view! {
        <section class="info-panel" aria-label=t(Text::CaseInfoPanel) data-testid="info-panel">
            <h2 class="heading-l">{format!("{} - {}", p.area.get(locale), p.scheme.get(locale))}</h2>
            <dl class="summary-list summary-list--compact info-panel__grid">
                {row(Text::CaseKindLabel, t(p.kind.text()).to_owned())}
                {row(Text::CaseName, p.name)}
                {row(Text::CasePnr, p.pnr)}
                {row(Text::CaseHandler, p.handler.unwrap_or_else(|| t(Text::CaseNoHandler).to_owned()))}
                {row(Text::CaseStatus, t(p.status.text()).to_owned())}
                {row(Text::CaseCommunication, t(if p.digital { Text::CaseDigital } else { Text::CaseAnalog }).to_owned())}
                {row(Text::CaseCertificateNumber, p.certificate_number.unwrap_or_default())}
                {row(Text::CaseScheme, p.scheme.get(locale).to_owned())}
                {row(Text::CasePlasticCard, yes_no(p.plastic_card))}
                {row(Text::CasePublished, yes_no(p.published))}
                {row(Text::CaseValidUntil, p.valid_until.unwrap_or_else(|| t(Text::CaseNoValidity).to_owned()))}
                {(p.kind == CaseKind::YearlyReport).then(|| row(Text::CaseReportDue, p.extend_by.unwrap_or_default()))}
                {row(Text::CaseOrderNo, p.order_no)}
                {row(Text::CaseLevel, p.level.map(|l| l.get(locale).to_owned()).unwrap_or_default())}
                {row(Text::CaseExam, p.exams.first().map(exam_line).unwrap_or_default())}
            </dl>
        </section>
    }
}

fn work_area(tab: &str, panel: CasePanel, uploaded: Option<String>) -> AnyView {
    match tab {
        "messages" => {
            let base = format!("/my/cases/{}?tab=messages&", panel.id);
            view! { <super::message_pages::MessagesTab case_id=panel.id base/> }.into_any()
        }
        "archive" => view! { <ArchiveTab case_id=panel.id/> }.into_any(),
        "exams" => view! {
            <section class="work-area" data-testid="case-exams">
                <h2 class="heading-m">{t(Text::CaseTabExams)}</h2>
                <ExamTable exams=panel.exams/>
            </section>
        }
        .into_any(),
        "address" => view! {
            <section class="work-area" data-testid="case-address">
                <p class="body">{t(Text::CaseAddressLead)}</p>
                <p class="body"><a href="/my/address" class="button button--secondary">{t(Text::MyAddressTitle)}</a></p>
            </section>
        }
        .into_any(),
        _ => view! { <UploadTab panel uploaded/> }.into_any(),
    }
}

/// "Ladda upp intyg": the scheme's documents, what was sent for each, and "MEDDELA OSS".
#[component]
fn UploadTab(panel: CasePanel, uploaded: Option<String>) -> impl IntoView {
    let locale = current_locale();
    // "Din fil "…" har laddats upp till dokumentbiblioteket", named by the document's id.
    let uploaded = uploaded.map(|doc| {
        let name = panel.requirements.iter().find_map(|r| match &r.provided {
            Provided::Uploaded { document_id, name, .. } if *document_id == doc => Some(name.clone()),
            _ => None,
        });
        let text = match name {
            Some(name) => locale.format(Text::CaseUploaded, &[("name", &name)]),
            None => t(Text::CaseUploadedPlain).to_owned(),
        };
        view! { <div class="notice notice--success" role="status" id="uploaded" data-testid="done">{text}</div> }
    });
    let ready = ServerAction::<NotifyReady>::new();
    let error = Signal::derive(move || ready.value().get().and_then(Result::err));
    let case_id = panel.id.clone();
    let rows = panel
        .requirements
        .iter()
        .map(|r| requirement_row(&case_id, r, panel.open()))
        .collect_view();
    let heading = locale.format(
        Text::CaseUploadHeading,
        &[
            ("scheme", panel.scheme.get(locale)),
            ("kind", t(panel.kind.text())),
        ],
    );
    view! {
        <section class="work-area" data-testid="case-upload">
            {uploaded}
            <h2 class="heading-m">{heading}</h2>
            {case_lead(&panel).map(|lead| view! { <p class="body" data-testid="case-lead">{lead}</p> })}
            {panel.supplement_asked_at.clone().map(|at| view! {
                <div class="notice notice--warning" role="status" data-testid="supplement-asked">
                    {locale.format(Text::SupplementAskedNotice, &[("at", &crate::ui::format::short_time(&at))])}
                </div>
            })}
            <div class="notice">
                <p class="body"><strong>{t(Text::CaseInstructionsTitle)}</strong></p>
                <ul class="list list--bullet">
                    <li>{t(Text::CaseInstructionUpload)}</li>
                    <li>{t(Text::CaseInstructionNotify)}</li>
                    <li>{t(Text::CaseInstructionSupplement)}</li>
                    <li>{t(Text::CaseInstructionArchive)}</li>
                </ul>
            </div>
            {panel.requirements.is_empty().then(|| view! { <p class="body empty-state">{t(Text::CaseNoRequirements)}</p> })}
            {(!panel.requirements.is_empty()).then(|| view! {
                <table class="table table--responsive" data-testid="requirements">
                    <thead><tr>
                        <th scope="col">{t(Text::CaseColDocument)}</th>
                        <th scope="col">{t(Text::CaseColMessage)}</th>
                        <th scope="col">{t(Text::CaseColUpload)}</th>
                        <th scope="col">{t(Text::CaseColTemplate)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any())}
            <ErrorSummary error/>
            {panel.ready_at.clone().map(|at| view! {
                <p class="body" data-testid="sent-at">{locale.format(Text::CaseSentAt, &[("at", &crate::ui::format::short_time(&at))])}</p>
            })}
            {panel.open().then(|| view! {
                <ActionForm action=ready attr:class="inline-form">
                    <input type="hidden" name="case_id" value=panel.id.clone()/>
                    <button type="submit" class="button" data-testid="notify-ready">{t(Text::CaseNotifyUs)}</button>
                </ActionForm>
                <p class="hint">{t(Text::CaseNotifyOnce)}</p>
            }.into_any())}
        </section>
    }
}

/// What a yearly report or a renewal is about, above its rows.
fn case_lead(panel: &CasePanel) -> Option<String> {
    let locale = current_locale();
    let number = panel.certificate_number.clone().unwrap_or_default();
    match panel.kind {
        CaseKind::YearlyReport => Some(locale.format(
            Text::ReportCaseLead,
            &[
                ("number", &number),
                ("date", panel.report_due.as_deref().unwrap_or_default()),
            ],
        )),
        CaseKind::Renewal if panel.open() => Some(locale.format(
            Text::RenewalCaseLead,
            &[
                ("number", &number),
                ("date", panel.valid_until.as_deref().unwrap_or_default()),
            ],
        )),
        _ => None,
    }
}

/// The characters of a reason the table shows.
const REASON_SHOWN: usize = 140;

fn requirement_row(case_id: &str, r: &Requirement, open: bool) -> AnyView {
    let locale = current_locale();
    let message = match &r.provided {
        Provided::Missing => None,
        Provided::Uploaded {
            document_id, name, ..
        } => {
            let text = locale.format(Text::CaseUploadedAs, &[("name", name)]);
            return row_view(case_id, r, open, Some(view! {
                <a href=format!("/documents/{document_id}") rel="external" data-testid="uploaded">{text}</a>
            }.into_any()));
        }
        Provided::Explained { reason, .. } => {
            // A long reason is read whole on the document's page.
            let mut shown: String = reason.chars().take(REASON_SHOWN).collect();
            if shown.len() < reason.len() {
                shown.push('…');
            }
            Some(locale.format(Text::CaseExplainedAs, &[("reason", &shown)]))
        }
    };
    row_view(case_id, r, open, message.map(|m| m.into_any()))
}

fn row_view(case_id: &str, r: &Requirement, open: bool, message: Option<AnyView>) -> AnyView {
    let locale = current_locale();
    let help = r.help.get(locale).to_owned();
    let name = r.name.get(locale).to_owned();
    let shared = r.shared.then(|| t(Text::CaseShared));
    let link = format!("/my/cases/{case_id}/documents/{}", r.id);
    view! {
        <tr data-testid="requirement">
            <th scope="row" data-label=t(Text::CaseColDocument)><div>
                {name.clone()}
                {(!help.is_empty()).then(|| view! {
                    <details class="help">
                        <summary aria-label=locale.format(Text::CaseHelpFor, &[("name", &name)])>"i"</summary>
                        <p class="body">{help}</p>
                    </details>
                })}
                {shared.map(|s| view! { <span class="requirement__shared">{s}</span> })}
                {r.asked.then(|| view! { " "<span class="tag tag--yellow" data-testid="asked">{t(Text::CaseStatusSupplementRequested)}</span> })}
            </div></th>
            <td data-label=t(Text::CaseColMessage)>{message}</td>
            <td data-label=t(Text::CaseColUpload)>
                {open.then(|| view! { <a href=link class="button button--secondary">{t(Text::CaseUploadOrExplain)}</a> })}
            </td>
            <td data-label=t(Text::CaseColTemplate)>
                {r.template.is_some().then(|| view! { <a href=format!("/templates/{}", r.id) download="" rel="external">{t(Text::CaseTemplateGet)}</a> })}
            </td>
        </tr>
    }
    .into_any()
}

/// `/my/cases/:id/documents/:req`: "Uppladdning av dokument" for one required document: upload
/// a file (the manual's preselected choice), or say why it cannot be uploaded.
#[component]
pub fn DocumentPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let req = move || params.read().get("req").unwrap_or_default();
    let data = Resource::new(id, get_case);
    let explain = ServerAction::<ExplainDocument>::new();
    let error = Signal::derive(move || explain.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::CaseDocumentTitle)/>
        <div class="narrow">
            <h1 class="heading-xl">{t(Text::CaseDocumentTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let locale = current_locale();
                    match data.await {
                        Ok(panel) => {
                            let back = format!("/my/cases/{}?tab=upload", panel.id);
                            let Some(r) = panel.requirements.iter().find(|r| r.id == req()).cloned() else {
                                return view! { <crate::ui::errors::NotFound/> }.into_any();
                            };
                            let page = format!("/my/cases/{}/documents/{}", panel.id, r.id);
                            let refused = refusal_in_address(&query.read_untracked(), &page);
                            let upload_error = Signal::stored(refused.clone());
                            let kept = match &r.provided {
                                Provided::Explained { reason, .. } => reason.clone(),
                                _ => String::new(),
                            };
                            let explaining = error.get_untracked().is_some() || !kept.is_empty();
                            view! {
                                <dl class="summary-list">
                                    {row(Text::CaseDocumentFor, format!("{}, {}", panel.name, panel.pnr))}
                                    {row(Text::CaseColDocument, r.name.get(locale).to_owned())}
                                    {row(Text::CaseDocumentType, t(super::model::DocType::Grade.text()).to_owned())}
                                    {row(Text::ArchiveColName, locale.format(Text::CaseStoredNamePattern, &[("stem", &super::model::stored_stem(&r.name.sv, &panel.person_no))]))}
                                </dl>
                                <h2 class="heading-m">{t(Text::CaseChoiceUpload)}</h2>
                                <ErrorSummary error=upload_error/>
                                <UploadForm action=format!("{page}/upload") back=back.clone() max_mb=panel.upload_max_mb error=upload_error/>
                                {view! { <details class="details" open=explaining data-testid="explain">
                                    <summary class="details__summary">{t(Text::CaseChoiceExplain)}</summary>
                                    <ErrorSummary error/>
                                    <ActionForm action=explain attr:novalidate="novalidate">
                                        <input type="hidden" name="case_id" value=panel.id.clone()/>
                                        <input type="hidden" name="requirement_id" value=r.id.clone()/>
                                        <ReasonField error kept/>
                                        <div class="button-group">
                                            <button type="submit" class="button" data-testid="transfer">{t(Text::CaseTransfer)}</button>
                                            <a href=back class="button button--secondary">{t(Text::Cancel)}</a>
                                        </div>
                                    </ActionForm>
                                </details> }.into_any()}
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// A refusal a plain route sent back to `page` in its address (`__path` names the page).
pub fn refusal_in_address(
    query: &leptos_router::params::ParamsMap,
    page: &str,
) -> Option<crate::error::AppError> {
    if query.get("__path").as_deref() != Some(page) {
        return None;
    }
    #[cfg(feature = "ssr")]
    {
        crate::error::AppError::from_address(&query.get("__err")?)
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// "Ladda upp dokument": a plain form that posts the file to `action`; the island adds
/// drag and drop and a progress bar.
#[component]
pub(super) fn UploadForm(
    action: String,
    back: String,
    max_mb: u64,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let locale = current_locale();
    let message = move || {
        error
            .get()
            .and_then(|e| e.field_text("file", current_locale()))
    };
    let formats = locale.format(Text::CaseUploadFormats, &[("max", &max_mb.to_string())]);
    let file_group = view! {
        <div class="form-group" class:form-group--error=move || message().is_some()>
            <label class="label" for="file">{t(Text::CaseUploadFile)}</label>
            <p class="hint" id="file-hint">{formats}</p>
            {move || message().map(|m| view! { <p class="error-message" id="file-error">{m}</p> })}
            <crate::ui::islands::UploadHelper
                drop_text=t(Text::CaseDropHere).to_owned()
                sending=t(Text::CaseUploadProgress).to_owned()
                interrupted=t(Text::UploadInterrupted).to_owned()
                too_large=locale.format(Text::UploadTooLarge, &[("max", &max_mb.to_string())])
                max_bytes=max_mb << 20/>
            <input class="file-upload" type="file" id="file" name="file" accept=".pdf,.doc,.docx,.xls,.xlsx"
                aria-describedby="file-hint" data-testid="file"/>
        </div>
    }
    .into_any();
    view! {
        <form method="post" enctype="multipart/form-data" action=action novalidate="novalidate" data-testid="upload-form" class="upload-form">
            {file_group}
            <TextArea name="note" label=Text::CaseUploadNote hint=Text::CaseUploadNoteHint error rows=3/>
            <div class="button-group">
                <button type="submit" class="button" data-testid="upload">{t(Text::CaseTransfer)}</button>
                <a href=back class="button button--secondary">{t(Text::Cancel)}</a>
            </div>
        </form>
    }
    .into_any()
}

/// "Arkiv": the person's documents of this case and the shared ones; sorted by the underlined
/// headings, filtered by "Dokumenttyp som ska visas", paged; all by the address, so it works
/// without JavaScript.
#[component]
fn ArchiveTab(case_id: String) -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let (sort, dir, doc_type) = (q("sort"), q("dir"), q("type"));
    let page: u32 = q("page").parse().unwrap_or(1);
    let args = (
        case_id.clone(),
        sort.clone(),
        dir.clone(),
        doc_type.clone(),
        page,
    );
    let data = Resource::new(
        move || args.clone(),
        |(c, s, d, k, p)| case_archive(c, s, d, k, p),
    );
    view! {
        <section class="work-area" data-testid="case-archive">
            <p class="body">{t(Text::ArchiveLead)}</p>
            <Suspense fallback=|| ()>
                {move || {
                    let (case_id, sort, dir, doc_type) = (case_id.clone(), sort.clone(), dir.clone(), doc_type.clone());
                    Suspend::new(async move {
                        match data.await {
                            Ok(archive) => archive_view(&case_id, &sort, &dir, &doc_type, archive),
                            Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn archive_view(case_id: &str, sort: &str, dir: &str, doc_type: &str, archive: Archive) -> AnyView {
    let locale = current_locale();
    let base = format!("/my/cases/{case_id}?tab=archive");
    let current = ArchiveSort::parse(sort).unwrap_or(ArchiveSort::Date);
    let descending = match dir {
        "asc" => false,
        "desc" => true,
        _ => current == ArchiveSort::Date,
    };
    let filter = if doc_type.is_empty() {
        String::new()
    } else {
        format!("&type={}", crate::ui::format::encode_component(doc_type))
    };
    let heading = |column: ArchiveSort, text: Text| {
        let here = column == current;
        // A heading sorts by its column; clicked again, the other way.
        let next_dir = match (here, descending) {
            (true, true) => "asc",
            (true, false) => "desc",
            (false, _) if column == ArchiveSort::Date => "desc",
            (false, _) => "asc",
        };
        let href = format!("{base}&sort={}&dir={next_dir}{filter}", column.code());
        let aria = here.then_some(if descending {
            "descending"
        } else {
            "ascending"
        });
        let arrow = here.then_some(if descending { " ▼" } else { " ▲" });
        view! {
            <th scope="col" aria-sort=aria>
                <a href=href class="sort-link" aria-label=locale.format(Text::ArchiveSortBy, &[("column", t(text))])>{t(text)}{arrow}</a>
            </th>
        }
    };
    let options = archive
        .types
        .iter()
        .map(|k| view! { <option value=k.code() selected=k.code() == doc_type>{t(k.text())}</option> })
        .collect_view();
    let filter_form = view! {
        <form method="get" action=format!("/my/cases/{case_id}") class="archive-filter">
            <input type="hidden" name="tab" value="archive"/>
            <div class="search-form__row">
                <div>
                    <label class="label" for="type">{t(Text::ArchiveFilter)}</label>
                    <select class="select" id="type" name="type" data-testid="archive-type">
                        <option value="">{t(Text::ArchiveFilterAll)}</option>
                        {options}
                    </select>
                </div>
                // The headings sort too, but a phone shows no headings.
                <div>
                    <label class="label" for="sort">{t(Text::ArchiveSort)}</label>
                    <select class="select" id="sort" name="sort">
                        {[(ArchiveSort::Date, Text::ArchiveColDate), (ArchiveSort::Name, Text::ArchiveColName), (ArchiveSort::Type, Text::ArchiveColType), (ArchiveSort::Note, Text::ArchiveColNote)]
                            .into_iter()
                            .map(|(s, text)| view! { <option value=s.code() selected=s == current>{t(text)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div>
                    <label class="label" for="dir">
                        {t(Text::ArchiveOrder)}
                    </label>
                    <select class="select" id="dir" name="dir">
                        <option value="asc" selected=!descending>{t(Text::ArchiveAscending)}</option>
                        <option value="desc" selected=descending>{t(Text::ArchiveDescending)}</option>
                    </select>
                </div>
                <button type="submit" class="button button--secondary archive-filter__show" data-testid="archive-show">{t(Text::ArchiveShow)}</button>
            </div>
        </form>
    };
    // Older documents deleted under the retention rule: the archive says so.
    let retention = archive.retention_deleted.as_ref().map(|date| {
        view! {
            <p class="notice" role="note" data-testid="retention-note">
                {current_locale().format(Text::ArchiveRetentionNote, &[("date", date)])}
            </p>
        }
    });
    let rows = &archive.rows;
    if rows.items.is_empty() {
        let empty = if doc_type.is_empty() {
            Text::CaseArchiveEmpty
        } else {
            Text::ArchiveNoneOfType
        };
        return view! {
            {retention}
            {(!archive.types.is_empty()).then_some(filter_form)}
            {crate::ui::search::empty_state(rows.page, format!("{base}{filter}&page=1"), empty)}
        }
        .into_any();
    }
    let lines = rows
        .items
        .iter()
        .map(|d| {
            view! {
                <tr data-testid="archive-row">
                    <td data-label=t(Text::ArchiveColDate)>{d.date.clone()}</td>
                    <td data-label=t(Text::ArchiveColName)><a href=format!("/documents/{}", d.id) rel="external">{d.name.clone()}</a></td>
                    <td data-label=t(Text::ArchiveColType)>{t(d.doc_type.text())}</td>
                    <td data-label=t(Text::ArchiveColNote)>{d.note.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let paging = format!(
        "{base}&sort={}&dir={}{filter}&",
        current.code(),
        if descending { "desc" } else { "asc" }
    );
    view! {
        {retention}
        {filter_form}
        <table class="table table--responsive" data-testid="archive">
            <thead><tr>
                {heading(ArchiveSort::Date, Text::ArchiveColDate)}
                {heading(ArchiveSort::Name, Text::ArchiveColName)}
                {heading(ArchiveSort::Type, Text::ArchiveColType)}
                {heading(ArchiveSort::Note, Text::ArchiveColNote)}
            </tr></thead>
            <tbody>{lines}</tbody>
        </table>
        <crate::ui::summary::Pagination base=paging page=rows.page has_next=rows.has_next/>
    }
    .into_any()
}

/// The reason field, holding the reason given before until something else is typed.
#[component]
fn ReasonField(error: Signal<Option<crate::error::AppError>>, kept: String) -> impl IntoView {
    let before = if error.get_untracked().is_none() {
        kept
    } else {
        String::new()
    };
    view! {
        <TextArea name="reason" label=Text::CaseExplainLabel hint=Text::CaseExplainHint error rows=5 value=before/>
    }
}

/// `/my/apply`: "Ansök om nytt certifikat". First the scheme, then (on the same page, by its
/// address) its level and the person's details, and "Skicka ansökan".
#[component]
pub fn ApplyPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(|| (), |_| application_form());
    let apply = ServerAction::<super::api::Apply>::new();
    let error = Signal::derive(move || apply.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::ApplyNew)/>
        <div class="narrow">
            <h1 class="heading-xl">{t(Text::ApplyNew)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let locale = current_locale();
                    match data.await {
                        Ok(view_data) => {
                            let chosen = query.read_untracked().get("scheme").and_then(|id| {
                                view_data.schemes.iter().find(|s| s.id == id).cloned()
                            });
                            let unknown = query.read_untracked().get("scheme").is_some() && chosen.is_none();
                            match chosen {
                                None => {
                                    let options = view_data.schemes.iter().enumerate().map(|(i, s)| {
                                        let id = if i == 0 { "scheme".to_owned() } else { format!("scheme-{}", s.id) };
                                        view! {
                                            <div class="radios__item">
                                                <input class="radios__input" type="radio" id=id.clone() name="scheme" value=s.id.clone() required=true disabled=s.held/>
                                                <label class="radios__label" for=id>{format!("{} - {}", s.area.get(locale), s.name.get(locale))}</label>
                                                {s.held.then(|| view! { <div class="hint radios__hint">{t(Text::ApplyHeld)}</div> })}
                                            </div>
                                        }
                                    }).collect_view();
                                    view! {
                                        <p class="body">{t(Text::ApplyLead)}</p>
                                        <form method="get" action="/my/apply" novalidate="novalidate">
                                            <div class="form-group" class:form-group--error=unknown>
                                                <fieldset class="fieldset">
                                                    <legend class="label">{t(Text::ApplyScheme)}</legend>
                                                    {unknown.then(|| view! { <p class="error-message" id="scheme-error">{t(Text::ApplySchemeRequired)}</p> })}
                                                    <div class="radios" data-testid="schemes">{options}</div>
                                                </fieldset>
                                            </div>
                                            <div class="button-group">
                                                <button type="submit" class="button" data-testid="continue">{t(Text::Continue)}</button>
                                                <a href="/my/cases" class="button button--secondary">{t(Text::Cancel)}</a>
                                            </div>
                                        </form>
                                    }.into_any()
                                }
                                Some(s) => {
                                    let a = view_data.applicant;
                                    let levels = s.levels.iter().enumerate().map(|(i, l)| {
                                        let id = if i == 0 { "level_id".to_owned() } else { format!("level_id-{}", l.id) };
                                        view! {
                                            <div class="radios__item">
                                                <input class="radios__input" type="radio" id=id.clone() name="level_id" value=l.id.clone() checked=i == 0/>
                                                <label class="radios__label" for=id>{l.name.get(locale).to_owned()}</label>
                                            </div>
                                        }
                                    }).collect_view();
                                    let has_levels = !s.levels.is_empty();
                                    view! {
                                        <ErrorSummary error/>
                                        <dl class="summary-list" data-testid="apply-scheme">
                                            {row(Text::ApplyScheme, format!("{} - {}", s.area.get(locale), s.name.get(locale)))}
                                        </dl>
                                        <p class="body"><a href="/my/apply">{t(Text::ApplyOtherScheme)}</a></p>
                                        <ActionForm action=apply>
                                            <input type="hidden" name="scheme_id" value=s.id.clone()/>
                                            {if has_levels {
                                                view! {
                                                    <div class="form-group">
                                                        <fieldset class="fieldset">
                                                            <legend class="label">{t(Text::CaseLevel)}</legend>
                                                            <div class="radios">{levels}</div>
                                                        </fieldset>
                                                    </div>
                                                }.into_any()
                                            } else {
                                                view! { <input type="hidden" name="level_id" value=""/> }.into_any()
                                            }}
                                            <h2 class="heading-m">{t(Text::ApplyConfirmDetails)}</h2>
                                            <dl class="summary-list" data-testid="applicant">
                                                {row(Text::CaseName, a.name)}
                                                {row(Text::CasePnr, a.pnr)}
                                                {row(Text::PersonAddress, a.address)}
                                                {row(Text::PersonEmail, a.email)}
                                                {row(Text::CaseCommunication, t(if a.digital { Text::CaseDigital } else { Text::CaseAnalog }).to_owned())}
                                            </dl>
                                            <p class="hint">{t(Text::ApplyDetailsHint)}" "<a href="/my/address">{t(Text::MyAddressTitle)}</a></p>
                                            <div class="button-group">
                                                <button type="submit" class="button" data-testid="send-application">{t(Text::ApplySend)}</button>
                                                <a href="/my/cases" class="button button--secondary">{t(Text::Cancel)}</a>
                                            </div>
                                        </ActionForm>
                                    }.into_any()
                                }
                            }
                        }
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// `/my/renew/:id`: "Ansök om förnyelse" of one of the person's certificates: what it is, the
/// archived documents the renewal counts, and the button (or why it cannot be renewed yet).
#[component]
pub fn RenewPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        renewal_form,
    );
    let apply = ServerAction::<ApplyRenewal>::new();
    let error = Signal::derive(move || apply.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::RenewalTitle)/>
        <div class="narrow">
            <h1 class="heading-xl">{t(Text::RenewalTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let locale = current_locale();
                    match data.await {
                        Ok(v) => {
                            let reused = v.reused.iter().map(|r| view! {
                                <tr>
                                    <td data-label=t(Text::CaseColDocument)>{r.requirement.get(locale).to_owned()}</td>
                                    <td data-label=t(Text::ArchiveColName)>{r.name.clone()}</td>
                                    <td data-label=t(Text::ArchiveColDate)>{crate::ui::format::short_time(&r.at)}</td>
                                </tr>
                            }).collect_view();
                            let action = match (&v.open_case, &v.blocked) {
                                (Some(id), _) => view! {
                                    <div class="notice" role="status" data-testid="renewal-open">
                                        <p class="body">{t(Text::RenewalOpen)}" "<a href=format!("/my/cases/{id}")>{t(Text::RenewalOpenLink)}</a></p>
                                    </div>
                                }.into_any(),
                                (None, Some(why)) => view! {
                                    <div class="notice notice--warning" role="status" data-testid="renewal-blocked">{locale.msg(why)}</div>
                                }.into_any(),
                                (None, None) => view! {
                                    <ErrorSummary error/>
                                    <ActionForm action=apply>
                                        <input type="hidden" name="certificate_id" value=v.certificate_id.clone()/>
                                        <div class="button-group">
                                            <button type="submit" class="button" data-testid="send-renewal">{t(Text::RenewalSend)}</button>
                                            <a href="/my/cases" class="button button--secondary">{t(Text::Cancel)}</a>
                                        </div>
                                    </ActionForm>
                                }.into_any(),
                            };
                            view! {
                                <p class="body">{t(Text::RenewalLead)}</p>
                                <dl class="summary-list" data-testid="renewal-certificate">
                                    {row(Text::CaseScheme, format!("{} - {}", v.area.get(locale), v.scheme.get(locale)))}
                                    {row(Text::CaseCertificateNumber, v.number.clone())}
                                    {row(Text::CaseValidUntil, v.valid_until.clone())}
                                </dl>
                                <h2 class="heading-m">{t(Text::RenewalReused)}</h2>
                                {if v.reused.is_empty() {
                                    view! { <p class="body empty-state">{t(Text::RenewalReusedNone)}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="table table--responsive" data-testid="renewal-reused">
                                            <thead><tr>
                                                <th scope="col">{t(Text::CaseColDocument)}</th>
                                                <th scope="col">{t(Text::ArchiveColName)}</th>
                                                <th scope="col">{t(Text::ArchiveColDate)}</th>
                                            </tr></thead>
                                            <tbody>{reused}</tbody>
                                        </table>
                                    }.into_any()
                                }}
                                {action}
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
