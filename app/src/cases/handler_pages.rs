//! The handler's workspace: `/staff/cases` (the queue, by filter, scheme and age, oldest
//! first), `/staff/cases/:id` (a case: the information panel, "Ta ärendet", each required
//! document with what answers it and the handler's verdict, documents to attach from the
//! archive, the case's log) and `/staff/cases/:id/documents/:req` (a file that came by post).
//! Every form is a plain form first: it works without JavaScript.

use super::handler_api::{
    AssignCase, AttachDocument, DecideCase, RecordExam, RequestSupplement, ReviewDocument,
    TakeCase, case_for_handler, case_queue,
};
use super::model::{
    HandlerCase, Provided, QUEUE_AGES, Queue, QueueFilter, Requirement, Review, Verdict,
};
use crate::error::AppError;
use crate::i18n::{Text, current_locale, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::{ErrorSummary, TextArea, TextField};
use crate::ui::format::{encode_component, short_time};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/staff/cases`: the queue.
#[component]
pub fn QueuePage() -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let filter = QueueFilter::parse(&q("filter")).unwrap_or(QueueFilter::Waiting);
    let (scheme, age) = (q("scheme"), q("age"));
    let page: u32 = q("page").parse().unwrap_or(1);
    let args = (filter.code().to_owned(), scheme.clone(), age.clone(), page);
    let data = Resource::new(move || args.clone(), |(f, s, a, p)| case_queue(f, s, a, p));
    view! {
        <Title text=t(Text::QueueTitle)/>
        <h1 class="heading-xl">{t(Text::QueueTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || {
                let (scheme, age) = (scheme.clone(), age.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(queue) => queue_view(filter, &scheme, &age, queue),
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn queue_view(filter: QueueFilter, scheme: &str, age: &str, queue: Queue) -> AnyView {
    let locale = current_locale();
    // The scheme and age stay as the filter changes; the page starts again.
    let narrowing = format!(
        "{}{}",
        if scheme.is_empty() {
            String::new()
        } else {
            format!("&scheme={}", encode_component(scheme))
        },
        if age.is_empty() {
            String::new()
        } else {
            format!("&age={}", encode_component(age))
        },
    );
    let tabs = QueueFilter::ALL
        .iter()
        .map(|f| {
            let n = queue.counts.iter().find(|(g, _)| g == f).map(|(_, n)| *n);
            let selected = *f == filter;
            let href = format!("/staff/cases?filter={}{narrowing}", f.code());
            view! {
                <li class="tabs__item" class:tabs__item--selected=selected>
                    <a class="tabs__link" href=href aria-current=selected.then_some("page")
                        data-testid=format!("queue-{}", f.code())>
                        {t(f.text())}{n.map(|n| view! { <span class="count">{format!("\u{a0}({n})")}</span> })}
                    </a>
                </li>
            }
        })
        .collect_view();
    let schemes = queue
        .schemes
        .iter()
        .map(|(id, name)| view! { <option value=id.clone() selected=id == scheme>{name.get(locale).to_owned()}</option> })
        .collect_view();
    let ages = QUEUE_AGES
        .iter()
        .map(|d| {
            let value = d.to_string();
            let selected = value == age;
            view! { <option value=value selected=selected>{locale.format(Text::QueueAgeAtLeast, &[("days", &d.to_string())])}</option> }
        })
        .collect_view();
    let form = view! {
        <form method="get" action="/staff/cases" class="archive-filter" data-testid="queue-filter">
            <input type="hidden" name="filter" value=filter.code()/>
            <div class="search-form__row">
                <div>
                    <label class="label" for="scheme">{t(Text::CaseScheme)}</label>
                    <select class="select" id="scheme" name="scheme" data-testid="queue-scheme">
                        <option value="">{t(Text::QueueAllSchemes)}</option>
                        {schemes}
                    </select>
                </div>
                <div>
                    <label class="label" for="age">{t(Text::QueueAge)}</label>
                    <select class="select" id="age" name="age" data-testid="queue-age">
                        <option value="">{t(Text::QueueAnyAge)}</option>
                        {ages}
                    </select>
                </div>
                <button type="submit" class="button button--secondary archive-filter__show" data-testid="queue-show">{t(Text::ArchiveShow)}</button>
            </div>
        </form>
    };
    let rows = &queue.rows;
    let base = format!("/staff/cases?filter={}{narrowing}", filter.code());
    let list = if rows.items.is_empty() {
        crate::ui::search::empty_state(rows.page, format!("{base}&page=1"), Text::QueueEmpty)
            .into_any()
    } else {
        let lines = rows
            .items
            .iter()
            .map(|r| {
                view! {
                    <tr data-testid="queue-row">
                        <td data-label=t(Text::CaseOrderNo)><a href=format!("/staff/cases/{}", r.id)>{r.order_no.clone()}</a></td>
                        <td data-label=t(Text::CaseName)>{r.name.clone()}</td>
                        <td data-label=t(Text::CaseScheme)>{r.scheme.get(locale).to_owned()}</td>
                        <td data-label=t(Text::QueueColKind)>{t(r.kind.text())}</td>
                        <td data-label=t(Text::CaseStatus)>
                            <span class=r.status.tag()>{t(r.status.text())}</span>
                            // Opened but not sent: the applicant is still collecting documents.
                            {(!r.sent && matches!(r.status, super::model::CaseStatus::Waiting | super::model::CaseStatus::InProgress)).then(|| view! { " "<span class="tag tag--grey">{t(Text::QueueNotSent)}</span> })}
                            {(r.unread > 0).then(|| view! { " "<span class="tag tag--red" data-testid="queue-unread">{t(Text::QueueUnread)}</span> })}
                        </td>
                        <td data-label=t(Text::CaseHandler)>{r.handler.clone().unwrap_or_else(|| "–".to_owned())}</td>
                        <td data-label=t(Text::QueueColSince)>{crate::ui::format::short_date(&r.queued_at)}</td>
                        <td data-label=t(Text::QueueColDays)>{(r.status != super::model::CaseStatus::Decided).then_some(r.age_days)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="table table--responsive" data-testid="queue">
                <thead><tr>
                    <th scope="col">{t(Text::CaseOrderNo)}</th>
                    <th scope="col">{t(Text::CaseName)}</th>
                    <th scope="col">{t(Text::CaseScheme)}</th>
                    <th scope="col">{t(Text::QueueColKind)}</th>
                    <th scope="col">{t(Text::CaseStatus)}</th>
                    <th scope="col">{t(Text::CaseHandler)}</th>
                    <th scope="col">{t(Text::QueueColSince)}</th>
                    <th scope="col">{t(Text::QueueColDays)}</th>
                </tr></thead>
                <tbody>{lines}</tbody>
            </table>
            <crate::ui::summary::Pagination base=format!("{base}&") page=rows.page has_next=rows.has_next/>
        }
        .into_any()
    };
    view! {
        <nav class="tabs" aria-label=t(Text::QueueFilters)>
            <ul class="tabs__list">{tabs}</ul>
        </nav>
        <p class="hint">{t(if filter == QueueFilter::Decided { Text::QueueSortedDecided } else { Text::QueueSorted })}</p>
        {form}
        {list}
    }
    .into_any()
}

/// What the last action did, from the address it sent the page to.
fn done_notice(done: &str) -> Option<AnyView> {
    let (text, class) = match done {
        "taken" => (Text::CaseTakenNotice, "notice notice--success"),
        "already_yours" => (Text::CaseAlreadyYours, "notice"),
        "taken_by_other" => (Text::CaseTakenByOther, "notice notice--warning"),
        "assigned" => (Text::CaseAssignedNotice, "notice notice--success"),
        "already_assigned" => (Text::CaseAlreadyAssigned, "notice"),
        "reviewed" => (Text::CaseReviewedNotice, "notice notice--success"),
        "review_unchanged" => (Text::CaseReviewUnchanged, "notice"),
        "attached" => (Text::CaseAttachedNotice, "notice notice--success"),
        "already_attached" => (Text::CaseAlreadyAttached, "notice"),
        "uploaded" => (Text::CaseStaffUploaded, "notice notice--success"),
        "supplement_requested" => (Text::SupplementRequestedNotice, "notice notice--success"),
        "supplement_already" => (Text::SupplementAlreadyNotice, "notice"),
        "exam_recorded" => (Text::ExamRecordedNotice, "notice notice--success"),
        "exam_unchanged" => (Text::ExamUnchangedNotice, "notice"),
        "approved" => (Text::DecisionApprovedNotice, "notice notice--success"),
        "report_approved" => (Text::DecisionReportApprovedNotice, "notice notice--success"),
        "rejected" => (Text::DecisionRejectedNotice, "notice notice--success"),
        "already_decided" => (Text::DecisionAlreadyNotice, "notice"),
        _ => return None,
    };
    Some(view! { <div class=class role="status" data-testid="done">{t(text)}</div> }.into_any())
}

/// `/staff/cases/:id`: a case as its handler works on it.
#[component]
pub fn HandlerCasePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let events_page = crate::events::parts::use_events_page();
    let id = move || params.read().get("id").unwrap_or_default();
    let take = ServerAction::<TakeCase>::new();
    let assign = ServerAction::<AssignCase>::new();
    let review = ServerAction::<ReviewDocument>::new();
    let attach = ServerAction::<AttachDocument>::new();
    let supplement = ServerAction::<RequestSupplement>::new();
    let exam = ServerAction::<RecordExam>::new();
    let decide = ServerAction::<DecideCase>::new();
    let data = Resource::new(
        move || (id(), events_page.get()),
        |(id, p)| case_for_handler(id, p),
    );
    let errors = Signal::derive(move || {
        take.value()
            .get()
            .and_then(Result::err)
            .or_else(|| assign.value().get().and_then(Result::err))
            .or_else(|| attach.value().get().and_then(Result::err))
    });
    let review_error = Signal::derive(move || review.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::HandlerCaseTitle)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(case) => {
                        // A refusal comes back to the address of the last success: say only the
                        // refusal.
                        let q = query.read_untracked();
                        let done = match q.get("__err") {
                            Some(_) => None,
                            None => q.get("done").and_then(|d| done_notice(&d)),
                        };
                        view! {
                            <p class="body"><a href="/staff/cases" class="back-link">{t(Text::QueueBack)}</a></p>
                            <h1 class="heading-xl">{format!("{} {}", t(Text::HandlerCaseTitle), case.panel.order_no)}</h1>
                            {done}
                            <ErrorSummary error=errors/>
                            {review_error.get_untracked().and_then(|e| e.field_value("requirement_id").map(str::to_owned)).map(|rid| view! {
                                <div class="notice notice--warning" role="alert" data-testid="review-refused">
                                    <a href=format!("#review-{rid}")>{t(Text::CaseReviewRefused)}</a>
                                </div>
                            })}
                            {handling_view(&case, take, assign)}
                            <super::pages::InfoPanel panel=case.panel.clone()/>
                            <p class="body"><a href=format!("/staff/people/{}", case.person_id)>{t(Text::CasePersonPage)}</a></p>
                            {documents_view(&case, review, review_error)}
                            {attach_view(&case, attach)}
                            {supplement_view(&case, supplement)}
                            {exams_view(&case, exam)}
                            {decision_view(&case, decide)}
                            <super::message_pages::MessagesTab case_id=case.panel.id.clone() base=format!("/staff/cases/{}?", case.panel.id)/>
                            <section class="panel" aria-labelledby="case-log">
                                <h2 class="heading-m" id="case-log">{t(Text::CaseLog)}</h2>
                                <crate::events::parts::EventLog events=case.events.clone() base=format!("/staff/cases/{}?", case.panel.id)/>
                            </section>
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Who handles the case, "Ta ärendet", and (body administrators) "Tilldela".
fn handling_view(
    case: &HandlerCase,
    take: ServerAction<TakeCase>,
    assign: ServerAction<AssignCase>,
) -> AnyView {
    let locale = current_locale();
    let p = &case.panel;
    let who = match (&p.handler, case.mine) {
        (_, true) => t(Text::CaseYouHandle).to_owned(),
        (Some(name), false) => locale.format(Text::CaseHandledBy, &[("name", name)]),
        (None, _) => t(Text::CaseNoHandler).to_owned(),
    };
    let id = p.id.clone();
    let take_form = (p.open() && p.handler.is_none()).then(|| {
        let id = id.clone();
        view! {
            <ActionForm action=take attr:class="inline-form">
                <input type="hidden" name="case_id" value=id/>
                <button type="submit" class="button" data-testid="take-case">{t(Text::CaseTake)}</button>
            </ActionForm>
        }
    });
    let assign_form = case.handlers.clone().filter(|_| p.open()).map(|handlers| {
        let current = case.handler_id.clone().unwrap_or_default();
        let options = handlers
            .into_iter()
            .map(|h| {
                let selected = h.id == current;
                view! { <option value=h.id selected=selected>{h.name}</option> }
            })
            .collect_view();
        view! {
            <ActionForm action=assign attr:class="archive-filter">
                <input type="hidden" name="case_id" value=id/>
                <div class="search-form__row">
                    <div>
                        <label class="label" for="handler_id">{t(Text::CaseAssignTo)}</label>
                        <select class="select" id="handler_id" name="handler_id" data-testid="assign-handler">
                            <option value="">{t(Text::CaseChooseHandlerOption)}</option>
                            {options}
                        </select>
                    </div>
                    <button type="submit" class="button button--secondary archive-filter__show" data-testid="assign">{t(Text::CaseAssign)}</button>
                </div>
            </ActionForm>
        }
    });
    view! {
        <section class="panel" data-testid="handling">
            <p class="body" data-testid="handler">{who}</p>
            {take_form}
            {assign_form}
        </section>
    }
    .into_any()
}

/// The scheme's required documents: what answers each, the verdict, and the forms.
fn documents_view(
    case: &HandlerCase,
    review: ServerAction<ReviewDocument>,
    error: Signal<Option<AppError>>,
) -> AnyView {
    let p = &case.panel;
    let may_review = may_work(case);
    let rows = p
        .requirements
        .iter()
        .map(|r| {
            let verdict = case
                .reviews
                .iter()
                .find(|(id, _)| *id == r.id)
                .map(|(_, v)| v.clone());
            document_row(&p.id, r, verdict, p.open(), may_review, review, error)
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="case-documents" data-testid="handler-documents">
            <h2 class="heading-m" id="case-documents">{t(Text::CaseDocumentsHeading)}</h2>
            {(!may_review && p.open()).then(|| view! { <p class="hint">{t(Text::CaseTakeToReview)}</p> })}
            {p.requirements.is_empty().then(|| view! { <p class="body empty-state">{t(Text::CaseNoRequirementsStaff)}</p> })}
            <ul class="review-list">{rows}</ul>
            {(!case.letters.is_empty()).then(|| {
                let links = case
                    .letters
                    .iter()
                    .map(|(id, name, kind)| view! {
                        <li>
                            <a href=format!("/documents/{id}?view=inline") rel="external" target="_blank" data-testid="letter">{name.clone()}</a>
                            " "<span class="hint">{t(kind.text())}</span>
                        </li>
                    })
                    .collect_view();
                view! {
                    <h3 class="heading-s">{t(Text::CaseLetters)}</h3>
                    <ul class="list">{links}</ul>
                }
            })}
        </section>
    }
    .into_any()
}

fn document_row(
    case_id: &str,
    r: &Requirement,
    verdict: Option<Review>,
    open: bool,
    may_review: bool,
    review: ServerAction<ReviewDocument>,
    error: Signal<Option<AppError>>,
) -> AnyView {
    let locale = current_locale();
    let name = r.name.get(locale).to_owned();
    let answer = match &r.provided {
        Provided::Missing => view! { <p class="body">{t(Text::CaseNothingSent)}</p> }.into_any(),
        Provided::Explained { reason, at } => view! {
            <p class="body"><strong>{t(Text::CaseExplainedLabel)}</strong>" "{short_time(at)}</p>
            <p class="body pre-line">{reason.clone()}</p>
        }
        .into_any(),
        Provided::Uploaded {
            document_id,
            name,
            at,
        } => {
            let pdf = name.to_ascii_lowercase().ends_with(".pdf");
            view! {
                <p class="body">
                    <a href=format!("/documents/{document_id}") rel="external" data-testid="document-link">{name.clone()}</a>
                    " "<span class="hint">{short_time(at)}</span>
                    {pdf.then(|| view! { " · "<a href=format!("/documents/{document_id}?view=inline") rel="external" target="_blank">{t(Text::CaseViewPdf)}</a> })}
                </p>
            }
            .into_any()
        }
    };
    let rid = r.id.clone();
    let mine = {
        let rid = rid.clone();
        Signal::derive(move || {
            error
                .get()
                .filter(|e| e.field_value("requirement_id") == Some(rid.as_str()))
        })
    };
    // A refused form comes back with the verdict that was chosen; else the saved one.
    let current = match mine.get_untracked() {
        Some(e) => e.field_value("verdict").and_then(Verdict::parse),
        None => verdict.as_ref().map(|v| v.verdict),
    };
    let verdict_text = verdict.as_ref().map(|v| {
        let by = v.by.clone().unwrap_or_default();
        view! {
            <p class="body" data-testid="verdict">
                <span class=if v.verdict == Verdict::Approved { "tag tag--green" } else { "tag tag--yellow" }>{t(v.verdict.text())}</span>
                " "<span class="hint">{format!("{by} {}", short_time(&v.at))}</span>
            </p>
            {(!v.comment.is_empty()).then(|| view! { <p class="body pre-line">{v.comment.clone()}</p> })}
        }
    });
    let comment = verdict.map(|v| v.comment).unwrap_or_default();
    let form = may_review.then(|| {
        // Ids of their own: every document of the case has this form.
        let (approved, supplement, comment_id) = (
            format!("verdict-{rid}"),
            format!("verdict-{rid}-supplement"),
            format!("comment-{rid}"),
        );
        let message = move |field: &'static str| {
            move || mine.get().and_then(|e| e.field_text(field, current_locale()))
        };
        let kept = mine
            .get_untracked()
            .and_then(|e| e.field_value("comment").map(str::to_owned))
            .unwrap_or(comment);
        let case_id = case_id.to_owned();
        view! {
            <details class="details" open=mine.get_untracked().is_some()>
                <summary class="details__summary">{t(Text::CaseReviewAction)}</summary>
                <ActionForm action=review attr:novalidate="novalidate">
                    <input type="hidden" name="case_id" value=case_id/>
                    <input type="hidden" name="requirement_id" value=rid.clone()/>
                    <div class="form-group" class:form-group--error=move || message("verdict")().is_some()>
                        <fieldset class="fieldset">
                            <legend class="label">{t(Text::CaseVerdict)}</legend>
                            {move || message("verdict")().map(|m| view! { <p class="error-message">{m}</p> })}
                            <div class="radios">
                                <div class="radios__item">
                                    <input class="radios__input" type="radio" id=approved.clone() name="verdict" value="approved" checked=current == Some(Verdict::Approved)/>
                                    <label class="radios__label" for=approved>{t(Text::VerdictApproved)}</label>
                                </div>
                                <div class="radios__item">
                                    <input class="radios__input" type="radio" id=supplement.clone() name="verdict" value="supplement" checked=current == Some(Verdict::Supplement)/>
                                    <label class="radios__label" for=supplement>{t(Text::VerdictSupplement)}</label>
                                </div>
                            </div>
                        </fieldset>
                    </div>
                    <div class="form-group" class:form-group--error=move || message("comment")().is_some()>
                        <label class="label" for=comment_id.clone()>{t(Text::CaseComment)}</label>
                        <p class="hint">{t(Text::CaseCommentHint)}</p>
                        {move || message("comment")().map(|m| view! { <p class="error-message">{m}</p> })}
                        <textarea class="textarea" id=comment_id name="comment" rows="2">{crate::ui::form::textarea_text(&kept)}</textarea>
                    </div>
                    <button type="submit" class="button button--secondary" data-testid="save-review">{t(Text::Save)}</button>
                </ActionForm>
            </details>
        }
    });
    let upload = open.then(|| view! {
        <a href=format!("/staff/cases/{case_id}/documents/{}", r.id) class="button button--secondary">{t(Text::CaseStaffUpload)}</a>
    });
    view! {
        <li class="review-item" id=format!("review-{}", r.id) data-testid="review-item">
            <h3 class="heading-s">{name}{r.shared.then(|| view! { " "<span class="requirement__shared">{t(Text::CaseSharedStaff)}</span> })}</h3>
            {answer}
            {verdict_text}
            {form}
            {upload}
        </li>
    }
    .into_any()
}

/// Whether the signed-in staff member may work on the case: it is open, and theirs (or they
/// are a body administrator and someone handles it).
fn may_work(case: &HandlerCase) -> bool {
    let p = &case.panel;
    p.open() && (case.mine || case.handlers.is_some() && p.handler.is_some())
}

/// "Komplettering": what was asked and when, or (to the case's handler) the form that asks: the
/// documents that need a supplement, or are missing, ticked to begin with; their comments as
/// the text.
fn supplement_view(case: &HandlerCase, action: ServerAction<RequestSupplement>) -> Option<AnyView> {
    let p = &case.panel;
    if !p.open() {
        return None;
    }
    let locale = current_locale();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let body = match (&p.supplement_asked_at, may_work(case)) {
        (Some(at), _) => view! {
            <p class="body" data-testid="supplement-waiting">{locale.format(Text::SupplementWaiting, &[("at", &short_time(at))])}</p>
        }
        .into_any(),
        // Until the case is taken, the documents' hint says what to do.
        (None, false) => return None,
        (None, true) => {
            let needs = |id: &str| {
                case.reviews
                    .iter()
                    .any(|(r, v)| r == id && v.verdict == Verdict::Supplement)
            };
            // A refused form comes back with what was ticked.
            let ticked = error
                .get_untracked()
                .and_then(|e| e.field_value("ticked").map(str::to_owned));
            let boxes = p
                .requirements
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let checked = match &ticked {
                        Some(t) => t.split(',').any(|id| id == r.id),
                        None => needs(&r.id) || r.provided == Provided::Missing,
                    };
                    let id = format!("ask-{}", r.id);
                    view! {
                        <div class="checkboxes__item">
                            <input class="checkbox" type="checkbox" id=id.clone() name=format!("requirement_ids[{i}]") value=r.id.clone() checked=checked/>
                            <label class="checkboxes__label" for=id>{r.name.get(locale).to_owned()}</label>
                        </div>
                    }
                })
                .collect_view();
            let text: Vec<String> = case
                .reviews
                .iter()
                .filter(|(_, v)| v.verdict == Verdict::Supplement && !v.comment.is_empty())
                .map(|(_, v)| v.comment.clone())
                .collect();
            let message = move || error.get().and_then(|e| e.field_text("requirement_ids", current_locale()));
            let (case_id, text) = (p.id.clone(), text.join("\n"));
            view! {
                <ErrorSummary error/>
                <ActionForm action=action attr:novalidate="novalidate" attr:data-testid="supplement-form">
                    <input type="hidden" name="case_id" value=case_id/>
                    <div class="form-group" class:form-group--error=move || message().is_some()>
                        <fieldset class="fieldset" id="requirement_ids">
                            <legend class="label">{t(Text::SupplementWhat)}</legend>
                            {move || message().map(|m| view! { <p class="error-message">{m}</p> })}
                            <div class="checkboxes">{boxes}</div>
                        </fieldset>
                    </div>
                    <TextArea name="supplement_text" label=Text::SupplementText hint=Text::SupplementTextHint error value=text/>
                    <button type="submit" class="button" data-testid="request-supplement">{t(Text::SupplementRequest)}</button>
                </ActionForm>
            }
            .into_any()
        }
    };
    Some(
        view! {
            <section class="panel" id="supplement" aria-labelledby="case-supplement">
                <h2 class="heading-m" id="case-supplement">{t(Text::MessageKindSupplement)}</h2>
                {body}
            </section>
        }
        .into_any(),
    )
}

/// "Prov": the exam results, and the form that records one.
fn exams_view(case: &HandlerCase, action: ServerAction<RecordExam>) -> AnyView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let form = may_work(case).then(|| {
        let result = error.get_untracked().and_then(|e| e.field_value("result").map(str::to_owned)).unwrap_or_default();
        let case_id = case.panel.id.clone();
        view! {
            <details class="details" open=error.get_untracked().is_some()>
                <summary class="details__summary">{t(Text::ExamRecord)}</summary>
                <ErrorSummary error/>
                <ActionForm action=action attr:novalidate="novalidate">
                    <input type="hidden" name="case_id" value=case_id/>
                    <TextField name="taken_on" label=Text::ExamColDate input_type="date" error/>
                    <TextField name="exam" label=Text::ExamColExam hint=Text::ExamNameHint error/>
                    <crate::ui::form::Radios name="result" legend=Text::ExamColResult
                        options=vec![("passed", Text::ExamPassed), ("failed", Text::ExamFailed)]
                        selected=result error/>
                    <TextField name="score" label=Text::ExamColScore error/>
                    <button type="submit" class="button button--secondary" data-testid="record-exam">{t(Text::ExamRecord)}</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <section class="panel" id="exams" aria-labelledby="case-exams">
            <h2 class="heading-m" id="case-exams">{t(Text::CaseTabExams)}</h2>
            <super::pages::ExamTable exams=case.panel.exams.clone()/>
            {form}
        </section>
    }
    .into_any()
}

/// "Beslut": the decision once made, or (to the case's handler) the form: approve with level,
/// plastic card and publication, or reject with a reason, confirmed as final.
fn decision_view(case: &HandlerCase, action: ServerAction<DecideCase>) -> Option<AnyView> {
    let p = &case.panel;
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let body = match (&p.decision, may_work(case)) {
        (Some(d), _) => super::pages::decision_notice(d),
        (None, false) => return None,
        (None, true) => {
            let kept = move |field: &str| {
                error
                    .get_untracked()
                    .and_then(|e| e.field_value(field).map(str::to_owned))
            };
            let level = kept("level_id")
                .or_else(|| case.applied_level.clone())
                .unwrap_or_default();
            let locale = current_locale();
            let levels = (!case.levels.is_empty()).then(|| {
                let options = case
                    .levels
                    .iter()
                    .map(|(id, name)| view! { <option value=id.clone() selected=*id == level>{name.get(locale).to_owned()}</option> })
                    .collect_view();
                view! {
                    <div class="form-group">
                        <label class="label" for="level_id">{t(Text::CaseLevel)}</label>
                        <select class="select" id="level_id" name="level_id" data-testid="decision-level">
                            <option value="">{t(Text::DecisionChooseLevel)}</option>
                            {options}
                        </select>
                    </div>
                }
            });
            let (case_id, chosen) = (p.id.clone(), kept("decision").unwrap_or_default());
            let tick = |field: &str, saved: bool| match error.get_untracked() {
                Some(e) => e.field_value(field).is_some_and(|v| !v.is_empty()),
                None => saved,
            };
            let (plastic_card, published) = (
                tick("plastic_card", p.plastic_card),
                tick("published", p.published),
            );
            // What "Bevilja" does, by the case's kind.
            let report = p.kind == super::model::CaseKind::YearlyReport;
            let effect = match p.kind {
                super::model::CaseKind::YearlyReport => Text::DecisionEffectReport,
                super::model::CaseKind::Renewal => Text::DecisionEffectRenewal,
                super::model::CaseKind::New => Text::DecisionEffectNew,
            };
            view! {
                <ErrorSummary error/>
                <ActionForm action=action attr:novalidate="novalidate" attr:data-testid="decision-form">
                    <input type="hidden" name="case_id" value=case_id/>
                    <crate::ui::form::Radios name="decision" legend=Text::DecisionLegend
                        options=vec![("approve", Text::DecisionApprove), ("reject", Text::DecisionReject)]
                        selected=chosen error/>
                    {levels.filter(|_| !report)}
                    {(!report).then(|| view! {
                        <div class="checkboxes">
                            <div class="checkboxes__item">
                                <input class="checkbox" type="checkbox" id="plastic_card" name="plastic_card" value="on" checked=plastic_card/>
                                <label class="checkboxes__label" for="plastic_card">{t(Text::CasePlasticCard)}</label>
                            </div>
                            <div class="checkboxes__item">
                                <input class="checkbox" type="checkbox" id="published" name="published" value="on" checked=published/>
                                <label class="checkboxes__label" for="published">{t(Text::CasePublished)}</label>
                            </div>
                        </div>
                    })}
                    <p class="hint" data-testid="decision-effect">{t(effect)}</p>
                    <TextArea name="reason" label=Text::DecisionReason hint=Text::DecisionReasonHint error/>
                    <div class="form-group" id="confirm">
                        <div class="checkboxes__item">
                            <input class="checkbox" type="checkbox" id="confirm-final" name="confirm" value="on"/>
                            <label class="checkboxes__label" for="confirm-final">{t(Text::DecisionConfirm)}</label>
                        </div>
                    </div>
                    <button type="submit" class="button" data-testid="decide">{t(Text::DecisionSubmit)}</button>
                </ActionForm>
            }
            .into_any()
        }
    };
    view! {
        <section class="panel" id="decision-section" aria-labelledby="case-decision">
            <h2 class="heading-m" id="case-decision">{t(Text::MessageKindDecision)}</h2>
            {body}
        </section>
    }
    .into_any()
    .into()
}

/// "Från arkivet": the person's documents from earlier cases, to put into this one.
fn attach_view(case: &HandlerCase, attach: ServerAction<AttachDocument>) -> Option<AnyView> {
    let p = &case.panel;
    if !p.open()
        || case.attachable.is_empty()
        || !(case.mine || case.handlers.is_some() && p.handler.is_some())
    {
        return None;
    }
    let locale = current_locale();
    let rows = case
        .attachable
        .iter()
        .map(|d| {
            let options = p
                .requirements
                .iter()
                .map(|r| {
                    let selected = r.name.sv == d.title.sv;
                    view! { <option value=r.id.clone() selected=selected>{r.name.get(locale).to_owned()}</option> }
                })
                .collect_view();
            let select_id = format!("attach-{}", d.id);
            let (case_id, document_id) = (p.id.clone(), d.id.clone());
            view! {
                <tr data-testid="attachable">
                    <td data-label=t(Text::ArchiveColDate)>{d.date.clone()}</td>
                    <td data-label=t(Text::ArchiveColName)><a href=format!("/documents/{}", d.id) rel="external">{d.name.clone()}</a></td>
                    <td data-label=t(Text::CaseOrderNo)>{d.order_no.clone().unwrap_or_else(|| "–".to_owned())}</td>
                    <td data-label=t(Text::CaseAttachAs)>
                        <ActionForm action=attach attr:class="inline-form attach-form">
                            <input type="hidden" name="case_id" value=case_id/>
                            <input type="hidden" name="document_id" value=document_id/>
                            <label class="visually-hidden" for=select_id.clone()>{t(Text::CaseAttachAs)}</label>
                            <select class="select" id=select_id name="requirement_id">
                                <option value="">{t(Text::CaseChooseRequirementOption)}</option>
                                {options}
                            </select>
                            " "<button type="submit" class="button button--secondary" data-testid="attach">{t(Text::CaseAttach)}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    Some(
        view! {
            <section class="panel" aria-labelledby="case-attach" data-testid="attach-section">
                <h2 class="heading-m" id="case-attach">{t(Text::CaseFromArchive)}</h2>
                <p class="hint">{t(Text::CaseFromArchiveHint)}</p>
                <table class="table table--responsive">
                    <thead><tr>
                        <th scope="col">{t(Text::ArchiveColDate)}</th>
                        <th scope="col">{t(Text::ArchiveColName)}</th>
                        <th scope="col">{t(Text::CaseOrderNo)}</th>
                        <th scope="col">{t(Text::CaseAttachAs)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        }
        .into_any(),
    )
}

/// `/staff/cases/:id/documents/:req`: staff send a file that came by post, for the person.
#[component]
pub fn StaffDocumentPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let req = move || params.read().get("req").unwrap_or_default();
    let data = Resource::new(id, |id| case_for_handler(id, 1));
    view! {
        <Title text=t(Text::CaseStaffUploadTitle)/>
        <div class="narrow">
            <h1 class="heading-xl">{t(Text::CaseStaffUploadTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let locale = current_locale();
                    match data.await {
                        Ok(case) => {
                            let panel = case.panel;
                            let Some(r) = panel.requirements.iter().find(|r| r.id == req()).cloned() else {
                                return view! { <crate::ui::errors::NotFound/> }.into_any();
                            };
                            let page = format!("/staff/cases/{}/documents/{}", panel.id, r.id);
                            let refused = super::pages::refusal_in_address(&query.read_untracked(), &page);
                            let error = Signal::stored(refused);
                            view! {
                                <dl class="summary-list">
                                    {crate::ui::summary::row(Text::CaseDocumentFor, format!("{}, {}", panel.name, panel.pnr))}
                                    {crate::ui::summary::row(Text::CaseOrderNo, panel.order_no.clone())}
                                    {crate::ui::summary::row(Text::CaseColDocument, r.name.get(locale).to_owned())}
                                </dl>
                                <p class="hint">{t(Text::CaseStaffUploadHint)}</p>
                                <ErrorSummary error/>
                                <super::pages::UploadForm action=format!("{page}/upload") back=format!("/staff/cases/{}", panel.id) max_mb=panel.upload_max_mb error/>
                            }
                            .into_any()
                        }
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
