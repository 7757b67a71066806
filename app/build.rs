//! Turns the text files in `locales/` into a `Text` enum with one variant per key, so a missing
//! or misspelt key is a compile error and both languages are checked to have the same keys.

use std::collections::BTreeMap;
use std::{env, fs, path::Path};

const LANGS: [&str; 2] = ["sv", "en"];

fn parse(lang: &str) -> BTreeMap<String, String> {
    let path = format!("locales/{lang}.txt");
    println!("cargo:rerun-if-changed={path}");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut map = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("{path}:{}: expected `key = text`", n + 1));
        let key = key.trim();
        assert!(
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{path}:{}: keys are snake_case",
            n + 1
        );
        if map
            .insert(key.to_owned(), value.trim().replace("\\n", "\n"))
            .is_some()
        {
            panic!("{path}:{}: duplicate key {key}", n + 1);
        }
    }
    map
}

fn camel(key: &str) -> String {
    key.split('_')
        .map(|part| {
            let mut c = part.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn main() {
    let maps: Vec<_> = LANGS.iter().map(|l| parse(l)).collect();
    let keys: Vec<&String> = maps[0].keys().collect();
    for (lang, map) in LANGS.iter().zip(&maps).skip(1) {
        let theirs: Vec<&String> = map.keys().collect();
        for k in &keys {
            assert!(map.contains_key(*k), "locales/{lang}.txt lacks key {k}");
        }
        for k in theirs {
            assert!(
                maps[0].contains_key(k),
                "locales/{lang}.txt has key {k} that sv.txt lacks"
            );
        }
    }
    let mut out = String::from(
        "/// Every text the interface shows, one variant per key in `locales/*.txt`.\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]\npub enum Text {\n",
    );
    for k in &keys {
        out.push_str(&format!("    {},\n", camel(k)));
    }
    out.push_str("}\n\nimpl Text {\n    pub const ALL: &'static [Text] = &[");
    for k in &keys {
        out.push_str(&format!("Text::{}, ", camel(k)));
    }
    out.push_str("];\n    pub fn key(self) -> &'static str {\n        match self {\n");
    for k in &keys {
        out.push_str(&format!("            Text::{} => {:?},\n", camel(k), k));
    }
    out.push_str("        }\n    }\n}\n\n");
    for (lang, map) in LANGS.iter().zip(&maps) {
        out.push_str(&format!(
            "pub(crate) fn {lang}(t: Text) -> &'static str {{\n    match t {{\n"
        ));
        for (k, v) in map {
            out.push_str(&format!("        Text::{} => {:?},\n", camel(k), v));
        }
        out.push_str("    }\n}\n\n");
    }
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("texts.rs");
    fs::write(dest, out).expect("write texts.rs");
}
