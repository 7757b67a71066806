//! The company page's "Administratörer" tab.

use super::*;

#[component]
pub(super) fn AdminsTab(
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
                <a href=format!("{base}&confirm={}#confirm", a.account_id)>{t(Text::Remove)}<span class="visually-hidden">" "{a.display_name.clone()}</span></a>
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
