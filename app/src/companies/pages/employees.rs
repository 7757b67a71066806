//! The company page's "Anställda" tab: the employees, adding one, ending an employment.

use super::*;

#[component]
pub(super) fn EmployeesTab(
    company: CompanyView,
    end: Option<String>,
    forms: Forms,
) -> impl IntoView {
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
                <a href=format!("{base}&end={}#confirm", e.id)>{t(Text::EmploymentEndLink)}<span class="visually-hidden">" "{e.person_name.clone()}</span></a>
            });
            // A request the company withdrew (ended before it was confirmed) waits for nobody.
            let waiting = (e.status != EmploymentStatus::Confirmed && !e.withdrawn()).then(|| {
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
            crate::ui::search::empty_state(page, format!("{paging}employees_page=1"), Text::EmployeesEmpty)
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
