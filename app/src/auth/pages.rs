use super::api::{
    ChangePassword, ForgotPassword, Login, LogoutEverywhere, ResetPassword, security_events, whoami,
};
use crate::i18n::{Text, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::{ErrorSummary, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login`: username or email, and password.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    let query = use_query_map();
    let after_reset = move || query.read().get("reset").is_some();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text=t(Text::LoginTitle)/>
        <div class="narrow">
            <h1 class="heading-xl">{t(Text::LoginTitle)}</h1>
            <Show when=after_reset>
                <div class="notice notice--success" role="status" data-testid="reset-done">{t(Text::ResetDone)}</div>
            </Show>
            <ErrorSummary error/>
            <ActionForm action=login attr:novalidate="novalidate">
                <input type="hidden" name="next" value=next/>
                <TextField name="username" label=Text::LoginUsernameLabel hint=Text::LoginUsernameHint
                    error autocomplete="username"/>
                <TextField name="password" label=Text::LoginPasswordLabel hint=Text::LoginPasswordHint
                    error input_type="password" autocomplete="current-password"/>
                <button type="submit" class="button">{t(Text::LoginSubmit)}</button>
            </ActionForm>
            <p class="body"><a href="/forgot-password">{t(Text::LoginForgot)}</a></p>
        </div>
    }
}

/// `/account`: who is signed in, change password, sign out everywhere.
#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<LogoutEverywhere>::new();
    let me = Resource::new(|| (), |_| whoami());
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    // A changed password comes back to `/account?changed=1`.
    let query = use_query_map();
    let changed = move || query.read().get("changed").is_some();
    view! {
        <Title text=t(Text::AccountTitle)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => view! {
                        <h1 class="heading-xl">{t(Text::AccountTitle)}</h1>
                        <p class="lead">{user.display_name.clone()}" ("{user.username.clone()}")"</p>

                        <section class="panel" aria-labelledby="password-title">
                            <h2 id="password-title" class="heading-m">{t(Text::PasswordChangeTitle)}</h2>
                            <PasswordRules/>
                            <ErrorSummary error/>
                            <Show when=changed>
                                <div class="notice notice--success" role="status">{t(Text::PasswordChanged)}</div>
                            </Show>
                            <ActionForm action=change attr:novalidate="novalidate">
                                <TextField name="current" label=Text::PasswordCurrentLabel error
                                    input_type="password" autocomplete="current-password"/>
                                <TextField name="new" label=Text::PasswordNewLabel error
                                    input_type="password" autocomplete="new-password"/>
                                <TextField name="confirm" label=Text::PasswordConfirmLabel error
                                    input_type="password" autocomplete="new-password"/>
                                <button type="submit" class="button">{t(Text::PasswordChangeSubmit)}</button>
                            </ActionForm>
                        </section>

                        <section aria-labelledby="sessions-title">
                            <h2 id="sessions-title" class="heading-m">{t(Text::LogoutEverywhereTitle)}</h2>
                            <p class="body">{t(Text::LogoutEverywhereText)}</p>
                            <ActionForm action=everywhere>
                                <button type="submit" class="button button--secondary">{t(Text::LogoutEverywhereSubmit)}</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                    Ok(None) => view! { <ErrorPage error=crate::error::AppError::Unauthorized/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/forgot-password`: asks for a reset link. The answer never tells whether the account exists.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let forgot = ServerAction::<ForgotPassword>::new();
    let error = Signal::derive(move || forgot.value().get().and_then(Result::err));
    let query = use_query_map();
    // A refusal after an earlier sending replaces its notice: one answer at a time.
    let sent = move || query.read().get("sent").is_some() && error.get().is_none();
    view! {
        <Title text=t(Text::ForgotTitle)/>
        <div class="narrow">
            <h1 class="heading-xl">{t(Text::ForgotTitle)}</h1>
            <p class="body">{t(Text::ForgotLead)}</p>
            <ErrorSummary error/>
            <Show when=sent>
                <div class="notice notice--success" role="status" data-testid="forgot-sent">{t(Text::ForgotSent)}</div>
            </Show>
            <ActionForm action=forgot attr:novalidate="novalidate">
                <TextField name="username" label=Text::LoginUsernameLabel error autocomplete="username"/>
                <button type="submit" class="button">{t(Text::ForgotSubmit)}</button>
            </ActionForm>
        </div>
    }
}

/// `/reset-password?token=...`: the page the emailed link opens.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let reset = ServerAction::<ResetPassword>::new();
    let error = Signal::derive(move || reset.value().get().and_then(Result::err));
    let link_error = move || {
        error
            .get()
            .and_then(|e| e.field_text("token", crate::i18n::current_locale()))
    };
    view! {
        <Title text=t(Text::ResetTitle)/>
        <div class="narrow">
            <h1 class="heading-xl">{t(Text::ResetTitle)}</h1>
            <ErrorSummary error/>
            {move || link_error().map(|_| view! {
                <p class="body"><a href="/forgot-password">{t(Text::ResetRequestNew)}</a></p>
            })}
            <PasswordRules/>
            <ActionForm action=reset attr:novalidate="novalidate">
                <input type="hidden" name="token" value=token/>
                <TextField name="new" label=Text::PasswordNewLabel error input_type="password"
                    autocomplete="new-password"/>
                <TextField name="confirm" label=Text::PasswordConfirmLabel error input_type="password"
                    autocomplete="new-password"/>
                <button type="submit" class="button">{t(Text::ResetSubmit)}</button>
            </ActionForm>
        </div>
    }
}

/// The password rules, listed above a form that sets a password.
#[component]
fn PasswordRules() -> impl IntoView {
    view! {
        <ul class="list hint">
            <li>{t(Text::PasswordRuleLength)}</li>
            <li>{t(Text::PasswordRuleUpper)}</li>
            <li>{t(Text::PasswordRuleLower)}</li>
            <li>{t(Text::PasswordRuleDigitOrSpecial)}</li>
            <li>{t(Text::PasswordRuleHistory)}</li>
        </ul>
    }
}

/// The kinds of security event, as the log's filter offers them, with their names.
const SECURITY_KINDS: [(&str, Text); 9] = [
    ("login_failed", Text::SecurityKindLoginFailed),
    ("login_locked", Text::SecurityKindLoginLocked),
    ("reset_requested", Text::SecurityKindResetRequested),
    ("rate_limited", Text::SecurityKindRateLimited),
    ("unauthorized", Text::SecurityKindUnauthorized),
    ("forbidden", Text::SecurityKindForbidden),
    ("cross_site", Text::SecurityKindCrossSite),
    ("role_granted", Text::SecurityKindRoleGranted),
    ("role_revoked", Text::SecurityKindRoleRevoked),
];

fn security_kind(code: &str) -> String {
    SECURITY_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(_, text)| t(*text).to_string())
}

/// `/staff/security`: the security log, for staff.
#[component]
pub fn SecurityPage() -> impl IntoView {
    use crate::ui::format::short_time;
    use crate::ui::summary::Pagination;
    let query = use_query_map();
    let kind = move || query.read().get("kind").filter(|k| !k.is_empty());
    let page = move || query.read().get("page").and_then(|p| p.parse().ok());
    let data = Resource::new(move || (kind(), page()), |(k, p)| security_events(k, p));
    view! {
        <Title text=t(Text::SecurityTitle)/>
        <h1 class="heading-xl">{t(Text::SecurityTitle)}</h1>
        <p class="lead">{t(Text::SecurityLead)}</p>
        <form method="get" action="/staff/security" class="filters">
            <div class="form-group">
                <label class="label" for="kind">{t(Text::SecurityColKind)}</label>
                <select class="select" id="kind" name="kind">
                    <option value="">{t(Text::SecurityFilterAll)}</option>
                    {SECURITY_KINDS.iter().map(|(k, text)| view! {
                        <option value=*k selected=move || kind().as_deref() == Some(*k)>{t(*text)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button button--secondary">{t(Text::CertFilter)}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) if p.items.is_empty() => view! { <p class="body empty-state">{t(Text::SecurityEmpty)}</p> }.into_any(),
                    Ok(p) => {
                        let base = format!(
                            "/staff/security?kind={}&",
                            crate::ui::format::encode_component(&kind().unwrap_or_default())
                        );
                        let rows = p.items.into_iter().map(|e| view! {
                            <tr>
                                <td data-label=t(Text::SecurityColAt)>{short_time(&e.at)}</td>
                                <td data-label=t(Text::SecurityColKind)>{security_kind(&e.kind)}</td>
                                <td data-label=t(Text::SecurityColWho)>{e.label}</td>
                                <td data-label=t(Text::SecurityColIp)>{e.ip.unwrap_or_default()}</td>
                                <td data-label=t(Text::SecurityColDetail)>{e.detail}</td>
                            </tr>
                        }).collect_view();
                        view! {
                            <table class="table table--responsive" data-testid="security-events">
                                <thead><tr>
                                    <th scope="col">{t(Text::SecurityColAt)}</th>
                                    <th scope="col">{t(Text::SecurityColKind)}</th>
                                    <th scope="col">{t(Text::SecurityColWho)}</th>
                                    <th scope="col">{t(Text::SecurityColIp)}</th>
                                    <th scope="col">{t(Text::SecurityColDetail)}</th>
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
