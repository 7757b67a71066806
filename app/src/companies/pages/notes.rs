//! The company page's "Anteckningar" tab (the body's staff only).

use super::*;

#[component]
pub(super) fn NotesTab(company: CompanyView, forms: Forms) -> impl IntoView {
    let error = err(forms.note);
    let notes = company.notes.clone().unwrap_or_default();
    let paging = view! {
        <Pagination base=format!("/companies/{}?tab=notes&", company.id) page=notes.page
            has_next=notes.has_next param="notes_page"/>
    };
    let list = if notes.items.is_empty() {
        let first = format!("/companies/{}?tab=notes&notes_page=1", company.id);
        crate::ui::search::empty_state(notes.page, first, Text::NotesEmpty)
    } else {
        notes
            .items
            .into_iter()
            .map(|n| {
                view! {
                    <article class="message">
                        <p class="hint">{short_time(&n.created_at)}" · "{n.author}</p>
                        <p class="body message__body">{n.body}</p>
                    </article>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <p class="hint">{t(Text::NotesHint)}</p>
        <section class="panel" aria-labelledby="new-note">
            <h2 class="heading-m" id="new-note">{t(Text::NoteNew)}</h2>
            <ErrorSummary error/>
            <ActionForm action=forms.note attr:novalidate="novalidate">
                <input type="hidden" name="company_id" value=company.id.clone()/>
                <TextArea name="body" label=Text::NoteBody error/>
                <button type="submit" class="button">{t(Text::NoteSave)}</button>
            </ActionForm>
        </section>
        {list}
        {paging}
    }
}
