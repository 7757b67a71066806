//! The training pages: a provider's public profile (`/providers/:id`), the providers' list for
//! staff, the provider's workspace (`/provider`), a course (`/provider/courses/:id`) and a
//! booking (`/provider/bookings/:id`), a company's bookings (`/companies/:id/training`), the
//! participant's own (`/my/training`) and a course certificate's public page
//! (`/verify/course/:code`). Plain forms; each works without JavaScript.

use super::api::*;
use super::model::*;
use crate::i18n::{Text, current_locale, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::{ErrorSummary, TextArea, TextField};
use crate::ui::summary::{Pagination, row};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The banner of what the last form did (`?done=`), unless it came back refused.
fn done_notice(texts: &[(&str, Text)]) -> Option<AnyView> {
    let q = use_query_map();
    let q = q.read_untracked();
    if q.get("__err").is_some() {
        return None;
    }
    // What changed nothing is told plainly, not as a success.
    let neutral: Vec<&str> = texts
        .iter()
        .map(|(code, _)| *code)
        .filter(|code| *code == "unchanged" || code.starts_with("already"))
        .collect();
    crate::ui::summary::done_notice(q.get("done").as_deref(), texts, &neutral)
}

fn status_tag(s: Status) -> impl IntoView {
    view! { <strong class=s.tag() data-testid="booking-status">{t(s.text())}</strong> }
}

fn course_when(c: &Course) -> String {
    c.starts_on
        .clone()
        .unwrap_or_else(|| t(Text::CourseOnRequest).to_owned())
}

fn course_price(c: &Course) -> String {
    c.price
        .map(|p| current_locale().format(Text::CoursePriceValue, &[("price", &p.to_string())]))
        .unwrap_or_default()
}

/// `/providers/:id`: name, description, LinkedIn, courses and reviews.
#[component]
pub fn ProviderProfilePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        provider_profile,
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => profile_view(p).into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn profile_view(p: Profile) -> impl IntoView {
    let pr = p.provider.clone();
    let courses = p
        .courses
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <td data-label=t(Text::CourseTitle)>{c.title.clone()}</td>
                    <td class="nowrap" data-label=t(Text::CourseStartsOn)>{course_when(c)}</td>
                    <td data-label=t(Text::CoursePrice)>{course_price(c)}</td>
                    <td data-label=t(Text::CourseCertification)>{if c.certification.is_empty() { "–".to_owned() } else { c.certification.clone() }}</td>
                </tr>
            }
        })
        .collect_view();
    let reviews = p
        .reviews
        .iter()
        .map(|r| {
            view! {
                <li class="review" data-testid="review">
                    <p class="body"><span class="stars" aria-label=current_locale().format(Text::ReviewStarsLabel, &[("n", &r.rating.to_string())])>{stars(r.rating)}</span>" "
                        <span class="hint">{format!("{} · {}", r.course, r.on)}</span></p>
                    {(!r.text.is_empty()).then(|| view! { <p class="body">{r.text.clone()}</p> })}
                </li>
            }
        })
        .collect_view();
    let linkedin = (!pr.linkedin_org_id.is_empty()).then(|| {
        let href = format!("https://www.linkedin.com/company/{}", pr.linkedin_org_id);
        view! { <p class="body"><a href=href rel="noopener noreferrer external" data-testid="provider-linkedin">{t(Text::ProviderLinkedinPage)}</a></p> }
    });
    view! {
        <Title text=pr.name.clone()/>
        {done_notice(&[("created", Text::ProviderCreated)])}
        <p class="body hint">{t(Text::ProviderCaption)}</p>
        {pr.logo.clone().map(|src| view! { <p class="body"><img class="provider-logo" src=src alt=t(Text::LogoAlt) data-testid="logo"/></p> })}
        <h1 class="heading-xl" data-testid="provider-name">{pr.name.clone()}</h1>
        {p.editable.then(|| view! {
            <p class="body"><a class="button button--secondary" href=format!("/provider?provider_id={}", pr.id) data-testid="workspace-link">{t(Text::ProviderWorkspace)}</a></p>
        })}
        {(!pr.description.is_empty()).then(|| view! { <p class="body pre-line">{pr.description.clone()}</p> })}
        {(!pr.website.is_empty()).then(|| view! { <p class="body"><a href=pr.website.clone() rel="noopener noreferrer external">{pr.website.clone()}</a></p> })}
        {linkedin}
        <h2 class="heading-m">{t(Text::ProviderCourses)}</h2>
        {if p.courses.is_empty() {
            view! { <p class="body empty-state">{t(Text::ProviderNoCourses)}</p> }.into_any()
        } else {
            view! {
                <table class="table table--responsive" data-testid="courses">
                    <thead><tr>
                        <th scope="col">{t(Text::CourseTitle)}</th>
                        <th scope="col">{t(Text::CourseStartsOn)}</th>
                        <th scope="col">{t(Text::CoursePrice)}</th>
                        <th scope="col">{t(Text::CourseCertification)}</th>
                    </tr></thead>
                    <tbody>{courses}</tbody>
                </table>
            }.into_any()
        }}
        <h2 class="heading-m">{t(Text::ProviderReviews)}</h2>
        {p.average.map(|a| view! {
            <p class="body" data-testid="average">{{
                let locale = current_locale();
                let comma = if locale == crate::i18n::Locale::Sv { "," } else { "." };
                locale.format(Text::ProviderAverage, &[("avg", &format!("{}{comma}{}", a / 10, a % 10)), ("n", &p.reviews.len().to_string())])
            }}</p>
        })}
        {if p.reviews.is_empty() {
            view! { <p class="body empty-state">{t(Text::ProviderNoReviews)}</p> }.into_any()
        } else {
            view! { <ul class="list reviews" data-testid="reviews">{reviews}</ul> }.into_any()
        }}
    }
}

/// `/staff/providers`: every provider; body administrators add one.
#[component]
pub fn ProvidersPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| providers());
    let create = ServerAction::<CreateProvider>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::ProvidersTitle)/>
        <h1 class="heading-xl">{t(Text::ProvidersTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((list, may_add)) => {
                        let rows = list.iter().map(|p| view! {
                            <tr>
                                <td data-label=t(Text::ProviderName)><a href=format!("/providers/{}", p.id)>{p.name.clone()}</a></td>
                                <td data-label=t(Text::CompanyOrgnr)>{p.orgnr.clone()}</td>
                                <td data-label=t(Text::ProviderWorkspace)><a href=format!("/provider?provider_id={}", p.id)>{t(Text::ProviderWorkspace)}</a></td>
                            </tr>
                        }).collect_view();
                        view! {
                            {if list.is_empty() {
                                view! { <p class="body empty-state">{t(Text::ProvidersEmpty)}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="table table--responsive" data-testid="providers">
                                        <thead><tr>
                                            <th scope="col">{t(Text::ProviderName)}</th>
                                            <th scope="col">{t(Text::CompanyOrgnr)}</th>
                                            <th scope="col"><span class="visually-hidden">{t(Text::Actions)}</span></th>
                                        </tr></thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                }.into_any()
                            }}
                            {may_add.then(|| view! {
                                <h2 class="heading-m">{t(Text::ProviderAdd)}</h2>
                                <p class="body hint">{t(Text::ProviderAddHint)}</p>
                                <ErrorSummary error/>
                                <ActionForm action=create attr:novalidate="novalidate" attr:data-testid="provider-form">
                                    <TextField name="orgnr" label=Text::CompanyOrgnr error/>
                                    <TextField name="name" label=Text::ProviderName error/>
                                    <div class="button-group">
                                        <button type="submit" class="button" data-testid="add-provider">{t(Text::ProviderAdd)}</button>
                                    </div>
                                </ActionForm>
                            })}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/provider`: the provider's profile, courses and bookings.
#[component]
pub fn WorkspacePage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("provider_id").unwrap_or_default(),
                q.get("status").unwrap_or_default(),
                q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32),
                q.get("done"),
            )
        },
        |(id, status, page, _)| provider_workspace(id, status, page),
    );
    let profile = ServerAction::<SaveProfile>::new();
    let profile_error = Signal::derive(move || profile.value().get().and_then(Result::err));
    let new_course = ServerAction::<SaveCourse>::new();
    let course_error = Signal::derive(move || new_course.value().get().and_then(Result::err));
    let invite = ServerAction::<InviteParticipant>::new();
    let invite_error = Signal::derive(move || invite.value().get().and_then(Result::err));
    let withdraw_invite = ServerAction::<WithdrawInvite>::new();
    let withdraw_invite_error =
        Signal::derive(move || withdraw_invite.value().get().and_then(Result::err));
    let remove_logo = ServerAction::<RemoveLogo>::new();
    view! {
        <Title text=t(Text::ProviderWorkspace)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(w) => {
                        let id = w.provider.id.clone();
                        let status = query.read_untracked().get("status").unwrap_or_default();
                        let filter = status_filter(&id, &status);
                        let paging = format!("/provider?provider_id={id}&status={status}&");
                        let (course_provider, profile_id) = (id.clone(), id.clone());
                        let bookings = bookings_table(&w.bookings.items, true, "provider-bookings");
                        let logo = logo_section(&w.provider, remove_logo);
                        let courses = courses_table(&w.courses);
                        view! {
                            <p class="body hint">{t(Text::ProviderWorkspace)}</p>
                            <h1 class="heading-xl">{w.provider.name.clone()}</h1>
                            {done_notice(&[
                                ("saved", Text::ProviderSaved),
                                ("unchanged", Text::NothingChanged),
                                ("invited", Text::InviteSent),
                                ("already_invited", Text::InviteAlready),
                                ("invite_withdrawn", Text::InviteWithdrawn),
                                ("logo_set", Text::LogoSet),
                                ("already_logo", Text::LogoAlready),
                                ("logo_removed", Text::LogoRemoved),
                            ])}
                            <p class="body"><a href=format!("/providers/{id}") data-testid="profile-link">{t(Text::ProviderPublicProfile)}</a></p>
                            <h2 class="heading-l" id="bookings">{t(Text::BookingsTitle)}</h2>
                            {(w.waiting > 0).then(|| view! {
                                <p class="notice" data-testid="waiting">{current_locale().format(Text::BookingsWaiting, &[("n", &w.waiting.to_string())])}</p>
                            })}
                            {filter}
                            {bookings}
                            <Pagination base=paging page=w.bookings.page has_next=w.bookings.has_next/>
                            <h2 class="heading-l" id="courses">{t(Text::ProviderCourses)}</h2>
                            {courses}
                            <details class="details" open=course_error.get_untracked().is_some()>
                                <summary data-testid="new-course">{t(Text::CourseNew)}</summary>
                                <div>
                                    <ErrorSummary error=course_error/>
                                    <ActionForm action=new_course attr:novalidate="novalidate" attr:data-testid="course-form">
                                        <input type="hidden" name="provider_id" value=course_provider/>
                                        <input type="hidden" name="course_id" value=""/>
                                        {course_fields(None, course_error)}
                                        <div class="button-group">
                                            <button type="submit" class="button" data-testid="save-course">{t(Text::CourseSave)}</button>
                                        </div>
                                    </ActionForm>
                                </div>
                            </details>
                            {invites_section(&w, invite, invite_error, withdraw_invite, withdraw_invite_error)}
                            <h2 class="heading-l" id="profile">{t(Text::ProviderProfile)}</h2>
                            <ErrorSummary error=profile_error/>
                            <ActionForm action=profile attr:novalidate="novalidate" attr:data-testid="profile-form">
                                <input type="hidden" name="id" value=profile_id/>
                                <TextField name="name" label=Text::ProviderName error=profile_error value=w.provider.name.clone()/>
                                <TextArea name="description" label=Text::ProviderDescription error=profile_error value=w.provider.description.clone()/>
                                <TextField name="website" label=Text::ProviderWebsite hint=Text::ProviderWebsiteHint error=profile_error value=w.provider.website.clone()/>
                                <TextField name="linkedin_org_id" label=Text::ProviderLinkedinId hint=Text::ProviderLinkedinIdHint error=profile_error value=w.provider.linkedin_org_id.clone()/>
                                <div class="button-group">
                                    <button type="submit" class="button button--secondary" data-testid="save-profile">{t(Text::Save)}</button>
                                </div>
                            </ActionForm>
                            {logo}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Bjud in deltagare": the form (one of the provider's courses, a name and an address) and
/// the invitations sent, each with how it stands.
fn invites_section(
    w: &Workspace,
    invite: ServerAction<InviteParticipant>,
    error: Signal<Option<crate::error::AppError>>,
    withdraw: ServerAction<WithdrawInvite>,
    withdraw_error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView + use<> {
    let kept = |field: &str| {
        error
            .get_untracked()
            .and_then(|e| e.field_value(field).map(str::to_owned))
            .unwrap_or_default()
    };
    let kept_course = kept("course_id");
    // The email's language: the inviter's, unless they choose the participant's.
    let kept_language = kept("language");
    let chosen = crate::i18n::Locale::from_code(&kept_language).unwrap_or_else(current_locale);
    let languages = crate::i18n::Locale::ALL
        .iter()
        .map(|l| view! { <option value=l.code() selected=*l == chosen>{l.native_name()}</option> })
        .collect_view();
    let options = w
        .courses
        .iter()
        .map(|c| {
            let label = format!("{} ({})", c.title, course_when(c));
            view! { <option value=c.id.clone() selected=c.id == kept_course>{label}</option> }
        })
        .collect_view();
    let message = move |field: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.field_text(field, current_locale()))
        }
    };
    let provider_id = w.provider.id.clone();
    let rows = w
        .invites
        .iter()
        .map(|i| {
            let (tag, text) = match (i.status, i.expired) {
                (InviteStatus::Open, true) => ("tag tag--grey", Text::InviteStatusExpired),
                (InviteStatus::Open, false) => ("tag tag--blue", Text::InviteStatusOpen),
                (InviteStatus::Accepted, _) => ("tag tag--green", Text::InviteStatusAccepted),
                (InviteStatus::Declined, _) => ("tag tag--red", Text::InviteStatusDeclined),
                (InviteStatus::Withdrawn, _) => ("tag tag--grey", Text::InviteStatusWithdrawn),
                (InviteStatus::Expired, _) => ("tag tag--grey", Text::InviteStatusExpired),
            };
            let booking = i.booking_id.clone().map(|b| {
                view! { <a href=format!("/provider/bookings/{b}") data-testid="invite-booking">{t(Text::InviteOpenBooking)}</a> }
            });
            let open = i.status == InviteStatus::Open && !i.expired;
            let (id, provider_id) = (i.id.clone(), provider_id.clone());
            view! {
                <tr data-testid="invite-row">
                    <td data-label=t(Text::InviteName)>{i.name.clone()}</td>
                    <td class="break" data-label=t(Text::InviteEmail)>{i.email.clone()}</td>
                    <td data-label=t(Text::BookingCourse)>{i.course_title.clone()}</td>
                    <td class="nowrap" data-label=t(Text::InviteSentOn)>{i.sent_on.clone()}</td>
                    <td data-label=t(Text::InviteAnswerLabel)><strong class=tag data-testid="invite-status">{t(text)}</strong></td>
                    <td>
                        {booking}
                        {open.then(|| view! {
                            <ActionForm action=withdraw attr:data-testid="withdraw-invite-form">
                                <input type="hidden" name="provider_id" value=provider_id/>
                                <input type="hidden" name="id" value=id/>
                                <button type="submit" class="button button--secondary button--small" data-testid="withdraw-invite">{t(Text::InviteWithdraw)}</button>
                            </ActionForm>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let has_courses = !w.courses.is_empty();
    let has_invites = !w.invites.is_empty();
    view! {
        <h2 class="heading-l" id="invites">{t(Text::InvitesTitle)}</h2>
        <p class="body">{t(Text::InvitesLead)}</p>
        <ErrorSummary error=withdraw_error/>
        {if has_courses {
            view! {
                <details class="details" open=error.get_untracked().is_some()>
                    <summary data-testid="new-invite">{t(Text::InviteNew)}</summary>
                    <div>
                        <ErrorSummary error=error/>
                        <ActionForm action=invite attr:novalidate="novalidate" attr:data-testid="invite-form">
                            <div class="form-group" class:form-group--error=move || message("course_id")().is_some()>
                                <label class="label" for="invite_course">{t(Text::BookingCourse)}</label>
                                {move || message("course_id")().map(|m| view! { <p class="error-message">{m}</p> })}
                                <select class="select" id="invite_course" name="course_id" data-testid="invite-course">
                                    <option value="">{t(Text::BookingChooseCourse)}</option>
                                    {options}
                                </select>
                            </div>
                            <TextField name="name" label=Text::InviteName error=error autocomplete="off"/>
                            <TextField name="email" label=Text::InviteEmail input_type="email" error=error autocomplete="off"/>
                            <div class="form-group">
                                <label class="label" for="invite_language">{t(Text::InviteLanguage)}</label>
                                <select class="select" id="invite_language" name="language" data-testid="invite-language">{languages}</select>
                            </div>
                            <div class="button-group">
                                <button type="submit" class="button" data-testid="send-invite">{t(Text::InviteSend)}</button>
                            </div>
                        </ActionForm>
                    </div>
                </details>
            }.into_any()
        } else {
            view! { <p class="body empty-state">{t(Text::InviteNeedsCourse)}</p> }.into_any()
        }}
        {if has_invites {
            view! {
                <table class="table table--responsive" data-testid="invites">
                    <thead><tr>
                        <th scope="col">{t(Text::InviteName)}</th>
                        <th scope="col">{t(Text::InviteEmail)}</th>
                        <th scope="col">{t(Text::BookingCourse)}</th>
                        <th scope="col">{t(Text::InviteSentOn)}</th>
                        <th scope="col">{t(Text::InviteAnswerLabel)}</th>
                        <th scope="col"><span class="visually-hidden">{t(Text::InviteWithdraw)}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        } else {
            view! { <p class="body empty-state">{t(Text::InvitesEmpty)}</p> }.into_any()
        }}
    }
}

/// The logo on the profile: the picture there is, "Ladda upp logotyp" (a plain multipart form)
/// and "Ta bort logotyp".
fn logo_section(p: &Provider, remove: ServerAction<RemoveLogo>) -> impl IntoView + use<> {
    let q = use_query_map();
    let page = "/provider".to_owned();
    let refused = crate::cases::pages::refusal_in_address(&q.read_untracked(), &page)
        .filter(|e| e.field_text("file", current_locale()).is_some());
    let error = Signal::stored(refused);
    let message = move || {
        error
            .get()
            .and_then(|e| e.field_text("file", current_locale()))
    };
    let action = format!("/provider/{}/logo", p.id);
    let provider_id = p.id.clone();
    let current = p.logo.clone().map(|src| {
        view! {
            <div class="logo-current">
                <img class="provider-logo" src=src alt=t(Text::LogoAlt) data-testid="logo"/>
                <ActionForm action=remove attr:data-testid="remove-logo-form">
                    <input type="hidden" name="provider_id" value=provider_id/>
                    <button type="submit" class="button button--secondary button--small" data-testid="remove-logo">{t(Text::LogoRemove)}</button>
                </ActionForm>
            </div>
        }
    });
    let max_kb = (LOGO_MAX_BYTES >> 10).to_string();
    let side = LOGO_MAX_SIDE.to_string();
    view! {
        <h2 class="heading-l" id="logo">{t(Text::LogoTitle)}</h2>
        {current}
        <form method="post" enctype="multipart/form-data" action=action novalidate="novalidate"
            data-testid="logo-form" class="upload-form">
            <div class="form-group" class:form-group--error=move || message().is_some()>
                <label class="label" for="logo_file">{t(Text::LogoChoose)}</label>
                <p class="hint" id="logo-hint">{current_locale().format(Text::LogoHint, &[("max", &max_kb), ("side", &side)])}</p>
                {move || message().map(|m| view! { <p class="error-message" id="logo-error">{m}</p> })}
                <input class="file-upload" type="file" id="logo_file" name="file" accept="image/png,image/jpeg"
                    aria-describedby="logo-hint" data-testid="logo-file"/>
            </div>
            <div class="button-group">
                <button type="submit" class="button button--secondary" data-testid="upload-logo">{t(Text::LogoUpload)}</button>
            </div>
        </form>
    }
}

fn status_filter(provider_id: &str, current: &str) -> impl IntoView + use<> {
    let options = Status::ALL
        .iter()
        .map(|s| {
            let selected = s.code() == current;
            view! { <option value=s.code() selected=selected>{t(s.text())}</option> }
        })
        .collect_view();
    view! {
        <form method="get" action="/provider" class="filters" data-testid="status-filter">
            <input type="hidden" name="provider_id" value=provider_id.to_owned()/>
            <div class="form-group">
                <label class="label" for="status">{t(Text::BookingStatusLabel)}</label>
                <select class="select" id="status" name="status">
                    <option value="">{t(Text::BookingStatusAll)}</option>
                    {options}
                </select>
            </div>
            <button type="submit" class="button button--secondary">{t(Text::BookingFilter)}</button>
        </form>
    }
}

fn bookings_table(rows: &[BookingRow], provider: bool, testid: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="body empty-state">{t(Text::BookingsEmpty)}</p> }.into_any();
    }
    let rows = rows
        .iter()
        .map(|b| {
            let href = format!("/provider/bookings/{}", b.id);
            view! {
                <tr data-testid="booking-row">
                    <td data-label=t(Text::BookingParticipant)>
                        {if provider { view! { <a href=href>{b.participant.clone()}</a> }.into_any() } else { b.participant.clone().into_any() }}
                    </td>
                    <td data-label=t(Text::BookingCourse)>{b.course_title.clone()}</td>
                    {(!provider).then(|| view! { <td data-label=t(Text::BookingProvider)>{b.provider_name.clone()}</td> })}
                    {provider.then(|| view! { <td data-label=t(Text::BookingCompany)>{b.company.clone()}</td> })}
                    <td class="nowrap" data-label=t(Text::BookingDate)>{if b.course_date.is_empty() { t(Text::CourseOnRequest).to_owned() } else { b.course_date.clone() }}</td>
                    <td data-label=t(Text::BookingStatusLabel)>{status_tag(b.status)}</td>
                    <td data-label=t(Text::BookingCertification)>
                        {if b.certificate {
                            view! { <a href=format!("/course-certificates/{}", b.id) data-testid="certificate-link">{t(Text::BookingCertificateOpen)}</a> }.into_any()
                        } else if b.hidden {
                            view! { <span class="hint" data-testid="certificate-hidden-short">{t(Text::BookingCertificateHiddenShort)}</span> }.into_any()
                        } else { "–".into_any() }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table table--responsive" data-testid=testid>
            <thead><tr>
                <th scope="col">{t(Text::BookingParticipant)}</th>
                <th scope="col">{t(Text::BookingCourse)}</th>
                {(!provider).then(|| view! { <th scope="col">{t(Text::BookingProvider)}</th> })}
                {provider.then(|| view! { <th scope="col">{t(Text::BookingCompany)}</th> })}
                <th scope="col">{t(Text::BookingDate)}</th>
                <th scope="col">{t(Text::BookingStatusLabel)}</th>
                <th scope="col">{t(Text::BookingCertification)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn courses_table(courses: &[Course]) -> AnyView {
    if courses.is_empty() {
        return view! { <p class="body empty-state">{t(Text::ProviderNoCourses)}</p> }.into_any();
    }
    let rows = courses
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <td data-label=t(Text::CourseTitle)><a href=format!("/provider/courses/{}", c.id)>{c.title.clone()}</a></td>
                    <td class="nowrap" data-label=t(Text::CourseStartsOn)>{course_when(c)}</td>
                    <td data-label=t(Text::CoursePrice)>{course_price(c)}</td>
                    <td data-label=t(Text::CourseCertification)>{if c.certification.is_empty() { t(Text::CourseNoCertification).to_owned() } else { c.certification.clone() }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table table--responsive" data-testid="provider-courses">
            <thead><tr>
                <th scope="col">{t(Text::CourseTitle)}</th>
                <th scope="col">{t(Text::CourseStartsOn)}</th>
                <th scope="col">{t(Text::CoursePrice)}</th>
                <th scope="col">{t(Text::CourseCertification)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn course_fields(
    c: Option<&Course>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView + use<> {
    let v = |f: fn(&Course) -> String| c.map(f).unwrap_or_default();
    view! {
        <TextField name="title" label=Text::CourseTitle error value=v(|c| c.title.clone())/>
        <TextArea name="description" label=Text::CourseDescription error value=v(|c| c.description.clone())/>
        <TextField name="starts_on" label=Text::CourseStartsOn hint=Text::CourseStartsOnHint error input_type="date" value=v(|c| c.starts_on.clone().unwrap_or_default())/>
        <TextField name="price" label=Text::CoursePrice hint=Text::CoursePriceHint error value=v(|c| c.price.map(|p| p.to_string()).unwrap_or_default())/>
    }
}

/// `/provider/courses/:id`: the course, and at the bottom its certification.
#[component]
pub fn CoursePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("done"),
            )
        },
        |(id, _)| course_for_edit(id),
    );
    let save = ServerAction::<SaveCourse>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let cert = ServerAction::<SetCertification>::new();
    let cert_error = Signal::derive(move || cert.value().get().and_then(Result::err));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((c, schemes)) => {
                        let scheme_options = schemes.into_iter().map(|(id, name)| {
                            let selected = c.scheme_id.as_deref() == Some(id.as_str());
                            view! { <option value=id selected=selected>{name}</option> }
                        }).collect_view();
                        let fields = course_fields(Some(&c), error);
                        let (course_id, cert_course_id, provider_id) = (c.id.clone(), c.id.clone(), c.provider_id.clone());
                        let (certification, graded) = (c.certification.clone(), c.graded);
                        let has_certification = !certification.is_empty();
                        view! {
                            <Title text=c.title.clone()/>
                            <p class="body"><a href=format!("/provider?provider_id={}", c.provider_id)>{c.provider_name.clone()}</a></p>
                            <h1 class="heading-xl">{c.title.clone()}</h1>
                            {done_notice(&[
                                ("saved", Text::CourseSaved),
                                ("certification", Text::CourseCertificationSaved),
                                ("certification_removed", Text::CourseCertificationRemoved),
                            ])}
                            <ErrorSummary error/>
                            <ActionForm action=save attr:novalidate="novalidate" attr:data-testid="course-form">
                                <input type="hidden" name="provider_id" value=provider_id/>
                                <input type="hidden" name="course_id" value=course_id/>
                                {fields}
                                <div class="button-group">
                                    <button type="submit" class="button" data-testid="save-course">{t(Text::CourseSave)}</button>
                                </div>
                            </ActionForm>
                            <h2 class="heading-l" id="certifiering">{t(Text::BookingCertification)}</h2>
                            <p class="body">{t(Text::CourseCertificationLead)}</p>
                            <ErrorSummary error=cert_error/>
                            <ActionForm action=cert attr:novalidate="novalidate" attr:data-testid="certification-form">
                                <input type="hidden" name="course_id" value=cert_course_id/>
                                <TextField name="certification" label=Text::CourseCertificationName hint=Text::CourseCertificationHint error=cert_error value=certification/>
                                <div class="form-group checkboxes">
                                    <div class="checkboxes__item">
                                        <input class="checkbox" type="checkbox" id="graded" name="graded" value="1" checked=graded/>
                                        <label class="checkboxes__label" for="graded">{t(Text::CourseGraded)}</label>
                                    </div>
                                    <p class="hint">{t(Text::CourseGradedHint)}</p>
                                </div>
                                <div class="form-group">
                                    <label class="label" for="scheme_id">{t(Text::CourseScheme)}</label>
                                    <p class="hint">{t(Text::CourseSchemeHint)}</p>
                                    <select class="select" id="scheme_id" name="scheme_id">
                                        <option value="">{t(Text::CourseSchemeNone)}</option>
                                        {scheme_options}
                                    </select>
                                </div>
                                <div class="button-group">
                                    <button type="submit" class="button" data-testid="save-certification">{t(if has_certification { Text::CourseCertificationSave } else { Text::CourseCertificationAdd })}</button>
                                </div>
                            </ActionForm>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/provider/bookings/:id`: the status "högst upp i bookingen" with "Ändra", the booking, and
/// its "Certifiering" section. The participant and the employer read it too, without the forms.
#[component]
pub fn BookingPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                params.read().get("id").unwrap_or_default(),
                q.get("events_page").and_then(|p| p.parse().ok()),
                q.get("done"),
            )
        },
        |(id, page, _)| get_booking(id, page),
    );
    let change = ServerAction::<ChangeStatus>::new();
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    let withdraw = ServerAction::<WithdrawCertificate>::new();
    let withdraw_error = Signal::derive(move || withdraw.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::BookingTitle)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(b) => {
                        let page = format!("/provider/bookings/{}", b.id);
                        let q = query.read_untracked();
                        let upload_error = crate::cases::pages::refusal_in_address(&q, &page);
                        booking_view(b, change, error, withdraw, withdraw_error, upload_error).into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[allow(clippy::too_many_arguments)]
fn booking_view(
    b: Booking,
    change: ServerAction<ChangeStatus>,
    error: Signal<Option<crate::error::AppError>>,
    withdraw: ServerAction<WithdrawCertificate>,
    withdraw_error: Signal<Option<crate::error::AppError>>,
    upload_error: Option<crate::error::AppError>,
) -> impl IntoView {
    let options = Status::CHOICES
        .iter()
        .map(|s| {
            let selected = *s == b.status;
            view! { <option value=s.code() selected=selected>{t(s.text())}</option> }
        })
        .collect_view();
    let form_id = b.id.clone();
    let status_form = b.manage.then(move || {
        view! {
            <ErrorSummary error/>
            <ActionForm action=change attr:novalidate="novalidate" attr:data-testid="status-form" attr:class="status-form">
                <input type="hidden" name="id" value=form_id/>
                <div class="filters">
                    <div class="form-group">
                        <label class="label" for="status">{t(Text::BookingNewStatus)}</label>
                        <select class="select" id="status" name="status" data-testid="status-select">{options}</select>
                    </div>
                    <button type="submit" class="button" data-testid="change-status">{t(Text::BookingChange)}</button>
                </div>
            </ActionForm>
        }
    });
    let company = b.company.clone().map(|(_, name)| name).unwrap_or_default();
    let date = if b.course_date.is_empty() {
        t(Text::CourseOnRequest).to_owned()
    } else {
        b.course_date.clone()
    };
    let upload_error = Signal::stored(upload_error);
    let certification = certification_section(&b, withdraw, withdraw_error, upload_error);
    view! {
        <p class="body"><a href=format!("/provider?provider_id={}", b.course.provider_id)>{b.course.provider_name.clone()}</a></p>
        <h1 class="heading-xl">{t(Text::BookingTitle)}": "{b.participant.clone()}</h1>
        {done_notice(&[
            ("changed", Text::BookingStatusChanged),
            ("unchanged", Text::BookingStatusUnchanged),
            ("uploaded", Text::BookingCertificateUploaded),
            ("already_uploaded", Text::BookingCertificateAlready),
            ("withdrawn", Text::BookingCertificateWithdrawn),
            ("already_withdrawn", Text::BookingCertificateAlreadyWithdrawn),
        ])}
        <p class="body">{t(Text::BookingStatusLabel)}": "{status_tag(b.status)}</p>
        {status_form}
        <dl class="summary-list">
            {row(Text::BookingCourse, b.course.title.clone())}
            {row(Text::BookingDate, date)}
            {row(Text::BookingParticipant, b.participant.clone())}
            {row(Text::BookingCompany, company)}
            {row(Text::BookingStatusSince, crate::ui::format::short_time(&b.status_at))}
        </dl>
        {certification}
        <h2 class="heading-m">{t(Text::EventsTitle)}</h2>
        <crate::events::parts::EventLog events=b.events.clone() base=format!("/provider/bookings/{}?", b.id)/>
    }
}

fn certification_section(
    b: &Booking,
    withdraw: ServerAction<WithdrawCertificate>,
    withdraw_error: Signal<Option<crate::error::AppError>>,
    upload_error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView + use<> {
    let upload_max_mb = b.upload_max_mb;
    let (id, manage, status) = (b.id.clone(), b.manage, b.status);
    let action = format!("/provider/bookings/{id}/certificate");
    let upload_form = move || {
        let message = move || {
            upload_error
                .get()
                .and_then(|e| e.field_text("file", current_locale()))
        };
        view! {
            <ErrorSummary error=upload_error/>
            <details class="details" open=upload_error.get_untracked().is_some()>
                <summary data-testid="upload-certificate">{t(Text::BookingUploadCertificate)}</summary>
                <div>
                    <form method="post" enctype="multipart/form-data" action=action.clone()
                        novalidate="novalidate" data-testid="certificate-form" class="upload-form">
                        <div class="form-group" class:form-group--error=move || message().is_some()>
                            <label class="label" for="file">{t(Text::BookingChoosePdf)}</label>
                            <p class="hint" id="file-hint">{current_locale().format(Text::BookingPdfHint, &[("max", &upload_max_mb.to_string())])}</p>
                            {move || message().map(|m| view! { <p class="error-message" id="file-error">{m}</p> })}
                            <input class="file-upload" type="file" id="file" name="file" accept=".pdf,application/pdf"
                                aria-describedby="file-hint" data-testid="file"/>
                        </div>
                        <div class="button-group">
                            <button type="submit" class="button" data-testid="upload">{t(Text::BookingUpload)}</button>
                        </div>
                    </form>
                </div>
            </details>
        }
    };
    let body = match &b.certification {
        Certification::None => view! {
            <div class="notice" data-testid="no-certification">
                <p class="body">{t(Text::BookingNoCertificationText)}</p>
                {manage.then(|| view! { <p class="body"><a href=format!("/provider/courses/{}#certifiering", b.course.id)>{t(Text::CourseCertificationAdd)}</a></p> })}
            </div>
        }
        .into_any(),
        Certification::Waiting => view! {
            <p class="body" data-testid="certificate-waiting">{current_locale().format(Text::BookingCertificateWaiting, &[("certification", &b.course.certification)])}</p>
            {(manage && status == Status::Completed).then(upload_form.clone())}
            {(manage && status != Status::Completed).then(|| view! { <p class="hint">{t(Text::BookingUploadAfterCompleted)}</p> })}
        }
        .into_any(),
        Certification::Hidden => view! {
            <p class="body" data-testid="certificate-hidden">{t(Text::BookingCertificateHidden)}</p>
        }
        .into_any(),
        Certification::Shown(c) => {
            let withdrawn = c.withdrawn.clone();
            view! {
                <dl class="summary-list" data-testid="certificate">
                    {row(Text::CourseCertificationName, c.title.clone())}
                    {row(Text::BookingCertificateFile, c.name.clone())}
                    {row(Text::BookingCertificateUploadedOn, c.uploaded_on.clone())}
                    {row(Text::BookingCertificateCode, c.code.clone())}
                </dl>
                {certificate_links(&id, c)}
                {match withdrawn {
                    Some((on, reason)) => view! {
                        <div class="notice notice--warning" data-testid="withdrawn">
                            {current_locale().format(Text::CourseCertWithdrawnOn, &[("date", &on), ("reason", &reason)])}
                        </div>
                        {(manage && status == Status::Completed).then(upload_form.clone())}
                    }.into_any(),
                    None => manage.then(|| view! {
                        <details class="details" open=withdraw_error.get_untracked().is_some()>
                            <summary data-testid="withdraw-open">{t(Text::BookingWithdraw)}</summary>
                            <div>
                                <ErrorSummary error=withdraw_error/>
                                <ActionForm action=withdraw attr:novalidate="novalidate" attr:data-testid="withdraw-form">
                                    <input type="hidden" name="id" value=id.clone()/>
                                    <TextArea name="reason" label=Text::BookingWithdrawReason hint=Text::BookingWithdrawHint error=withdraw_error rows=3/>
                                    <div class="button-group">
                                        <button type="submit" class="button button--warning" data-testid="withdraw">{t(Text::BookingWithdraw)}</button>
                                    </div>
                                </ActionForm>
                            </div>
                        </details>
                    }).into_any(),
                }}
            }
            .into_any()
        }
    };
    view! {
        <h2 class="heading-l" id="certifiering">{t(Text::BookingCertification)}</h2>
        {body}
    }
}

/// The certificate's file, the portal's signed statement of it (while it is not withdrawn), its
/// verification page and QR code.
fn certificate_links(booking_id: &str, c: &CourseCertificate) -> impl IntoView + use<> {
    let signed = c.withdrawn.is_none().then(|| {
        view! {
            <a href=format!("/course-certificates/{booking_id}/signed") class="button button--secondary" data-testid="signed-certificate">{t(Text::CourseCertSigned)}</a>" "
        }
    });
    view! {
        <div class="course-cert">
            <img class="course-cert__qr" src=c.qr.clone() width="120" height="120"
                alt=current_locale().format(Text::CourseCertQrAlt, &[("code", &c.code)])/>
            <p class="body">
                <a href=format!("/course-certificates/{booking_id}") class="button button--secondary" data-testid="open-certificate">{t(Text::BookingCertificateOpen)}</a>" "
                {signed}
                <a href=format!("/verify/course/{}", c.code) data-testid="verify-link">{t(Text::BookingVerifyPage)}</a>
            </p>
        </div>
    }
}

/// "Kurscertifikat": a person's certificates from training providers, each with its issuer and
/// status, beside the body's certificates (`person_id` empty: the signed-in person's own).
#[component]
pub fn CourseCertificatesSection(#[prop(into)] person_id: String) -> impl IntoView {
    let data = Resource::new(move || person_id.clone(), course_certificates);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => None,
                    Ok(list) => {
                        let rows = list.into_iter().map(|c| {
                            let (tag, status) = if c.withdrawn {
                                ("tag tag--red", Text::CourseCertWithdrawnTag)
                            } else {
                                ("tag tag--green", Text::CourseCertValidTag)
                            };
                            view! {
                                <tr>
                                    <td data-label=t(Text::CourseCertification)><a href=format!("/verify/course/{}", c.code)>{c.certification.clone()}</a></td>
                                    <td data-label=t(Text::CourseCertIssuer)><a href=format!("/providers/{}", c.provider_id)>{c.provider.clone()}</a></td>
                                    <td data-label=t(Text::BookingCourse)>{c.course.clone()}</td>
                                    <td data-label=t(Text::BookingCertificateUploadedOn)>{c.issued_on.clone()}</td>
                                    <td data-label=t(Text::CertColStatus)><strong class=tag>{t(status)}</strong></td>
                                </tr>
                            }
                        }).collect_view();
                        Some(view! {
                            <h2 class="heading-m" id="course-certificates">{t(Text::CourseCertsTitle)}</h2>
                            <p class="body hint">{t(Text::CourseCertsLead)}</p>
                            <table class="table table--responsive" data-testid="course-certificates">
                                <thead><tr>
                                    <th scope="col">{t(Text::CourseCertification)}</th>
                                    <th scope="col">{t(Text::CourseCertIssuer)}</th>
                                    <th scope="col">{t(Text::BookingCourse)}</th>
                                    <th scope="col">{t(Text::BookingCertificateUploadedOn)}</th>
                                    <th scope="col">{t(Text::CertColStatus)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        })
                    }
                    // Someone who may not list them sees nothing here (the page says the rest).
                    Err(_) => None,
                }
            })}
        </Suspense>
    }
}

/// `/companies/:id/training`: "Boka" an employee, and the company's bookings.
#[component]
pub fn CompanyTrainingPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("done"),
            )
        },
        |(id, _)| company_bookings(id),
    );
    let book_action = ServerAction::<Book>::new();
    let error = Signal::derive(move || book_action.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::CompanyTrainingTitle)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => {
                        // What was chosen comes back after a refusal.
                        let kept = |field: &str| error.get_untracked().and_then(|e| e.field_value(field).map(str::to_owned)).unwrap_or_default();
                        let (kept_person, kept_course) = (kept("person_id"), kept("course_id"));
                        let employees = c.employees.iter().map(|(id, name)| {
                            let selected = *id == kept_person;
                            view! { <option value=id.clone() selected=selected>{name.clone()}</option> }
                        }).collect_view();
                        let courses = c.courses.iter().map(|course| {
                            let label = format!("{} – {} ({})", course.provider_name, course.title, course_when(course));
                            let selected = course.id == kept_course;
                            view! { <option value=course.id.clone() selected=selected>{label}</option> }
                        }).collect_view();
                        let message = move |field: &'static str| move || error.get().and_then(|e| e.field_text(field, current_locale()));
                        view! {
                            <p class="body"><a href=format!("/companies/{}", c.company_id)>{c.company_name.clone()}</a></p>
                            <h1 class="heading-xl">{t(Text::CompanyTrainingTitle)}</h1>
                            {done_notice(&[("booked", Text::BookingBooked), ("already_booked", Text::BookingAlready)])}
                            <h2 class="heading-m">{t(Text::BookingNew)}</h2>
                            {if c.employees.is_empty() || c.courses.is_empty() {
                                view! { <p class="body empty-state">{t(Text::BookingNothingToBook)}</p> }.into_any()
                            } else {
                                view! {
                                    <ErrorSummary error/>
                                    <ActionForm action=book_action attr:novalidate="novalidate" attr:data-testid="book-form">
                                        <input type="hidden" name="company_id" value=c.company_id.clone()/>
                                        <div class="form-group" class:form-group--error=move || message("person_id")().is_some()>
                                            <label class="label" for="person_id">{t(Text::BookingParticipant)}</label>
                                            {move || message("person_id")().map(|m| view! { <p class="error-message">{m}</p> })}
                                            <select class="select" id="person_id" name="person_id" data-testid="book-employee">
                                                <option value="">{t(Text::BookingChooseEmployee)}</option>
                                                {employees}
                                            </select>
                                        </div>
                                        <div class="form-group" class:form-group--error=move || message("course_id")().is_some()>
                                            <label class="label" for="course_id">{t(Text::BookingCourse)}</label>
                                            {move || message("course_id")().map(|m| view! { <p class="error-message">{m}</p> })}
                                            <select class="select" id="course_id" name="course_id" data-testid="book-course">
                                                <option value="">{t(Text::BookingChooseCourse)}</option>
                                                {courses}
                                            </select>
                                        </div>
                                        <div class="button-group">
                                            <button type="submit" class="button" data-testid="book">{t(Text::BookingBook)}</button>
                                        </div>
                                    </ActionForm>
                                }.into_any()
                            }}
                            <h2 class="heading-m">{t(Text::BookingsTitle)}</h2>
                            {bookings_table(&c.bookings, false, "company-bookings")}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/my/training`: the participant's bookings, their certificates, consent, review and
/// "Lägg till på LinkedIn".
#[component]
pub fn MyTrainingPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("done"), |_| my_training());
    let consent_action = ServerAction::<Consent>::new();
    let review_action = ServerAction::<SendReview>::new();
    let review_error = Signal::derive(move || review_action.value().get().and_then(Result::err));
    let attach = ServerAction::<AttachToCase>::new();
    let attach_error = Signal::derive(move || attach.value().get().and_then(Result::err));
    view! {
        <Title text=t(Text::MyTrainingTitle)/>
        <h1 class="heading-xl">{t(Text::MyPagesTitle)}</h1>
        <crate::people::pages::MyTabs current="training"/>
        {done_notice(&[
            ("invite_accepted", Text::InviteAccepted),
            ("invite_already", Text::InviteAlreadyAccepted),
            ("invite_booked", Text::InviteAlreadyBooked),
            ("consented", Text::ConsentGiven),
            ("consent_withdrawn", Text::ConsentWithdrawn),
            ("unchanged", Text::NothingChanged),
            ("reviewed", Text::ReviewThanks),
            ("already_reviewed", Text::ReviewAlready),
        ])}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => view! { <p class="body empty-state">{t(Text::MyTrainingEmpty)}</p> }.into_any(),
                    Ok(list) => list.into_iter().map(|b| my_booking(b, consent_action, review_action, review_error, (attach, attach_error))).collect_view().into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn my_booking(
    b: MyBooking,
    consent_action: ServerAction<Consent>,
    review_action: ServerAction<SendReview>,
    review_error: Signal<Option<crate::error::AppError>>,
    (attach, attach_error): (
        ServerAction<AttachToCase>,
        Signal<Option<crate::error::AppError>>,
    ),
) -> impl IntoView {
    let id = b.id.clone();
    let attach_form = (!b.attach_to.is_empty()).then(|| {
        let mine = b.id.clone();
        let error = Signal::derive(move || {
            attach_error.get().filter(|e| e.field_value("id") == Some(mine.as_str()))
        });
        let select_id = format!("target-{}", b.id);
        let options = b
            .attach_to
            .iter()
            .map(|(value, label)| view! { <option value=value.clone()>{label.clone()}</option> })
            .collect_view();
        let booking_id = b.id.clone();
        view! {
            <h3 class="heading-s">{t(Text::AttachTitle)}</h3>
            <p class="body">{t(Text::AttachLead)}</p>
            <ErrorSummary error/>
            <ActionForm action=attach attr:data-testid="attach-form">
                <input type="hidden" name="id" value=booking_id/>
                <div class="filters">
                    <div class="form-group">
                        <label class="label" for=select_id.clone()>{t(Text::AttachTarget)}</label>
                        <select class="select" id=select_id name="target">{options}</select>
                    </div>
                    <button type="submit" class="button button--secondary" data-testid="attach">{t(Text::AttachButton)}</button>
                </div>
            </ActionForm>
        }
    });
    let certificate = match &b.certification {
        Certification::Shown(c) => {
            let withdrawn = c.withdrawn.clone().map(|(on, reason)| view! {
                <div class="notice notice--warning" data-testid="withdrawn">{current_locale().format(Text::CourseCertWithdrawnOn, &[("date", &on), ("reason", &reason)])}</div>
            });
            Some(
                view! {
                    {certificate_links(&b.id, c)}
                    {withdrawn}
                }
                .into_any(),
            )
        }
        Certification::Waiting => Some(
            view! { <p class="body hint">{t(Text::MyTrainingCertificateWaiting)}</p> }.into_any(),
        ),
        _ => None,
    };
    let consent_id = id.clone();
    let company = b.company.clone();
    let consent = (b.graded && matches!(b.certification, Certification::Shown(_)) && !b.company.is_empty()).then(move || {
        let (text, give, button) = if b.consent {
            (Text::ConsentIsGiven, "0", Text::ConsentWithdraw)
        } else {
            (Text::ConsentAsk, "1", Text::ConsentGive)
        };
        view! {
            <div class="notice" data-testid="consent">
                <p class="body">{current_locale().format(text, &[("company", &company)])}</p>
                <ActionForm action=consent_action>
                    <input type="hidden" name="id" value=consent_id/>
                    <input type="hidden" name="give" value=give/>
                    <button type="submit" class="button button--secondary" data-testid="consent-button">{t(button)}</button>
                </ActionForm>
            </div>
        }
    });
    let review = match (&b.review, b.status) {
        (Some((rating, text)), _) => Some(view! {
            <p class="body" data-testid="my-review"><strong>{t(Text::ReviewText)}": "</strong><span class="stars">{stars(*rating)}</span>" "{text.clone()}</p>
        }.into_any()),
        (None, Status::Completed) => {
            let text_id = format!("text-{}", b.id);
            // The refusal is this booking's only when it names it.
            let mine = b.id.clone();
            let review_error = Signal::derive(move || {
                review_error.get().filter(|e| e.field_value("id") == Some(mine.as_str()))
            });
            let kept = move || {
                review_error
                    .get()
                    .and_then(|e| e.field_value("text").map(str::to_owned))
                    .unwrap_or_default()
            };
            let radios = (1..=5).rev().map(|n| {
                let rid = format!("rating-{}-{n}", b.id);
                view! {
                    <div class="radios__item">
                        <input class="radios__input" type="radio" id=rid.clone() name="rating" value=n.to_string()/>
                        <label class="radios__label" for=rid>{format!("{} ({n})", stars(n))}</label>
                    </div>
                }
            }).collect_view();
            Some(view! {
                <h3 class="heading-s">{t(Text::ReviewAsk)}</h3>
                <p class="body">{t(Text::ReviewLead)}</p>
                <ErrorSummary error=review_error/>
                <ActionForm action=review_action attr:novalidate="novalidate" attr:data-testid="review-form">
                    <input type="hidden" name="id" value=id.clone()/>
                    <div class="form-group">
                        <fieldset class="fieldset">
                            <legend class="label">{t(Text::ReviewRating)}</legend>
                            <div class="radios radios--inline">{radios}</div>
                        </fieldset>
                    </div>
                    <div class="form-group">
                        <label class="label" for=text_id.clone()>{t(Text::ReviewText)}</label>
                        <textarea class="textarea" id=text_id.clone() name="text" rows="3">{move || crate::ui::form::textarea_text(&kept())}</textarea>
                    </div>
                    <div class="button-group">
                        <button type="submit" class="button" data-testid="send-review">{t(Text::ReviewSend)}</button>
                    </div>
                </ActionForm>
            }.into_any())
        }
        _ => None,
    };
    let linkedin = b
        .linkedin
        .clone()
        .map(|l| view! { <crate::certificates::verify::LinkedInSection l/> });
    let date = if b.course_date.is_empty() {
        t(Text::CourseOnRequest).to_owned()
    } else {
        b.course_date.clone()
    };
    view! {
        <section class="card" id=format!("booking-{}", b.id) data-testid="my-booking">
            <h2 class="heading-m">{b.course.title.clone()}</h2>
            <p class="body">{status_tag(b.status)}</p>
            <dl class="summary-list summary-list--compact">
                <div class="summary-list__row">
                    <dt class="summary-list__key">{t(Text::BookingProvider)}</dt>
                    <dd class="summary-list__value"><a href=format!("/providers/{}", b.provider_id)>{b.provider.clone()}</a></dd>
                </div>
                {row(Text::BookingDate, date)}
                {row(Text::BookingCompany, b.company.clone())}
                {row(Text::CourseCertification, b.course.certification.clone())}
            </dl>
            {certificate}
            {consent}
            {attach_form}
            {review}
            {linkedin}
        </section>
    }
}

/// `/verify/course/:code`: a course certificate as anyone may see it.
#[component]
pub fn CourseVerifyPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        verify_course,
    );
    // "Kontrollera en PDF" lands here with its verdict on a signed statement.
    let checked = Resource::new(
        move || query.read().get("checked"),
        |id| async move {
            match id {
                Some(id) => crate::certificates::api::pdf_checked(id)
                    .await
                    .ok()
                    .flatten(),
                None => None,
            }
        },
    );
    view! {
        <Title text=t(Text::CourseVerifyTitle)/>
        <h1 class="heading-xl">{t(Text::CourseVerifyTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { checked.await.map(crate::certificates::verify::verdict_view) })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let (tag, status, text) = match &v.withdrawn {
                            None => ("tag tag--green", Text::CourseCertValidTag, t(Text::CourseCertValid).to_owned()),
                            Some((on, reason)) => ("tag tag--red", Text::CourseCertWithdrawnTag, current_locale().format(Text::CourseCertWithdrawnOn, &[("date", on), ("reason", reason)])),
                        };
                        view! {
                            <section class="verify-card" data-testid="course-verdict">
                                <p class="verify-card__status"><strong class=tag>{t(status)}</strong></p>
                                <p class="body"><strong>{text}</strong></p>
                            </section>
                            <dl class="summary-list">
                                {row(Text::CourseCertification, v.certification.clone())}
                                {row(Text::BookingCourse, v.course.clone())}
                                <div class="summary-list__row">
                                    <dt class="summary-list__key">{t(Text::BookingProvider)}</dt>
                                    <dd class="summary-list__value"><a href=format!("/providers/{}", v.provider_id)>{v.provider.clone()}</a></dd>
                                </div>
                                {row(Text::BookingCertificateUploadedOn, v.issued_on.clone())}
                                {row(Text::BookingCertificateCode, v.code.clone())}
                            </dl>
                            <p class="body hint">{t(Text::CourseVerifyNote)}</p>
                        }.into_any()
                    }
                    Err(crate::error::AppError::NotFound) => view! {
                        <div class="notice notice--warning" role="status" data-testid="course-verdict"><p class="body">{t(Text::CourseVerifyUnknown)}</p></div>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/training/invite/:token`: an invitation by email. Its recipient sees the course and
/// accepts it signed in (choosing the employer it is for, if any) or declines it.
#[component]
pub fn InviteLinkPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let answer = ServerAction::<AnswerInvite>::new();
    let error = Signal::derive(move || answer.value().get().and_then(Result::err));
    let data = Resource::new(token, course_invite);
    view! {
        <Title text=t(Text::InviteLinkTitle)/>
        <div class="narrow">
            <h1 class="heading-l">{t(Text::InviteLinkTitle)}</h1>
            {done_notice(&[("declined", Text::InviteDeclined)])}
            <ErrorSummary error/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let done = query.read_untracked().get("done");
                    if done.as_deref() == Some("declined") {
                        return ().into_any();
                    }
                    match data.await {
                        Ok(InviteLink::Open { course, name, signed_in, may_accept, employers }) => {
                            let locale = current_locale();
                            let lead = locale.format(Text::InviteLinkLead, &[("name", &name), ("provider", &course.provider_name), ("course", &course.title)]);
                            let me = signed_in.clone().unwrap_or_default();
                            let accept = if may_accept {
                                let options = employers.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view();
                                let has_employers = !employers.is_empty();
                                view! {
                                    <p class="body" data-testid="invite-as">{current_locale().format(Text::InviteAcceptAs, &[("name", &me)])}</p>
                                    <ActionForm action=answer attr:novalidate="novalidate" attr:data-testid="accept-invite-form">
                                        <input type="hidden" name="token" value=token()/>
                                        <input type="hidden" name="decision" value="accept"/>
                                        {has_employers.then(|| view! {
                                            <div class="form-group">
                                                <label class="label" for="company_id">{t(Text::InviteForEmployer)}</label>
                                                <p class="hint">{t(Text::InviteForEmployerHint)}</p>
                                                <select class="select" id="company_id" name="company_id" data-testid="invite-employer">
                                                    <option value="">{t(Text::InviteNoEmployer)}</option>
                                                    {options}
                                                </select>
                                            </div>
                                        })}
                                        <button type="submit" class="button" data-testid="accept-invite">{t(Text::InviteAccept)}</button>
                                    </ActionForm>
                                }.into_any()
                            } else if signed_in.is_some() {
                                view! { <p class="notice notice--warning" data-testid="invite-no-person">{t(Text::InviteNeedsPerson)}</p> }.into_any()
                            } else {
                                let next = crate::ui::format::encode_component(&format!("/training/invite/{}", token().trim()));
                                view! {
                                    <p class="body">{t(Text::InviteSignInLead)}</p>
                                    <p class="body"><a class="button" href=format!("/login?next={next}") data-testid="invite-sign-in">{t(Text::InviteSignIn)}</a></p>
                                    <p class="body hint">{current_locale().format(Text::InviteNoAccount, &[("provider", &course.provider_name)])}</p>
                                }.into_any()
                            };
                            view! {
                                <p class="body lead" data-testid="invite-lead">{lead}</p>
                                <dl class="summary-list">
                                    {row(Text::BookingCourse, course.title.clone())}
                                    {row(Text::BookingProvider, course.provider_name.clone())}
                                    {row(Text::BookingDate, course_when(&course))}
                                    {row(Text::CoursePrice, course_price(&course))}
                                </dl>
                                {(!course.description.is_empty()).then(|| view! { <p class="body pre-line">{course.description.clone()}</p> })}
                                {accept}
                                <details class="details invite-decline">
                                    <summary data-testid="decline-open">{t(Text::InviteDecline)}</summary>
                                    <div>
                                        <p class="body">{t(Text::InviteDeclineConfirm)}</p>
                                        <ActionForm action=answer attr:data-testid="decline-invite-form">
                                            <input type="hidden" name="token" value=token()/>
                                            <input type="hidden" name="decision" value="decline"/>
                                            <button type="submit" class="button button--warning" data-testid="decline-invite">{t(Text::InviteDeclineYes)}</button>
                                        </ActionForm>
                                    </div>
                                </details>
                            }.into_any()
                        }
                        Ok(InviteLink::Accepted) => view! {
                            <div class="notice" role="status" data-testid="invite-accepted">
                                <p class="body">{t(Text::InviteAlreadyAccepted)}" "<a href="/my/training">{t(Text::MyTrainingTitle)}</a></p>
                            </div>
                        }.into_any(),
                        Ok(InviteLink::Closed { course }) => {
                            let text = match course {
                                Some((course, provider)) => current_locale().format(Text::InviteClosedCourse, &[("course", &course), ("provider", &provider)]),
                                None => t(Text::InviteClosed).to_owned(),
                            };
                            view! {
                                <div class="notice notice--warning" role="alert" data-testid="invite-closed">{text}</div>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
