//! `/verify` and `/verify/:number` (the QR code's target): what anyone may know of a
//! certificate, and "Kontrollera en PDF". On the certificate's own page: the holder's
//! "Publicerad" and staff's suspension and revocation.

use super::api::{ChangeStatus, Publish, pdf_checked, public_certificate};
use super::model::{PdfVerdict, PublicCertificate, Status};
use crate::i18n::{Text, current_locale, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::{ErrorSummary, TextArea};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The largest PDF "Kontrollera en PDF" reads, in megabytes.
pub const PDF_MAX_MB: usize = 10;

/// What the status means today, in a sentence.
fn now_text(status: Status) -> Text {
    match status {
        Status::Active => Text::VerifyNowActive,
        Status::Inactive => Text::VerifyNowInactive,
        Status::Suspended => Text::VerifyNowSuspended,
        Status::Revoked => Text::VerifyNowRevoked,
        Status::Expired => Text::VerifyNowExpired,
    }
}

/// What "Kontrollera en PDF" found, in a sentence and a colour.
pub fn verdict_view(verdict: PdfVerdict) -> impl IntoView {
    let locale = current_locale();
    let (good, text) = match &verdict {
        PdfVerdict::Genuine {
            number,
            printed_status,
            printed_on,
            status_now,
        } => {
            // A genuine PDF of a certificate that no longer holds is no good news.
            let now = match status_now {
                Status::Active => t(Text::VerifyPdfValidNow).to_owned(),
                other => locale.format(
                    Text::VerifyPdfNotValidNow,
                    &[("status", locale.text(other.text()))],
                ),
            };
            (
                *status_now == Status::Active,
                format!(
                    "{} {now}",
                    locale.format(
                        Text::VerifyPdfGenuine,
                        &[
                            ("date", printed_on),
                            ("number", number),
                            ("status", locale.text(printed_status.text())),
                        ],
                    )
                ),
            )
        }
        PdfVerdict::CourseStatement {
            code,
            printed_on,
            withdrawn,
        } => (
            !withdrawn,
            format!(
                "{} {}",
                locale.format(
                    Text::VerifyPdfCourseStatement,
                    &[("code", code), ("date", printed_on)]
                ),
                t(if *withdrawn {
                    Text::VerifyPdfCourseWithdrawn
                } else {
                    Text::VerifyPdfCourseValid
                })
            ),
        ),
        PdfVerdict::Unknown => (false, t(Text::VerifyPdfUnknown).to_owned()),
        PdfVerdict::Altered => (false, t(Text::VerifyPdfAltered).to_owned()),
        PdfVerdict::Extended => (false, t(Text::VerifyPdfExtended).to_owned()),
        PdfVerdict::NotOurs => (false, t(Text::VerifyPdfNotOurs).to_owned()),
        PdfVerdict::NotSigned => (false, t(Text::VerifyPdfNotSigned).to_owned()),
        PdfVerdict::Missing => (false, t(Text::VerifyPdfMissing).to_owned()),
        PdfVerdict::TooLarge => (
            false,
            locale.format(Text::VerifyPdfTooLarge, &[("max", &PDF_MAX_MB.to_string())]),
        ),
    };
    let class = if good {
        "notice notice--success"
    } else {
        "notice notice--warning"
    };
    view! {
        <div class=class role="status" data-testid="pdf-verdict" data-verdict=verdict.code()>
            <p class="body"><strong>{text}</strong></p>
        </div>
    }
}

/// `/verify` (a number to look up, and a PDF to check) and `/verify/:number`.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let number = move || {
        params
            .read()
            .get("number")
            .or_else(|| query.read().get("number"))
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let data = Resource::new(number, |n| async move {
        if n.is_empty() {
            Ok(None)
        } else {
            public_certificate(n).await
        }
    });
    let checked = Resource::new(
        move || query.read().get("checked"),
        |id| async move {
            match id {
                Some(id) => pdf_checked(id).await.ok().flatten(),
                None => None,
            }
        },
    );
    let max = PDF_MAX_MB.to_string();
    view! {
        <Title text=t(Text::VerifyTitle)/>
        <h1 class="heading-xl">{t(Text::VerifyTitle)}</h1>
        <p class="body">{t(Text::VerifyLead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { checked.await.map(verdict_view) })}
        </Suspense>
        <form method="get" action="/verify" class="filters" role="search">
            <div class="form-group">
                <label class="label" for="number">{t(Text::VerifyNumberLabel)}</label>
                <input class="input" id="number" name="number" maxlength="40" autocomplete="off"
                    value=number() data-testid="verify-number"/>
            </div>
            <button type="submit" class="button">{t(Text::VerifySearch)}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let n = number();
                // Only what looks like a number is said back: the page is one people trust.
                let plausible = n.len() <= 40 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
                let searched = query.read_untracked().get("number").is_some();
                match data.await {
                    Ok(Some(c)) => view! { <PublicCard c/> }.into_any(),
                    Ok(None) if n.is_empty() && searched => view! {
                        <div class="notice notice--warning" role="status" data-testid="verify-not-found">
                            <p class="body">{t(Text::VerifyNumberMissing)}</p>
                        </div>
                    }.into_any(),
                    Ok(None) if n.is_empty() => ().into_any(),
                    // A training provider's course certificate has a code of its own ("K-…").
                    Ok(None) if plausible && n.to_uppercase().starts_with("K-") => view! {
                        <div class="notice" role="status" data-testid="verify-course-code">
                            <p class="body">{t(Text::VerifyCourseCode)}" "
                                <a href=format!("/verify/course/{}", n.to_uppercase())>{format!("/verify/course/{}", n.to_uppercase())}</a></p>
                        </div>
                    }.into_any(),
                    Ok(None) => view! {
                        <div class="notice notice--warning" role="status" data-testid="verify-not-found">
                            <p class="body">{if plausible {
                                current_locale().format(Text::VerifyNotFound, &[("number", &n)])
                            } else {
                                t(Text::VerifyNotFoundPlain).to_owned()
                            }}</p>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
        <h2 class="heading-m" id="pdf">{t(Text::VerifyPdfTitle)}</h2>
        <p class="body">{t(Text::VerifyPdfLead)}</p>
        <p class="body hint">{t(Text::VerifyPdfCourseHint)}</p>
        <form method="post" action="/verify/check" enctype="multipart/form-data" data-testid="pdf-form">
            <div class="form-group">
                <label class="label" for="file">{current_locale().format(Text::VerifyPdfFile, &[("max", &max)])}</label>
                <input class="file-input" type="file" id="file" name="file" accept="application/pdf,.pdf" required/>
            </div>
            <button type="submit" class="button button--secondary" data-testid="pdf-check">{t(Text::VerifyPdfSubmit)}</button>
        </form>
    }
}

/// A certificate as the public sees it.
#[component]
fn PublicCard(c: PublicCertificate) -> impl IntoView {
    use crate::ui::summary::row;
    let locale = current_locale();
    let tag = c.status.tag();
    let history = c
        .history
        .iter()
        .map(|e| view! { <li><span class="hint">{e.on.clone()}</span>" "{e.change.words(locale)}</li> })
        .collect_view();
    let holder = match c.holder.clone() {
        Some(name) => name,
        None => t(Text::VerifyHolderHidden).to_owned(),
    };
    let title = format!(
        "{} - {}",
        c.technical_area.get(locale),
        c.scheme.get(locale)
    );
    view! {
        <section class="verify-card" data-testid="verify-card" data-status=c.status.code()>
            <p class="verify-card__status">
                <strong class=tag data-testid="verify-status">{t(c.status.text())}</strong>
            </p>
            <p class="body"><strong>{t(now_text(c.status))}</strong></p>
            {c.reason.clone().filter(|r| !r.is_empty()).map(|r| view! {
                <p class="body" data-testid="verify-reason">{locale.format(Text::VerifyReasonNow, &[("reason", &r)])}</p>
            })}
            <h2 class="heading-m">{title}</h2>
            <dl class="summary-list" data-testid="verify-facts">
                {row(Text::CertNumber, c.number.clone())}
                {row(Text::VerifyHolder, holder)}
                {row(Text::CertIssuedOn, c.issued_on.clone())}
                {row(Text::CertValidUntil, c.valid_until.clone())}
                {c.extend_by.clone().map(|d| row(Text::CertExtendBy, d))}
            </dl>
            <h3 class="heading-s">{t(Text::VerifyHistory)}</h3>
            <ul class="list" data-testid="verify-history">{history}</ul>
        </section>
    }
}

/// "Publicerad" on the holder's certificate page: whether the public pages name them, and the
/// button that changes it.
#[component]
pub fn PublishSection(id: String, published: bool) -> impl IntoView {
    let action = ServerAction::<Publish>::new();
    let (text, button, next) = if published {
        (Text::VerifyPublishedYes, Text::VerifyUnpublish, "0")
    } else {
        (Text::VerifyPublishedNo, Text::VerifyPublish, "1")
    };
    view! {
        <h2 class="heading-m" id="published">{t(Text::VerifyPublishTitle)}</h2>
        <p class="body" data-testid="published">{t(text)}</p>
        <ActionForm action attr:data-testid="publish-form" attr:class="section-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="publish" value=next/>
            <button type="submit" class="button button--secondary" data-testid="publish">{t(button)}</button>
        </ActionForm>
    }
}

/// Staff's "Avstängning och återkallelse": suspend (active or inactive), lift a suspension,
/// revoke (confirmed; final), each with a reason.
#[component]
pub fn StatusSection(id: String, status: Status) -> impl IntoView {
    let action = ServerAction::<ChangeStatus>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    if status == Status::Revoked {
        return view! {
            <h2 class="heading-m" id="status-section">{t(Text::VerifyStatusTitle)}</h2>
            <p class="body">{t(Text::VerifyRevokedFinal)}</p>
        }
        .into_any();
    }
    let other = if status == Status::Suspended {
        ("reinstate", Text::VerifyReinstate, "reinstate")
    } else {
        ("suspend", Text::VerifySuspend, "suspend")
    };
    view! {
        <h2 class="heading-m" id="status-section">{t(Text::VerifyStatusTitle)}</h2>
        <ErrorSummary error/>
        <ActionForm action attr:novalidate="novalidate" attr:data-testid="status-form">
            <input type="hidden" name="id" value=id/>
            <TextArea name="reason" label=Text::VerifyReason hint=Text::VerifyReasonHint error rows=3/>
            <div class="button-group">
                <button type="submit" class="button button--secondary" name="change" value=other.0
                    data-testid=other.2>{t(other.1)}</button>
            </div>
            // The revocation with its own confirmation, apart from the reversible change.
            <fieldset class="danger-zone">
                <legend class="heading-s">{t(Text::VerifyRevokeTitle)}</legend>
                <div class="form-group" id="confirm">
                    <div class="checkboxes__item">
                        <input class="checkbox" type="checkbox" id="confirm-revoke" name="confirm" value="on"/>
                        <label class="checkboxes__label" for="confirm-revoke">{t(Text::VerifyRevokeConfirm)}</label>
                    </div>
                </div>
                <button type="submit" class="button button--warning" name="change" value="revoke"
                    data-testid="revoke">{t(Text::VerifyRevoke)}</button>
            </fieldset>
        </ActionForm>
    }
    .into_any()
}

/// `/register`: the certified persons who agreed to publication, searched by name or number,
/// certificate and town, a page at a time.
#[component]
pub fn RegisterPage() -> impl IntoView {
    use super::api::register;
    use super::model::RegisterQuery;
    use crate::ui::summary::Pagination;
    let query = use_query_map();
    let current = move || {
        let q = query.read();
        RegisterQuery {
            q: q.get("q").unwrap_or_default(),
            scheme: q.get("scheme").unwrap_or_default(),
            town: q.get("town").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        }
    };
    let data = Resource::new(current, register);
    view! {
        <Title text=t(Text::RegisterTitle)/>
        <h1 class="heading-xl">{t(Text::RegisterTitle)}</h1>
        <p class="body">{t(Text::RegisterLead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let asked = current();
                let enc = crate::ui::format::encode_component;
                match data.await {
                    Ok(p) => {
                        let locale = current_locale();
                        let options = p.schemes.iter().map(|(code, name)| view! {
                            <option value=code.clone() selected=asked.scheme == *code>{name.get(locale).to_owned()}</option>
                        }).collect_view();
                        let base = format!(
                            "/register?q={}&scheme={}&town={}&",
                            enc(&asked.q), enc(&asked.scheme), enc(&asked.town)
                        );
                        let rows = p.items.iter().map(|e| view! {
                            <tr>
                                <td data-label=t(Text::RegisterColName)>{e.holder.clone()}</td>
                                <td data-label=t(Text::CertColScheme)>{format!("{} - {}", e.technical_area.get(locale), e.scheme.get(locale))}</td>
                                <td data-label=t(Text::CertColNumber)>
                                    <a href=format!("/verify/{}", enc(&e.number))>{e.number.clone()}</a>
                                </td>
                                <td data-label=t(Text::CertValidUntil)>{e.valid_until.clone()}</td>
                            </tr>
                        }).collect_view();
                        view! {
                            <form method="get" action="/register" class="filters" role="search">
                                <div class="form-group">
                                    <label class="label" for="q">{t(Text::RegisterQ)}</label>
                                    <input class="input" id="q" name="q" maxlength="100" value=asked.q.clone() data-testid="register-q"/>
                                </div>
                                <div class="form-group">
                                    <label class="label" for="scheme">{t(Text::RegisterScheme)}</label>
                                    <select class="select" id="scheme" name="scheme">
                                        <option value="">{t(Text::RegisterAllSchemes)}</option>
                                        {options}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label class="label" for="town">{t(Text::RegisterTown)}</label>
                                    <input class="input" id="town" name="town" maxlength="100" value=asked.town.clone()/>
                                </div>
                                <button type="submit" class="button">{t(Text::RegisterSearch)}</button>
                            </form>
                            {if p.items.is_empty() {
                                view! {
                                    <div data-testid="register-empty">
                                        {crate::ui::search::empty_state(p.page, format!("{base}page=1"), Text::RegisterEmpty)}
                                    </div>
                                }.into_any()
                            } else {
                                view! {
                                    <table class="table table--responsive" data-testid="register">
                                        <thead><tr>
                                            <th scope="col">{t(Text::RegisterColName)}</th>
                                            <th scope="col">{t(Text::CertColScheme)}</th>
                                            <th scope="col">{t(Text::CertColNumber)}</th>
                                            <th scope="col">{t(Text::CertValidUntil)}</th>
                                        </tr></thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                    <Pagination base=base page=p.page has_next=p.has_next/>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Lägg till på LinkedIn" on the holder's certificate, and the same fields for copying.
#[component]
pub fn LinkedInSection(l: super::linkedin::LinkedIn) -> impl IntoView {
    use crate::ui::summary::row;
    let month = |(y, m): (i32, u32)| format!("{y}-{m:02}");
    let (button, lead) = if l.update {
        (Text::LinkedinUpdate, Text::LinkedinUpdateLead)
    } else {
        (Text::LinkedinAdd, Text::LinkedinLead)
    };
    view! {
        <h2 class="heading-m" id="linkedin">{t(Text::LinkedinTitle)}</h2>
        <p class="body">{t(lead)}</p>
        <p class="body">
            <a href=l.link() class="button button--secondary" target="_blank" rel="noopener noreferrer external"
                data-testid="linkedin">{t(button)}</a>
        </p>
        <dl class="summary-list" data-testid="linkedin-fields">
            {row(Text::LinkedinName, l.name.clone())}
            {row(Text::LinkedinOrg, l.organization_id.clone().map(|id| format!("{} ({id})", l.organization)).unwrap_or_else(|| l.organization.clone()))}
            {row(Text::LinkedinIssued, month(l.issued))}
            {l.expires.map(|e| row(Text::LinkedinExpires, month(e)))}
            {row(Text::LinkedinId, l.id.clone())}
            {row(Text::LinkedinUrl, l.url.clone())}
        </dl>
    }
}
