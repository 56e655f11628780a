//! The console's strings: the widget's generator (`../build.rs`) over `console/locales/*.json`,
//! with its own enum name, so a key missing in one language fails the build here too.

#[path = "../build.rs"]
#[allow(dead_code)]
mod widget_build;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    widget_build::generate("Phrase")
}
