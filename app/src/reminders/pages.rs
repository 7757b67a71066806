//! `/staff/schemes/:id/reminders`, a scheme's reminder rules (body administrators change them,
//! other staff read them), and `/staff/letters`, the reminders staff post as letters. Plain
//! forms.

use super::api::{MarkLetterPosted, SaveReminderRules, SetExtension, letters, reminder_rules};
use super::model::{Letter, ReminderKind, SchemeRules};
use crate::i18n::{Text, current_locale, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::{ErrorSummary, TextField};
use crate::ui::summary::{Pagination, done_notice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn applies(kind: ReminderKind, s: &SchemeRules) -> bool {
    kind.applies(s.yearly, s.yearly_report)
}

/// `/staff/schemes/:id/reminders`.
#[component]
pub fn RemindersPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    // Read again after each save (its answer comes back with `done`): the kinds shown follow
    // how the scheme is extended.
    let data = Resource::new(
        move || (id(), query.read().get("done")),
        |(id, _)| reminder_rules(id),
    );
    let save = ServerAction::<SaveReminderRules>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let extension = ServerAction::<SetExtension>::new();
    let extension_error = Signal::derive(move || extension.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::RemindersTitle)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = current_locale();
                match data.await {
                    Ok((scheme, editable)) => {
                        let q = query.read_untracked();
                        let done = q.get("__err").is_none().then(|| q.get("done")).flatten();
                        let title = format!("{} - {}", scheme.area.get(locale), scheme.name.get(locale));
                        view! {
                            <p class="body"><a href=format!("/staff/schemes/{}", scheme.id)>{title.clone()}</a></p>
                            <h1 class="heading-xl">{locale.format(Text::RemindersHeading, &[("scheme", &title)])}</h1>
                            {done_notice(done.as_deref(), &[
                                ("saved", Text::RemindersSaved),
                                ("extension_saved", Text::RemindersExtensionSaved),
                                ("extension_unchanged", Text::RemindersExtensionUnchanged),
                            ], &[])}
                            {scheme.yearly.then(|| extension_form(&scheme, editable, extension, extension_error))}
                            <p class="body">{t(Text::RemindersLead)}</p>
                            {scheme.defaults.then(|| view! { <p class="hint" data-testid="defaults">{t(Text::RemindersDefaults)}</p> })}
                            {if editable { rules_form(scheme, save, error) } else { rules_table(&scheme) }}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Årlig förlängning genom": an attestation or a yearly report; a choice for body
/// administrators, a fact for the other staff.
fn extension_form(
    s: &SchemeRules,
    editable: bool,
    action: ServerAction<SetExtension>,
    error: Signal<Option<crate::error::AppError>>,
) -> AnyView {
    let current = if s.yearly_report {
        Text::RemindersByReport
    } else {
        Text::RemindersByAttestation
    };
    if !editable {
        return view! {
            <p class="body" data-testid="extension">{t(Text::RemindersExtension)}": "{t(current)}</p>
        }
        .into_any();
    }
    let by_report = s.yearly_report;
    let id = s.id.clone();
    let option = |value: &'static str, text: Text, checked: bool| {
        let id = format!("by-{value}");
        view! {
            <div class="radios__item">
                <input class="radios__input" type="radio" id=id.clone() name="by" value=value checked=checked/>
                <label class="radios__label" for=id>{t(text)}</label>
            </div>
        }
    };
    view! {
        <ErrorSummary error/>
        <ActionForm action attr:data-testid="extension-form">
            <input type="hidden" name="scheme_id" value=id/>
            <div class="form-group">
                <fieldset class="fieldset">
                    <legend class="label">{t(Text::RemindersExtension)}</legend>
                    <p class="hint">{t(Text::RemindersExtensionHint)}</p>
                    <div class="radios">
                        {option("attestation", Text::RemindersByAttestation, !by_report)}
                        {option("report", Text::RemindersByReport, by_report)}
                    </div>
                </fieldset>
            </div>
            <div class="button-group">
                <button type="submit" class="button button--secondary" data-testid="save-extension">{t(Text::RemindersExtensionSave)}</button>
            </div>
        </ActionForm>
    }
    .into_any()
}

/// The rules as a handler reads them.
fn rules_table(s: &SchemeRules) -> AnyView {
    let rows = ReminderKind::ALL
        .iter()
        .filter(|k| applies(**k, s))
        .map(|&k| {
            let field = s.rules.field(k);
            view! {
                <tr>
                    <td data-label=t(Text::RemindersColKind)>{t(k.label())}</td>
                    <td data-label=t(Text::RemindersColBefore)>
                        {if field.is_empty() {
                            t(Text::RemindersNone).to_owned()
                        } else {
                            format!("{field} {}", t(unit_text(k)))
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table table--responsive" data-testid="reminder-rules">
            <thead><tr>
                <th scope="col">{t(Text::RemindersColKind)}</th>
                <th scope="col">{t(Text::RemindersColBefore)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="body hint">{t(Text::RemindersReadOnly)}</p>
    }
    .into_any()
}

fn unit_text(k: ReminderKind) -> Text {
    match k.unit() {
        super::model::Unit::Days => Text::RemindersUnitDays,
        super::model::Unit::Months => Text::RemindersUnitMonths,
    }
}

/// "Spara": a field per kind the scheme uses; the others ride along unchanged.
fn rules_form(
    s: SchemeRules,
    action: ServerAction<SaveReminderRules>,
    error: Signal<Option<crate::error::AppError>>,
) -> AnyView {
    let fields = ReminderKind::ALL
        .iter()
        .map(|&k| {
            let value = s.rules.field(k);
            if applies(k, &s) {
                view! { <TextField name=k.code() label=k.label() hint=k.hint() error value/> }
                    .into_any()
            } else {
                view! { <input type="hidden" name=k.code() value=value/> }.into_any()
            }
        })
        .collect_view();
    view! {
        <ErrorSummary error/>
        <ActionForm action attr:novalidate="novalidate" attr:data-testid="reminder-form">
            <input type="hidden" name="scheme_id" value=s.id.clone()/>
            {fields}
            <div class="button-group">
                <button type="submit" class="button" data-testid="save-reminders">{t(Text::RemindersSave)}</button>
            </div>
        </ActionForm>
    }
    .into_any()
}

/// `/staff/letters`: "Att posta" (or `?posted=1`, "Postade").
#[component]
pub fn LettersPage() -> impl IntoView {
    let query = use_query_map();
    let posted = move || query.read().get("posted").is_some_and(|v| v == "1");
    let (_, page) = crate::ui::search::use_search();
    let data = Resource::new(move || (posted(), page.get()), |(p, n)| letters(p, n));
    // The heading and the lead come with the list: a caller refused sees only the refusal.
    let heading = || {
        view! {
            <h1 class="heading-xl">{t(Text::LettersTitle)}</h1>
            <p class="body">{t(Text::LettersLead)}</p>
        }
    };
    view! {
        <Title text=t(Text::LettersTitle)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let posted = posted();
                let result = data.await;
                let q = query.read_untracked();
                let done = done_notice(q.get("done").as_deref(), &[
                    ("posted", Text::LettersMarked),
                    ("already_posted", Text::LettersAlreadyMarked),
                ], &[]);
                let tabs = letters_tabs(posted);
                let base = if posted { "/staff/letters?posted=1&" } else { "/staff/letters?" };
                match result {
                    Ok(list) if list.items.is_empty() => view! {
                        {heading()}
                        {tabs}
                        {done}
                        {crate::ui::search::empty_state(list.page, base.trim_end_matches(['?', '&']).to_owned(), Text::LettersEmpty)}
                    }.into_any(),
                    Ok(list) => {
                        let (page, has_next) = (list.page, list.has_next);
                        let rows = list.items.into_iter().map(letter_row).collect_view();
                        view! {
                            {heading()}
                            {tabs}
                            {done}
                            <table class="table table--responsive" data-testid="letters">
                                <thead><tr>
                                    <th scope="col">{t(Text::LettersColSent)}</th>
                                    <th scope="col">{t(Text::LettersColKind)}</th>
                                    <th scope="col">{t(Text::LettersColTo)}</th>
                                    <th scope="col">{t(Text::LettersColCertificate)}</th>
                                    <th scope="col">{t(Text::LettersColDeadline)}</th>
                                    <th scope="col"><span class="visually-hidden">{t(Text::LettersColAction)}</span></th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                            <Pagination base=base.to_owned() page has_next/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn letters_tabs(posted: bool) -> impl IntoView {
    let tabs = vec![
        ("to_post", Text::LettersToPost, "/staff/letters".to_owned()),
        (
            "posted",
            Text::LettersPosted,
            "/staff/letters?posted=1".to_owned(),
        ),
    ];
    let current = if posted { "posted" } else { "to_post" };
    view! { <crate::ui::tabs::Tabs label=t(Text::LettersTitle) tabs current/> }
}

fn letter_row(l: Letter) -> impl IntoView {
    let locale = current_locale();
    let mark = ServerAction::<MarkLetterPosted>::new();
    let address = l
        .address
        .iter()
        .map(|line| view! { <span class="letter__line">{line.clone()}</span> })
        .collect_view();
    let action = match &l.posted_at {
        Some(at) => view! { <span class="hint">{locale.format(Text::LettersPostedAt, &[("date", &crate::ui::format::short_time(at))])}</span> }.into_any(),
        None => view! {
            <ActionForm action=mark>
                <input type="hidden" name="id" value=l.id.clone()/>
                <button type="submit" class="button button--secondary" data-testid="mark-posted">{t(Text::LettersMark)}</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <tr data-testid="letter">
            <td class="table__time" data-label=t(Text::LettersColSent)>{l.sent_on.clone()}</td>
            <td data-label=t(Text::LettersColKind)>{t(l.kind.label())}</td>
            <td data-label=t(Text::LettersColTo)>
                <div class="letter__to">
                    <a href=format!("/staff/people/{}", l.person_id)>{l.name.clone()}</a>
                    {address}
                    <details class="details letter__text">
                        <summary>{t(Text::LettersText)}</summary>
                        <p class="body"><strong>{l.subject.clone()}</strong></p>
                        <p class="body letter__body" data-testid="letter-text">{l.text.clone()}</p>
                    </details>
                </div>
            </td>
            <td data-label=t(Text::LettersColCertificate)>{format!("{} {}", l.scheme.get(locale), l.number)}</td>
            <td class="table__time" data-label=t(Text::LettersColDeadline)>{l.deadline.clone()}</td>
            <td>{action}</td>
        </tr>
    }
}
