//! The holder's "Utför årlig förlängning" and the attester's pages. The attester's pages are
//! made for a phone and work without JavaScript: the signing page reloads itself every second
//! without it, and asks the server every second with it.

use super::api::{
    CancelAttestation, CancelSigning, InviteAttester, ResendAttestation, SignPage as SignState,
    StartAttestation, attestation_link, attestation_status, pending_attestation,
};
use super::model::{Closed, Link, PendingRequest, SignOutcome, Signing, Target};
use crate::certificates::api::get_certificate;
use crate::i18n::{Text, current_locale, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::{ErrorSummary, TextField};
use crate::ui::islands::LiveRefresh;
use crate::ui::summary::row;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn param(name: &'static str) -> impl Fn() -> String + Copy {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

/// `/certificates/:id/extend`: the attester's email, with the manual's notes.
#[component]
pub fn ExtendPage() -> impl IntoView {
    let id = param("id");
    let data = Resource::new(id, |id| get_certificate(id, None));
    let invite = ServerAction::<InviteAttester>::new();
    let error = Signal::derive(move || invite.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::CertExtend)/>
        <div class="narrow">
            <h1 class="heading-xl">{t(Text::CertExtend)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => {
                            let c = v.certificate;
                            let back = format!("/certificates/{}", c.id);
                            view! {
                                <p class="body lead" data-testid="extend-certificate">
                                    {current_locale().format(Text::ExtendCertificate, &[("holder", &v.holder), ("area", c.technical_area.get(current_locale())), ("scheme", c.scheme.get(current_locale())), ("number", &c.number)])}
                                </p>
                                <p class="body">{t(Text::ExtendInfo)}</p>
                                <div class="notice notice--warning"><strong>{t(Text::ExtendWarning)}</strong></div>
                                <p class="body">{t(Text::ExtendLead)}</p>
                                <ul class="list list--bullet">
                                    <li>{t(Text::ExtendNoteOwn)}</li>
                                    <li>{t(Text::ExtendNotePosition)}</li>
                                </ul>
                                <ErrorSummary error/>
                                <ActionForm action=invite attr:novalidate="novalidate">
                                    <input type="hidden" name="certificate_id" value=c.id.clone()/>
                                    <TextField name="email" label=Text::ExtendEmail hint=Text::ExtendEmailHint
                                        error input_type="email" autocomplete="email" required=true/>
                                    <div class="button-group">
                                        <button type="submit" class="button">{t(Text::Save)}</button>
                                        <a href=back class="button button--secondary">{t(Text::Cancel)}</a>
                                    </div>
                                </ActionForm>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// `/certificates/:id/cancel-request`: the confirmation before a request is cancelled.
#[component]
pub fn CancelRequestPage() -> impl IntoView {
    let id = param("id");
    let data = Resource::new(id, pending_attestation);
    let cancel = ServerAction::<CancelAttestation>::new();
    let error = Signal::derive(move || cancel.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::ExtendCancel)/>
        <div class="narrow">
            <h1 class="heading-xl">{t(Text::ExtendCancel)}</h1>
            <ErrorSummary error/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(pending) => {
                            let back = format!("/certificates/{}", id());
                            match pending {
                                Some(p) => view! {
                                    <p class="body">{current_locale().format(Text::ExtendCancelConfirm, &[("email", &p.email)])}</p>
                                    <div class="button-group">
                                        <ActionForm action=cancel attr:class="inline-form">
                                            <input type="hidden" name="certificate_id" value=id()/>
                                            <button type="submit" class="button button--warning" data-testid="confirm-cancel">{t(Text::ExtendCancel)}</button>
                                        </ActionForm>
                                        <a href=back class="button button--secondary">{t(Text::Back)}</a>
                                    </div>
                                }.into_any(),
                                None => view! {
                                    <p class="body">{t(Text::ExtendNonePending)}</p>
                                    <p class="body"><a href=back class="back-link">{t(Text::Back)}</a></p>
                                }.into_any(),
                            }
                        }
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// What is attested: the manual's "Certifikat som förlängs", number and person.
#[component]
fn TargetFacts(target: Target) -> impl IntoView {
    view! {
        <dl class="summary-list" data-testid="attest-target">
            {row(Text::AttestCertificate, format!("{} {}", target.technical_area.get(current_locale()), target.scheme.get(current_locale())))}
            {row(Text::CertNumber, target.number)}
            {row(Text::AttestPerson, target.person)}
        </dl>
    }
}

#[component]
fn ClosedLink(closed: Closed) -> impl IntoView {
    view! {
        <h1 class="heading-l">{t(Text::AttestLinkTitle)}</h1>
        <div class="notice notice--warning" role="alert" data-testid="link-closed">{t(closed.text())}</div>
    }
}

/// What a completed signature did, in words: attested (to which date), or why nothing was.
#[component]
fn SignDone(outcome: SignOutcome, back: String) -> impl IntoView {
    let locale = current_locale();
    match outcome {
        SignOutcome::Attested { to, test, .. } => view! {
            <h1 class="heading-l">{t(Text::SignDoneTitle)}</h1>
            <div class="notice notice--success" role="status" data-testid="attest-done">
                {locale.format(Text::SignDoneBody, &[("date", &to)])}
            </div>
            {test.then(|| view! { <p class="body tag tag--grey" data-testid="test-signature">{t(Text::TestSignatureNote)}</p> })}
        }
        .into_any(),
        other => {
            let why = match other {
                SignOutcome::NotAttested(reason) => reason.message(locale),
                SignOutcome::LinkClosed => t(Text::SignOutcomeLinkClosed).to_owned(),
                _ => t(Text::SignOutcomeWrongSigner).to_owned(),
            };
            let retry = matches!(other, SignOutcome::WrongSigner);
            view! {
                <h1 class="heading-l">{t(Text::SignNotDoneTitle)}</h1>
                <div class="notice notice--warning" role="alert" data-testid="attest-not-done">
                    <strong>{t(Text::SignNotDoneLead)}</strong>" "{why}
                </div>
                {retry.then(|| view! { <a href=back class="button">{t(Text::SignRetry)}</a> })}
            }
            .into_any()
        }
    }
}

/// The manual's "Vid frågor ... kontakta": how to reach the certification body.
#[component]
fn BodyContact() -> impl IntoView {
    let contact = Resource::new(|| (), |_| crate::attestations::api::body_contact());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                contact.await.ok().map(|(name, how)| view! {
                    <p class="body hint" data-testid="body-contact">
                        {current_locale().format(Text::EmailQuestions, &[("body", &name), ("contact", &how)])}
                    </p>
                })
            })}
        </Suspense>
    }
}

/// `/attest/:token`: the attester's page from the email.
#[component]
pub fn AttesterPage() -> impl IntoView {
    let token = param("token");
    let data = Resource::new(token, attestation_link);
    let start = ServerAction::<StartAttestation>::new();
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::AttestTitle)/>
        <div class="narrow">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(Link::Open(target)) if target.not_now.is_some() => view! {
                            <h1 class="heading-l">{t(Text::AttestTitle)}</h1>
                            <div class="notice notice--warning" role="alert" data-testid="not-now">
                                <strong>{t(Text::AttestNotNow)}</strong>" "{target.not_now.as_ref().map(|m| current_locale().msg(m))}
                            </div>
                            <TargetFacts target/>
                            <BodyContact/>
                        }.into_any(),
                        Ok(Link::Open(target)) => view! {
                            <h1 class="heading-l">{t(Text::AttestTitle)}</h1>
                            <TargetFacts target/>
                            <ErrorSummary error/>
                            <ActionForm action=start attr:novalidate="novalidate">
                                <input type="hidden" name="token" value=token()/>
                                <TextField name="pnr" label=Text::AttestPnr hint=Text::AttestPnrHint error
                                    input_type="text" required=true/>
                                <TextField name="name" label=Text::AttestName error autocomplete="name" required=true/>
                                <TextField name="position" label=Text::AttestPosition error
                                    autocomplete="organization-title" required=true/>
                                <button type="submit" class="button">{t(Text::Save)}</button>
                            </ActionForm>
                            <BodyContact/>
                        }.into_any(),
                        Ok(Link::Closed(closed)) => view! { <ClosedLink closed/> <BodyContact/> }.into_any(),
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// `/attest/:token/sign`: BankID's QR code and same-device link, its messages, and the end.
#[component]
pub fn SignPage() -> impl IntoView {
    let token = param("token");
    let data = Resource::new(token, attestation_status);
    let cancel = ServerAction::<CancelSigning>::new();
    view! {
        <Title text=t(Text::SignTitle)/>
        <div class="narrow">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(SignState::Open(v)) => {
                            let back = format!("/attest/{}", token());
                            let body = match v.signing {
                                Signing::Pending { message, qr_svg, qr_content, app_link } => view! {
                                    // The page follows the signing: with JavaScript it fetches itself
                                    // every second; without, it reloads itself. (The refresh is set
                                    // as HTML, since a browser with JavaScript keeps it as text.)
                                    <LiveRefresh every_ms=1000/>
                                    <noscript inner_html=r#"<meta http-equiv="refresh" content="1">"#></noscript>
                                    <h1 class="heading-l">{t(Text::SignTitle)}</h1>
                                    <p class="body lead" role="status" data-testid="bankid-message" data-live="message">{message}</p>
                                    <a href=app_link class="button bankid-open" data-testid="bankid-open">{t(Text::SignOpenApp)}</a>
                                    <h2 class="heading-s">{t(Text::SignQrTitle)}</h2>
                                    <p class="body">{t(Text::SignQrHelp)}</p>
                                    <img class="bankid-qr" src=qr_svg alt=t(Text::SignQrTitle) width="220" height="220"
                                        data-testid="bankid-qr" data-qr=qr_content data-live="qr"/>
                                    <ActionForm action=cancel attr:class="bankid-cancel">
                                        <input type="hidden" name="token" value=token()/>
                                        <button type="submit" class="button button--secondary">{t(Text::SignCancel)}</button>
                                    </ActionForm>
                                }.into_any(),
                                Signing::Failed { message } => view! {
                                    <h1 class="heading-l">{t(Text::SignTitle)}</h1>
                                    <div class="notice notice--warning" role="alert" data-testid="bankid-message">{message}</div>
                                    <a href=back class="button">{t(Text::SignRetry)}</a>
                                }.into_any(),
                                Signing::Done(outcome) => view! { <SignDone outcome back=back.clone()/> }.into_any(),
                                Signing::None => view! {
                                    <h1 class="heading-l">{t(Text::SignTitle)}</h1>
                                    <p class="body" data-testid="bankid-message">{t(Text::SignNone)}</p>
                                    <a href=back class="button">{t(Text::SignRetry)}</a>
                                }.into_any(),
                            };
                            view! { {body} <TargetFacts target=v.target/> <BodyContact/> }.into_any()
                        }
                        Ok(SignState::Closed(closed)) => view! { <ClosedLink closed/> <BodyContact/> }.into_any(),
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// The certificate page's panel of the holder's request waiting for its attester, if one
/// waits; for `crate::routes` to give to the certificate page.
pub fn pending_panel(certificate_id: String) -> AnyView {
    view! { <PendingPanel certificate_id/> }.into_any()
}

#[component]
fn PendingPanel(certificate_id: String) -> impl IntoView {
    let id = certificate_id.clone();
    let data = Resource::new(move || id.clone(), pending_attestation);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let id = certificate_id.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(Some(pending)) => view! { <PendingRequestBox id pending/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <ErrorPage error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The holder's request waiting for its attester: to whom, when, until when; "Skicka igen"
/// and "Avbryt förfrågan" (which asks first).
#[component]
fn PendingRequestBox(id: String, pending: PendingRequest) -> impl IntoView {
    let resend = ServerAction::<ResendAttestation>::new();
    let error = Signal::derive(move || resend.value().get().and_then(Result::err));
    let cancel = format!("/certificates/{id}/cancel-request");
    view! {
        <section class="panel" data-testid="pending-request">
            <h2 class="heading-m">{t(Text::ExtendPendingTitle)}</h2>
            <ErrorSummary error/>
            <dl class="summary-list">
                {row(Text::ExtendPendingTo, pending.email)}
                {row(Text::ExtendPendingSent, pending.sent_at)}
                {row(Text::ExtendPendingValid, pending.expires_at)}
            </dl>
            <div class="button-group">
                <ActionForm action=resend attr:class="inline-form">
                    <input type="hidden" name="certificate_id" value=id/>
                    <button type="submit" class="button button--secondary" data-testid="resend">{t(Text::ExtendResend)}</button>
                </ActionForm>
                <a href=cancel class="button button--warning">{t(Text::ExtendCancel)}</a>
            </div>
        </section>
    }
}
