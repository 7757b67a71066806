//! The document shell, the `App` and its route table.

use crate::accounts::pages::{AccountRolesPage, AccountsPage, NewAccountPage};
use crate::attestations::pages::{AttesterPage, CancelRequestPage, ExtendPage, SignPage};
use crate::auth::pages::SecurityPage;
use crate::auth::pages::{AccountPage, ForgotPasswordPage, LoginPage, ResetPasswordPage};
use crate::cases::pages::{ApplyPage, DocumentPage, MyCasesPage};
use crate::certificates::pages::{AskPage, AttestPage, CertificatePage, MyCertificatesPage};
use crate::companies::pages::{CompaniesListPage, CompanyPage, EditCompanyPage, NewCompanyPage};
use crate::home::layout::Layout;
use crate::home::pages::HomePage;
use crate::i18n::{Text, current_locale, t};
use crate::outbox::pages::{OutboxListPage, OutboxMessagePage};
use crate::people::pages::{
    AddressPage, ChangesPage, EmploymentLinkPage, MessagesPage, MyEmploymentsPage, MyEventsPage,
    NewPersonPage, PeopleSearchPage, PersonPage,
};
use crate::ui::errors::NotFound;
use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the app, rendered on the server only. It writes the locale into
/// `<html lang>`, where the browser's hydration reads it back.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos::hydration::HydrationScripts;
    use leptos_meta::MetaTags;

    let locale = current_locale();
    provide_context(locale);
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0b3d5c"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Pages allow only our own scripts, plus the inline hydration script that carries this
/// response's nonce.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use leptos::nonce::{provide_nonce, use_nonce};

    if use_nonce().is_none() {
        provide_nonce();
    }
    let (Some(nonce), Some(response)) =
        (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; frame-src 'self'; frame-ancestors 'none'; base-uri 'self'; \
         form-action 'self'; object-src 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Every page is rendered whole before it is sent: it then works without JavaScript (streamed
/// chunks need a script to fall into place), and a page whose data is missing answers 404.
const SSR: SsrMode = SsrMode::Async;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(current_locale());
    let site = t(Text::SiteName);
    view! {
        <Stylesheet id="leptos" href="/pkg/certportal.css"/>
        <Title formatter=move |page: String| title_text(if page.is_empty() { site.to_owned() } else { format!("{page} – {site}") })/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("") view=HomePage ssr=SSR/>
                    <Route path=path!("/outbox") view=OutboxListPage ssr=SSR/>
                    <Route path=path!("/outbox/:id") view=OutboxMessagePage ssr=SSR/>
                    <Route path=path!("/login") view=LoginPage ssr=SSR/>
                    <Route path=path!("/account") view=AccountPage ssr=SSR/>
                    <Route path=path!("/staff/accounts") view=AccountsPage ssr=SSR/>
                    <Route path=path!("/staff/accounts/new") view=NewAccountPage ssr=SSR/>
                    <Route path=path!("/staff/accounts/:id") view=AccountRolesPage ssr=SSR/>
                    <Route path=path!("/staff/people") view=PeopleSearchPage ssr=SSR/>
                    <Route path=path!("/staff/people/new") view=NewPersonPage ssr=SSR/>
                    <Route path=path!("/staff/people/:id") view=|| view! { <PersonPage certificates=all_certificates/> } ssr=SSR/>
                    <Route path=path!("/staff/changes") view=ChangesPage ssr=SSR/>
                    <Route path=path!("/companies") view=CompaniesListPage ssr=SSR/>
                    <Route path=path!("/companies/new") view=NewCompanyPage ssr=SSR/>
                    <Route path=path!("/companies/:id") view=CompanyPage ssr=SSR/>
                    <Route path=path!("/companies/:id/edit") view=EditCompanyPage ssr=SSR/>
                    <Route path=path!("/companies/:id/attest") view=AttestPage ssr=SSR/>
                    <Route path=path!("/companies/:id/ask") view=AskPage ssr=SSR/>
                    <Route path=path!("/employment/:token") view=EmploymentLinkPage ssr=SSR/>
                    <Route path=path!("/staff/security") view=SecurityPage ssr=SSR/>
                    <Route path=path!("/staff/cases") view=crate::cases::handler_pages::QueuePage ssr=SSR/>
                    <Route path=path!("/staff/cases/:id") view=crate::cases::handler_pages::HandlerCasePage ssr=SSR/>
                    <Route path=path!("/staff/cases/:id/documents/:req") view=crate::cases::handler_pages::StaffDocumentPage ssr=SSR/>
                    <Route path=path!("/staff/schemes") view=crate::cases::admin_pages::SchemesPage ssr=SSR/>
                    <Route path=path!("/staff/schemes/:id") view=crate::cases::admin_pages::SchemeDocumentsPage ssr=SSR/>
                    <Route path=path!("/staff/schemes/:id/reminders") view=crate::reminders::pages::RemindersPage ssr=SSR/>
                    <Route path=path!("/staff/letters") view=crate::reminders::pages::LettersPage ssr=SSR/>
                    <Route path=path!("/staff/retention") view=crate::cases::admin_pages::RetentionPage ssr=SSR/>
                    <Route path=path!("/my/certificates") view=|| view! { <MyCertificatesPage more=my_course_certificates/> } ssr=SSR/>
                    <Route path=path!("/my/employments") view=MyEmploymentsPage ssr=SSR/>
                    <Route path=path!("/my/cases") view=MyCasesPage ssr=SSR/>
                    <Route path=path!("/my/cases/:id") view=MyCasesPage ssr=SSR/>
                    <Route path=path!("/my/cases/:id/documents/:req") view=DocumentPage ssr=SSR/>
                    <Route path=path!("/my/apply") view=ApplyPage ssr=SSR/>
                    <Route path=path!("/my/renew/:id") view=crate::cases::pages::RenewPage ssr=SSR/>
                    <Route path=path!("/certificates/:id") view=|| view! { <CertificatePage pending=crate::attestations::pages::pending_panel/> } ssr=SSR/>
                    <Route path=path!("/certificates/:id/extend") view=ExtendPage ssr=SSR/>
                    <Route path=path!("/certificates/:id/cancel-request") view=CancelRequestPage ssr=SSR/>
                    <Route path=path!("/attest/:token") view=AttesterPage ssr=SSR/>
                    <Route path=path!("/verify") view=crate::certificates::verify::VerifyPage ssr=SSR/>
                    <Route path=path!("/verify/:number") view=crate::certificates::verify::VerifyPage ssr=SSR/>
                    <Route path=path!("/register") view=crate::certificates::verify::RegisterPage ssr=SSR/>
                    <Route path=path!("/attest/:token/sign") view=SignPage ssr=SSR/>
                    <Route path=path!("/providers/:id") view=crate::training::pages::ProviderProfilePage ssr=SSR/>
                    <Route path=path!("/staff/providers") view=crate::training::pages::ProvidersPage ssr=SSR/>
                    <Route path=path!("/provider") view=crate::training::pages::WorkspacePage ssr=SSR/>
                    <Route path=path!("/provider/courses/:id") view=crate::training::pages::CoursePage ssr=SSR/>
                    <Route path=path!("/provider/bookings/:id") view=crate::training::pages::BookingPage ssr=SSR/>
                    <Route path=path!("/companies/:id/training") view=crate::training::pages::CompanyTrainingPage ssr=SSR/>
                    <Route path=path!("/my/training") view=crate::training::pages::MyTrainingPage ssr=SSR/>
                    <Route path=path!("/verify/course/:code") view=crate::training::pages::CourseVerifyPage ssr=SSR/>
                    <Route path=path!("/training/invite/:token") view=crate::training::pages::InviteLinkPage ssr=SSR/>
                    <Route path=path!("/my/address") view=AddressPage ssr=SSR/>
                    <Route path=path!("/my/messages") view=MessagesPage ssr=SSR/>
                    <Route path=path!("/my/events") view=MyEventsPage ssr=SSR/>
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SSR/>
                    <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SSR/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// A person's certificates on the staff's person page: the body's, then the training
/// providers' course certificates.
fn all_certificates(person_id: String) -> AnyView {
    view! {
        {crate::certificates::pages::person_certificates(person_id.clone())}
        <crate::training::pages::CourseCertificatesSection person_id/>
    }
    .into_any()
}

/// The signed-in person's course certificates, under their own.
fn my_course_certificates() -> AnyView {
    view! { <crate::training::pages::CourseCertificatesSection person_id=""/> }.into_any()
}

/// A page's title as the server writes it into `<title>`, which leptos_meta does not escape: a
/// name someone typed (a provider's, a course's) stays text. The browser sets the title as text.
#[cfg(feature = "ssr")]
fn title_text(title: String) -> String {
    title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(not(feature = "ssr"))]
fn title_text(title: String) -> String {
    title
}
