//! The company page's "Kontaktpersoner" and "Filial" tabs: four-field lists with add and remove.

use super::*;

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
                        <td><a href=format!("{base}&confirm={id}#confirm")>{t(Text::Remove)}<span class="visually-hidden">" "{name}</span></a></td>
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
pub(super) fn ContactsTab(
    company: CompanyView,
    confirm: Option<String>,
    forms: Forms,
) -> impl IntoView {
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
pub(super) fn BranchesTab(
    company: CompanyView,
    confirm: Option<String>,
    forms: Forms,
) -> impl IntoView {
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
