//! Files in and out: "Överför" on a required document (the person's own, or staff's on their
//! behalf), and a document's download. A file streams to a temporary file while it is hashed and
//! counted, so the server's memory does not grow with it; a plain form posts here without
//! JavaScript, and the page's island posts the same form with a progress bar.

use crate::router::ServerState;
use app::auth::request::Ctx;
use app::cases::files::{Incoming, too_large};
use app::cases::model::Format;
use app::cases::service::{Upload, Uploader};
use app::error::AppError;
use axum::Router;
use axum::body::Body;
use axum::extract::{Multipart, Path};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

pub fn routes() -> Router<ServerState> {
    Router::new()
        .route("/my/cases/{case}/documents/{req}/upload", post(upload_mine))
        .route(
            "/staff/cases/{case}/documents/{req}/upload",
            post(upload_for),
        )
        .route("/documents/{id}", get(download))
        .route(
            "/staff/schemes/{scheme}/documents/{req}/template",
            post(upload_template),
        )
        .route("/templates/{req}", get(template))
        .route(
            "/provider/bookings/{id}/certificate",
            post(upload_course_certificate),
        )
        .route("/course-certificates/{id}", get(course_certificate))
        .route("/provider/{id}/logo", post(upload_logo))
        .route("/providers/{id}/logo", get(logo))
        .route(
            "/course-certificates/{id}/signed",
            get(signed_course_certificate),
        )
        // The body's own limit is set around the whole router (`limit_body`).
        .layer(axum::extract::DefaultBodyLimit::disable())
}

/// The most an upload's body may carry: the file limit, twice over (a file past the limit is
/// still read to its end, up to this, so the form can say why), and room for the form's other
/// fields.
pub fn body_limit(upload_max: u64) -> usize {
    (upload_max.saturating_mul(2) + (1 << 20)) as usize
}

/// Whether a path is one of the uploads, which take bodies up to the file limit.
pub fn is_upload(path: &str) -> bool {
    (path.ends_with("/upload")
        && (path.starts_with("/my/cases/") || path.starts_with("/staff/cases/")))
        || (path.ends_with("/template") && path.starts_with("/staff/schemes/"))
        || (path.ends_with("/certificate") && path.starts_with("/provider/bookings/"))
        || (path.ends_with("/logo") && path.starts_with("/provider/"))
}

/// The longest note read from a form; a longer one is refused by the note's own rule.
const NOTE_READ_MAX: usize = 16 << 10;

/// The form's fields: the file (received whole, or why not) and the note.
struct Form {
    file: Option<(String, Result<app::cases::files::Received, AppError>)>,
    note: String,
}

impl Form {
    /// The file received whole, or why not (none was sent, or it was refused as it arrived).
    fn into_file(self) -> Result<(String, app::cases::files::Received), AppError> {
        match self.file {
            Some((name, file)) => file.map(|file| (name, file)),
            None => Err(AppError::field("file", app::i18n::Text::UploadNoFile)),
        }
    }
}

async fn read_form(cx: &Ctx, mut multipart: Multipart) -> Result<Form, AppError> {
    let config = &cx.state.config;
    let mut form = Form {
        file: None,
        note: String::new(),
    };
    let broken = |e: axum::extract::multipart::MultipartError| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(config.upload_max),
        _ => AppError::field("file", app::i18n::Text::UploadInterrupted),
    };
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        match field.name() {
            Some("file") if form.file.is_none() => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let mut incoming = Incoming::new(&config.upload_dir, config.upload_max)
                    .await
                    .map_err(AppError::internal)?;
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    incoming.push(&chunk).await.map_err(AppError::internal)?;
                }
                if name.is_empty() && !incoming.over_limit() {
                    form.file = Some((
                        name,
                        Err(AppError::field("file", app::i18n::Text::UploadNoFile)),
                    ));
                    continue;
                }
                form.file = Some((name, incoming.finish().await));
            }
            Some("note") => {
                let mut note = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    if note.len() < NOTE_READ_MAX {
                        note.extend_from_slice(
                            &chunk[..chunk.len().min(NOTE_READ_MAX - note.len())],
                        );
                    }
                }
                form.note = String::from_utf8_lossy(&note).into_owned();
            }
            // Anything else is read past and forgotten.
            _ => while field.chunk().await.map_err(broken)?.is_some() {},
        }
    }
    Ok(form)
}

/// "Överför" on the person's own case.
async fn upload_mine(
    cx: Ctx,
    Path((case, req)): Path<(String, String)>,
    multipart: Multipart,
) -> Response {
    let path = format!("/my/cases/{case}/documents/{req}/upload");
    let user = match crate::router::user_or_refuse(&cx, &path).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return Redirect::to("/login").into_response(),
        Err(e) => return e.into_response(),
    };
    let Some(person) = user.person_id.clone() else {
        let e = AppError::Forbidden;
        cx.log_refusal(&e, &path).await;
        return e.into_response();
    };
    let back = format!("/my/cases/{case}/documents/{req}");
    receive(
        &cx,
        &user,
        Uploader::Person(&person),
        &case,
        &req,
        &back,
        &path,
        multipart,
    )
    .await
}

/// Staff send a file that came by post, on the person's behalf.
async fn upload_for(
    cx: Ctx,
    Path((case, req)): Path<(String, String)>,
    multipart: Multipart,
) -> Response {
    let path = format!("/staff/cases/{case}/documents/{req}/upload");
    let user = match crate::router::user_or_refuse(&cx, &path).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return Redirect::to("/login").into_response(),
        Err(e) => return e.into_response(),
    };
    if !user.is_staff() {
        let e = AppError::Forbidden;
        cx.log_refusal(&e, &path).await;
        return e.into_response();
    }
    let back = format!("/staff/cases/{case}/documents/{req}");
    if let Err(e) = app::cases::handling::may_upload_for(&cx.state, &user, &case).await {
        if matches!(e, AppError::NotFound) {
            cx.log_refusal(&e, &path).await;
            return e.into_response();
        }
        return refused(&cx, &back, e, "");
    }
    receive(
        &cx,
        &user,
        Uploader::Staff,
        &case,
        &req,
        &back,
        &path,
        multipart,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn receive(
    cx: &Ctx,
    user: &app::auth::model::CurrentUser,
    uploader: Uploader<'_>,
    case: &str,
    req: &str,
    back: &str,
    path: &str,
    multipart: Multipart,
) -> Response {
    let mut up = Upload {
        case_id: case,
        requirement_id: req,
        original_name: "",
        note: "",
    };
    // Where the file goes is checked before it is read: another's case is not found.
    if let Err(e) = app::cases::service::check_upload(&cx.state.db, uploader, &up).await {
        if matches!(e, AppError::NotFound) {
            cx.log_refusal(&e, path).await;
            return e.into_response();
        }
        return refused(cx, back, e, "");
    }
    let mut form = match read_form(cx, multipart).await {
        Ok(form) => form,
        Err(e) => return refused(cx, back, e, ""),
    };
    let note = std::mem::take(&mut form.note);
    let (name, file) = match form.into_file() {
        Ok(found) => found,
        Err(e) => return refused(cx, back, e, &note),
    };
    up.original_name = &name;
    up.note = &note;
    let actor = cx.actor(user);
    match app::cases::service::upload(&cx.state, &actor, uploader, &up, file).await {
        Ok(done) => {
            let to = match uploader {
                Uploader::Person(_) => {
                    format!(
                        "/my/cases/{case}?tab=upload&done=uploaded&doc={}#uploaded",
                        done.id
                    )
                }
                Uploader::Staff => format!("/staff/cases/{case}?done=uploaded&doc={}", done.id),
            };
            Redirect::to(&to).into_response()
        }
        Err(AppError::NotFound) => {
            cx.log_refusal(&AppError::NotFound, path).await;
            AppError::NotFound.into_response()
        }
        Err(e) => refused(cx, back, e, &note),
    }
}

/// Back to the form with the refusal in words and the note kept, as a refused server function
/// comes back (the `kept_forms` layer keeps the note off the address and signs the rest).
/// `back` may carry a query and an anchor of its own; `__path` names its page.
fn refused(cx: &Ctx, back: &str, error: AppError, note: &str) -> Response {
    let error = error.keep(&[("note", note)]);
    // `back` may end with the form's `#anchor`: the answer opens there.
    let (back, anchor) = match back.split_once('#') {
        Some((back, anchor)) => (back, format!("#{anchor}")),
        None => (back, String::new()),
    };
    let (page, query) = match back.split_once('?') {
        Some((page, query)) => (page, format!("{query}&")),
        None => (back, String::new()),
    };
    let to = format!(
        "{}{page}?{query}__path={}&__err={}{anchor}",
        cx.state.config.base_url,
        app::ui::format::encode_component(page),
        error.to_address()
    );
    Redirect::to(&to).into_response()
}

/// "Ladda upp mall": a body administrator sets a required document's template.
async fn upload_template(
    cx: Ctx,
    Path((scheme, req)): Path<(String, String)>,
    multipart: Multipart,
) -> Response {
    let path = format!("/staff/schemes/{scheme}/documents/{req}/template");
    let user = match crate::router::user_or_refuse(&cx, &path).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return Redirect::to("/login").into_response(),
        Err(e) => return e.into_response(),
    };
    if !user.has(app::auth::model::Role::BodyAdmin) {
        let e = AppError::Forbidden;
        cx.log_refusal(&e, &path).await;
        return e.into_response();
    }
    let back = format!("/staff/schemes/{scheme}?edit={req}");
    let (name, file) = match read_form(&cx, multipart).await.and_then(Form::into_file) {
        Ok(found) => found,
        Err(e) => return refused(&cx, &back, e, ""),
    };
    let actor = cx.actor(&user);
    match app::cases::service::set_template(&cx.state, &actor, &scheme, &req, &name, file).await {
        Ok(_) => {
            Redirect::to(&format!("/staff/schemes/{scheme}?done=template_saved")).into_response()
        }
        Err(AppError::NotFound) => {
            cx.log_refusal(&AppError::NotFound, &path).await;
            AppError::NotFound.into_response()
        }
        Err(e) => refused(&cx, &back, e, ""),
    }
}

/// A required document's template ("Hämta mall"): a blank form, for anyone.
async fn template(cx: Ctx, Path(req): Path<String>) -> Response {
    let found = match app::cases::service::template_for_download(&cx.state.db, &req).await {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    file_response(
        &cx,
        &found.template_sha256,
        &found.template,
        found.template_format,
        false,
        "public, max-age=300",
    )
    .await
}

/// The stored file `sha256` as a download named `name` (shown in the browser when `inline` and
/// a PDF).
async fn file_response(
    cx: &Ctx,
    sha256: &str,
    name: &str,
    format: Format,
    inline: bool,
    cache: &str,
) -> Response {
    let key = app::storage::Storage::key(sha256);
    let (size, stream) = match cx.state.storage.get(&key).await {
        Ok(found) => found,
        Err(e) => return AppError::internal(e).into_response(),
    };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    // Only a PDF is shown in the browser (by its viewer, never as a page of the portal's).
    let inline = inline && format == Format::Pdf;
    let disposition = format!(
        "{}; filename=\"{ascii}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        app::ui::format::encode_component(name)
    );
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_LENGTH, size.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, cache.to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// How a download is asked for: `?view=inline` shows a PDF in the browser.
#[derive(serde::Deserialize)]
struct View {
    view: Option<String>,
}

/// A document's file, for its person and for staff; anyone else finds nothing.
async fn download(
    cx: Ctx,
    Path(id): Path<String>,
    axum::extract::Query(how): axum::extract::Query<View>,
) -> Response {
    let path = format!("/documents/{id}");
    let user = match crate::router::user_or_refuse(&cx, &path).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return Redirect::to("/login").into_response(),
        Err(e) => return e.into_response(),
    };
    let actor = cx.actor(&user);
    let doc = match app::cases::service::document_for_download(&cx.state, &user, &actor, &id).await
    {
        Ok(doc) => doc,
        Err(e) => {
            cx.log_refusal(&e, &path).await;
            return e.into_response();
        }
    };
    let inline = how.view.as_deref() == Some("inline");
    file_response(
        &cx,
        &doc.sha256,
        &doc.stored_name,
        doc.format,
        inline,
        "private, no-store",
    )
    .await
}

/// "Ladda upp" in a booking's "Certifiering": the provider's PDF for the participant. Refused
/// before the file is read where the course has no certification (or the booking is not
/// "Fullföljd"), and judged by its content when it has arrived.
async fn upload_course_certificate(
    cx: Ctx,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Response {
    let path = format!("/provider/bookings/{id}/certificate");
    let user = match crate::router::user_or_refuse(&cx, &path).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return Redirect::to("/login").into_response(),
        Err(e) => return e.into_response(),
    };
    let back = format!("/provider/bookings/{id}");
    let refuse_or_hide = |e: AppError| async {
        match e {
            AppError::NotFound | AppError::Forbidden => {
                cx.log_refusal(&e, &path).await;
                e.into_response()
            }
            e => refused(&cx, &back, e, ""),
        }
    };
    if let Err(e) = app::training::service::check_upload(&cx.state, &user, &id).await {
        return refuse_or_hide(e).await;
    }
    let (name, file) = match read_form(&cx, multipart).await.and_then(Form::into_file) {
        Ok(found) => found,
        Err(e) => return refused(&cx, &back, e, ""),
    };
    let actor = cx.actor(&user);
    match app::training::service::upload_certificate(&cx.state, &actor, &user, &id, &name, file)
        .await
    {
        Ok(done) => {
            let done = match done {
                app::training::service::Uploaded::New => "uploaded",
                app::training::service::Uploaded::Already => "already_uploaded",
            };
            Redirect::to(&format!("/provider/bookings/{id}?done={done}")).into_response()
        }
        Err(e) => refuse_or_hide(e).await,
    }
}

/// A booking's course certificate, for whoever may see it; anyone else finds nothing.
async fn course_certificate(cx: Ctx, Path(id): Path<String>) -> Response {
    let path = format!("/course-certificates/{id}");
    let user = match crate::router::user_or_refuse(&cx, &path).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return Redirect::to("/login").into_response(),
        Err(e) => return e.into_response(),
    };
    let (sha256, name) = match app::training::service::certificate_file(&cx.state, &user, &id).await
    {
        Ok(found) => found,
        Err(e) => {
            cx.log_refusal(&e, &path).await;
            return e.into_response();
        }
    };
    file_response(&cx, &sha256, &name, Format::Pdf, true, "private, no-store").await
}

/// "Ladda ned signerat intyg": the portal's signed statement of a course certificate.
async fn signed_course_certificate(cx: Ctx, Path(id): Path<String>) -> Response {
    let path = format!("/course-certificates/{id}/signed");
    let user = match crate::router::user_or_refuse(&cx, &path).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return Redirect::to("/login").into_response(),
        Err(e) => return e.into_response(),
    };
    match app::training::service::signed_certificate(&cx.state, &user, &id, cx.locale).await {
        Ok((pdf, name)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            pdf,
        )
            .into_response(),
        Err(e) => {
            cx.log_refusal(&e, &path).await;
            e.into_response()
        }
    }
}

/// "Ladda upp logotyp" on the provider's profile: a PNG or JPEG, judged by its content.
async fn upload_logo(cx: Ctx, Path(id): Path<String>, multipart: Multipart) -> Response {
    let path = format!("/provider/{id}/logo");
    let user = match crate::router::user_or_refuse(&cx, &path).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return Redirect::to("/login").into_response(),
        Err(e) => return e.into_response(),
    };
    if let Err(e) = app::training::service::check_logo(&user, &id) {
        cx.log_refusal(&e, &path).await;
        return e.into_response();
    }
    let back = format!(
        "/provider?provider_id={}#logo",
        app::ui::format::encode_component(&id)
    );
    let (_, file) = match read_form(&cx, multipart).await.and_then(Form::into_file) {
        Ok(found) => found,
        Err(e) => return refused(&cx, &back, e, ""),
    };
    let actor = cx.actor(&user);
    match app::training::service::set_logo(&cx.state, &actor, &user, &id, file).await {
        Ok(done) => {
            let done = match done {
                app::training::service::LogoSet::Set => "logo_set",
                app::training::service::LogoSet::Already => "already_logo",
            };
            let to = format!(
                "/provider?provider_id={}&done={done}",
                app::ui::format::encode_component(&id)
            );
            Redirect::to(&to).into_response()
        }
        Err(e @ (AppError::NotFound | AppError::Forbidden)) => {
            cx.log_refusal(&e, &path).await;
            e.into_response()
        }
        Err(e) => refused(&cx, &back, e, ""),
    }
}

/// How a logo is asked for: `?v=` the start of its SHA-256, as the pages link it.
#[derive(serde::Deserialize)]
struct Version {
    v: Option<String>,
}

/// A provider's logo, for anyone. Asked for by its version (the pages' address, which changes
/// with the picture) it is kept a day; otherwise five minutes.
async fn logo(
    cx: Ctx,
    Path(id): Path<String>,
    axum::extract::Query(asked): axum::extract::Query<Version>,
) -> Response {
    let (sha256, content_type) = match app::training::service::logo(&cx.state, &id).await {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    let versioned = asked
        .v
        .is_some_and(|v| v.len() >= 12 && sha256.starts_with(&v));
    let cache = if versioned {
        "public, max-age=86400"
    } else {
        "public, max-age=300"
    };
    let key = app::storage::Storage::key(&sha256);
    let (size, stream) = match cx.state.storage.get(&key).await {
        Ok(found) => found,
        Err(e) => return AppError::internal(e).into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_LENGTH, size.to_string()),
            (header::CACHE_CONTROL, cache.to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
