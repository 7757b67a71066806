//! Reading one cookie out of a `Cookie` header, for the language and the session.

/// The value of cookie `name` in every `Cookie` header of a request, if set and not empty.
pub fn value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|header| in_header(header, name))
        .map(str::to_owned)
}

/// The value of cookie `name` in one `Cookie` header.
pub fn in_header<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (n, v) = pair.trim().split_once('=')?;
        (n == name && !v.is_empty()).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_a_cookie_among_others() {
        assert_eq!(super::in_header("a=1; b=2;c=3", "b"), Some("2"));
        assert_eq!(super::in_header("a=1; b=", "b"), None);
        assert_eq!(super::in_header("", "b"), None);
    }
}
