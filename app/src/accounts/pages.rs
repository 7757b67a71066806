use super::api::CreateAccount;
use crate::auth::api::whoami;
use crate::auth::model::Role;
use crate::error::AppError;
use crate::i18n::{Text, current_locale, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::{ErrorSummary, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/staff/accounts/new`: staff create an account, which gets an activation email.
#[component]
pub fn NewAccountPage() -> impl IntoView {
    let create = ServerAction::<CreateAccount>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let query = use_query_map();
    let created = move || query.read().get("created");
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <Title text=t(Text::NewAccountTitle)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) if user.is_staff() => {
                        let roles = Role::ALL
                            .into_iter()
                            .filter(|r| !r.is_staff() || user.has(Role::BodyAdmin))
                            .map(|r| {
                                let kept = move || {
                                    error.get().and_then(|e| e.field_value("role").map(|v| v == r.code()))
                                        .unwrap_or(false)
                                };
                                view! { <option value=r.code() selected=kept>{t(r.text())}</option> }
                            })
                            .collect_view();
                        let role_error = move || error.get().and_then(|e| e.field_text("role", crate::i18n::current_locale()));
                        view! {
                            <div class="narrow">
                                <h1 class="heading-xl">{t(Text::NewAccountTitle)}</h1>
                                <p class="body">{t(Text::NewAccountLead)}</p>
                                {move || created().map(|username| view! {
                                    <div class="notice notice--success" role="status" data-testid="account-created">
                                        {current_locale().format(Text::NewAccountCreated, &[("username", &username)])}
                                    </div>
                                })}
                                <ErrorSummary error/>
                                <ActionForm action=create attr:novalidate="novalidate">
                                    <TextField name="username" label=Text::NewAccountUsername
                                        hint=Text::NewAccountUsernameHint error autocomplete="off"/>
                                    <TextField name="display_name" label=Text::NewAccountName error autocomplete="off"/>
                                    <TextField name="email" label=Text::NewAccountEmail error input_type="email"
                                        autocomplete="off"/>
                                    <div class="form-group" class:form-group--error=move || role_error().is_some()>
                                        <label class="label" for="role">{t(Text::NewAccountRole)}</label>
                                        {move || role_error().map(|m| view! { <p class="error-message">{m}</p> })}
                                        <select class="select" id="role" name="role">{roles}</select>
                                    </div>
                                    <button type="submit" class="button">{t(Text::NewAccountSubmit)}</button>
                                </ActionForm>
                            </div>
                        }
                        .into_any()
                    }
                    Ok(Some(_)) => view! { <ErrorPage error=AppError::Forbidden/> }.into_any(),
                    Ok(None) => view! { <ErrorPage error=AppError::Unauthorized/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

use crate::ui::search::Column;

/// `/staff/accounts`: search accounts by username, name or email.
#[component]
pub fn AccountsPage() -> impl IntoView {
    use super::api::search_accounts;
    use crate::ui::search::results;

    let (q, page) = crate::ui::search::use_search();
    let data = Resource::new(
        move || (q.get(), page.get()),
        |(q, page)| search_accounts(q, page),
    );
    view! {
        <Title text=t(Text::AccountsTitle)/>
        <div class="page-heading">
            <h1 class="heading-xl">{t(Text::AccountsTitle)}</h1>
            <a href="/staff/accounts/new" class="button button--secondary">{t(Text::NavNewAccount)}</a>
        </div>
        <crate::ui::search::SearchForm action="/staff/accounts" label=Text::AccountsSearchLabel/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let found = data.await;
                results(found, "/staff/accounts", &q.get_untracked(), &ACCOUNT_COLUMNS, Text::AccountsEmpty, "accounts")
            })}
        </Suspense>
    }
}

/// The columns of the accounts' search.
const ACCOUNT_COLUMNS: [Column<super::model::AccountRow>; 4] = [
    Column {
        header: Text::NewAccountName,
        cell: |a| {
            view! { <a href=format!("/staff/accounts/{}", a.id)>{a.display_name.clone()}</a> }
                .into_any()
        },
    },
    Column {
        header: Text::NewAccountUsername,
        cell: |a| a.username.clone().into_any(),
    },
    Column {
        header: Text::NewAccountEmail,
        cell: |a| a.email.clone().into_any(),
    },
    Column {
        header: Text::AccountRoles,
        cell: |a| {
            let roles: Vec<&str> = a.roles.iter().map(|r| t(r.text())).collect();
            roles.join(", ").into_any()
        },
    },
];

/// `/staff/accounts/:id`: an account's roles; grant one, or revoke one after confirming.
#[component]
pub fn AccountRolesPage() -> impl IntoView {
    use super::api::{GrantRole, RevokeRole, get_account};
    use crate::ui::summary::row;
    use leptos_router::hooks::use_params_map;

    let params = use_params_map();
    let query = use_query_map();
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let error = Signal::derive(move || grant.value().get().and_then(Result::err));
    let revoke_error = Signal::derive(move || revoke.value().get().and_then(Result::err));
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                grant.version().get() + revoke.version().get(),
            )
        },
        |(id, _)| get_account(id),
    );
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <p class="body"><a href="/staff/accounts" class="back-link">{t(Text::AccountsTitle)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let body_admin = matches!(me.await, Ok(Some(u)) if u.has(Role::BodyAdmin));
                let (account, q) = (data.await, query.read());
                let notice = if q.get("granted").is_some() {
                    Some(Text::AccountRoleGranted)
                } else if q.get("revoked").is_some() {
                    Some(Text::AccountRoleRevoked)
                } else {
                    None
                };
                let asked = q.get("revoke");
                drop(q);
                let a = match account {
                    Ok(a) => a,
                    Err(e) => return view! { <ErrorPage error=e/> }.into_any(),
                };
                let base = format!("/staff/accounts/{}", a.id);
                let (account_id, revoke_base) = (a.id.clone(), base.clone());
                let confirm = asked.and_then(|key| {
                    a.grants.iter().find(|g| format!("{}:{}", g.role.code(), g.scope) == key).cloned()
                }).map(move |g| {
                    let label = if g.scope_label.is_empty() { t(g.role.text()).to_owned() } else { format!("{} ({})", t(g.role.text()), g.scope_label) };
                    view! {
                        <div class="panel panel--warning" role="alert" data-testid="confirm">
                            <p class="body"><strong>{current_locale().format(Text::AccountRevokeQuestion, &[("role", &label)])}</strong></p>
                            <ErrorSummary error=revoke_error/>
                            <div class="button-group">
                                <ActionForm action=revoke attr:class="inline-form">
                                    <input type="hidden" name="account_id" value=account_id.clone()/>
                                    <input type="hidden" name="role" value=g.role.code()/>
                                    <input type="hidden" name="scope" value=g.scope.clone()/>
                                    <button type="submit" class="button button--warning" data-testid="confirm-revoke">{t(Text::RemoveYes)}</button>
                                </ActionForm>
                                <a href=revoke_base.clone() class="button button--secondary">{t(Text::Cancel)}</a>
                            </div>
                        </div>
                    }
                });
                let grants = a.grants.iter().map(|g| {
                    let key = format!("{}:{}", g.role.code(), g.scope);
                    let can = !g.role.is_staff() || body_admin;
                    view! {
                        <tr>
                            <td data-label=t(Text::AccountRoles)>{t(g.role.text())}</td>
                            <td data-label=t(Text::AccountRoleScope)>{g.scope_label.clone()}</td>
                            <td data-label=t(Text::AccountRoleSince)>{crate::ui::format::short_date(&g.granted_at)}</td>
                            <td>{can.then(|| view! {
                                <a href=format!("{base}?revoke={}", crate::ui::format::encode_component(&key))>{t(Text::Remove)}</a>
                            })}</td>
                        </tr>
                    }
                }).collect_view();
                let options = Role::ALL
                    .into_iter()
                    .filter(|r| !r.is_staff() || body_admin)
                    .map(|r| {
                        let kept = move || error.get().and_then(|e| e.field_value("role").map(|v| v == r.code())).unwrap_or(false);
                        view! { <option value=r.code() selected=kept>{t(r.text())}</option> }
                    })
                    .collect_view();
                let role_error = move || error.get().and_then(|e| e.field_text("role", crate::i18n::current_locale()));
                view! {
                    <Title text=a.display_name.clone()/>
                    {notice.map(|n| view! { <div class="notice notice--success" role="status" data-testid="done">{t(n)}</div> })}
                    <h1 class="heading-xl">{a.display_name.clone()}</h1>
                    <dl class="summary-list">
                        {row(Text::NewAccountUsername, a.username.clone())}
                        {row(Text::NewAccountEmail, a.email.clone())}
                        <div class="summary-list__row"><dt>{t(Text::PersonAccountPerson)}</dt><dd>{match a.person.clone() {
                            Some((id, name)) => view! { <a href=format!("/staff/people/{id}")>{name}</a> }.into_any(),
                            None => "–".into_any(),
                        }}</dd></div>
                    </dl>
                    {confirm}
                    <h2 class="heading-l">{t(Text::AccountRoles)}</h2>
                    <table class="table table--responsive" data-testid="grants">
                        <thead><tr>
                            <th scope="col">{t(Text::AccountRoles)}</th>
                            <th scope="col">{t(Text::AccountRoleScope)}</th>
                            <th scope="col">{t(Text::AccountRoleSince)}</th>
                            <th scope="col"><span class="visually-hidden">{t(Text::Actions)}</span></th>
                        </tr></thead>
                        <tbody>{grants}</tbody>
                    </table>
                    <section class="panel narrow" aria-labelledby="grant-title">
                        <h2 class="heading-m" id="grant-title">{t(Text::AccountGrant)}</h2>
                        <ErrorSummary error/>
                        <ActionForm action=grant attr:novalidate="novalidate">
                            <input type="hidden" name="account_id" value=a.id.clone()/>
                            <div class="form-group" class:form-group--error=move || role_error().is_some()>
                                <label class="label" for="role">{t(Text::NewAccountRole)}</label>
                                {move || role_error().map(|m| view! { <p class="error-message">{m}</p> })}
                                <select class="select" id="role" name="role">{options}</select>
                            </div>
                            <TextField name="orgnr" label=Text::CompanyOrgnr hint=Text::AccountGrantOrgnrHint error autocomplete="off"/>
                            <TextField name="pnr" label=Text::PersonPnr hint=Text::AccountGrantPnrHint error autocomplete="off"/>
                            <button type="submit" class="button">{t(Text::AccountGrant)}</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
