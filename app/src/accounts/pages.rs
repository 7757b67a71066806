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
                        let role_error = move || error.get().and_then(|e| e.field_message("role").map(str::to_owned));
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
