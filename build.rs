//! Turns the locale files into a `Key` enum and one string table per language, so a missing or
//! misspelt key, or a placeholder present in one language only, fails the build instead of showing
//! a raw key to a reader.
// It runs on the build machine, not in the wasm: the size rules of clippy.toml do not apply.
#![allow(clippy::disallowed_types, clippy::disallowed_methods, clippy::disallowed_macros)]

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;
use std::fmt::Write as _;
use std::{env, fs, path::Path};

const LANGUAGES: [(&str, &str); 2] = [("FR", "locales/fr.json"), ("EN", "locales/en.json")];

fn load(path: &str) -> Result<BTreeMap<String, String>, Box<dyn Error>> {
    println!("cargo:rerun-if-changed={path}");
    let text = fs::read_to_string(path)?;
    let map: BTreeMap<String, String> =
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    if let Some((key, _)) = map.iter().find(|(_, v)| v.trim().is_empty()) {
        return Err(format!("{path}: the key {key} has an empty text").into());
    }
    Ok(map)
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
}

fn variant_name(key: &str) -> String {
    key.split(['.', '_'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

fn main() -> Result<(), Box<dyn Error>> {
    // The split build's linker keeps its relocations, which wasm-split needs to cut the wasm.
    if env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
    generate("Key")
}

/// Writes `$OUT_DIR/locale_keys.rs`: the enum `enum_name` of the keys of `locales/*.json` (from
/// the building package's directory) and the tables `FR` and `EN`. The console's build script
/// calls it too, with its own locale files and enum name.
pub fn generate(enum_name: &str) -> Result<(), Box<dyn Error>> {
    let tables: Vec<(&str, BTreeMap<String, String>)> =
        LANGUAGES.iter().map(|(name, path)| load(path).map(|t| (*name, t))).collect::<Result<_, _>>()?;
    let reference = &tables[0].1;
    for (name, table) in &tables[1..] {
        let left: BTreeSet<_> = reference.keys().collect();
        let right: BTreeSet<_> = table.keys().collect();
        if left != right {
            let only_ref: Vec<_> = left.difference(&right).collect();
            let only_other: Vec<_> = right.difference(&left).collect();
            return Err(format!("locale {name} differs from FR: missing {only_ref:?}, extra {only_other:?}").into());
        }
        for (key, text) in table {
            if placeholders(text) != placeholders(&reference[key]) {
                return Err(format!("locale {name}: the placeholders of {key} differ from FR").into());
            }
        }
    }

    let mut out = String::new();
    writeln!(out, "/// A visible string; its texts live in `locales/*.json`.")?;
    writeln!(out, "#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]\npub enum {enum_name} {{")?;
    for key in reference.keys() {
        writeln!(out, "    /// `{key}`\n    {},", variant_name(key))?;
    }
    writeln!(out, "}}\n\nimpl {enum_name} {{\n    pub const ALL: [{enum_name}; {}] = [", reference.len())?;
    for key in reference.keys() {
        writeln!(out, "        {enum_name}::{},", variant_name(key))?;
    }
    writeln!(out, "    ];\n\n    /// The key's name in the locale files.\n    pub fn id(self) -> &'static str {{\n        match self {{")?;
    for key in reference.keys() {
        writeln!(out, "            {enum_name}::{} => {key:?},", variant_name(key))?;
    }
    writeln!(out, "        }}\n    }}\n}}\n")?;
    for (name, table) in &tables {
        writeln!(out, "const {name}: [&str; {}] = [", table.len())?;
        for text in table.values() {
            writeln!(out, "    {text:?},")?;
        }
        writeln!(out, "];\n")?;
    }
    let dest = Path::new(&env::var("OUT_DIR")?).join("locale_keys.rs");
    fs::write(dest, out)?;
    Ok(())
}
