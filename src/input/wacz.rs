//! WACZ packages: a zip holding `datapackage.json` (every file with its sha256), `pages/pages.jsonl`
//! (the page list), the WARCs under `archive/` and a CDXJ index. Every listed file's hash is
//! verified; every WARC is read as a WARC, its records named `PACKAGE!archive/NAME#OFFSET`.

use super::{Archive, Source};
use crate::error::Error;
use crate::pipeline::ReadOptions;
use std::io::{Cursor, Read};
use std::path::Path;

/// Whether a zip's bytes hold a `datapackage.json` (its name is in the central directory).
pub fn is_wacz(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"datapackage.json").is_some()
}

/// Entries over this size are not read (a WARC inside is read whole).
const MAX_ENTRY: u64 = 2 << 30;

fn err(path: &Path, message: String) -> Error {
    Error::Archive {
        path: path.to_path_buf(),
        offset: 0,
        message,
    }
}

/// The WARCs of a WACZ as record sources, and the package's own errors: unreadable zip,
/// a file whose sha256 differs from `datapackage.json`, a listed file missing, a page of
/// `pages.jsonl` that no record captures.
pub fn sources(path: &Path, bytes: &[u8], opts: &ReadOptions) -> (Vec<Source>, Vec<Error>) {
    let mut errors = Vec::new();
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => {
            return (
                Vec::new(),
                vec![err(path, format!("not a readable zip: {e}"))],
            )
        }
    };
    let read = |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str| -> Option<Vec<u8>> {
        let mut f = zip.by_name(name).ok()?;
        let mut v = Vec::new();
        (&mut f).take(MAX_ENTRY).read_to_end(&mut v).ok()?;
        Some(v)
    };
    let package: serde_json::Value = read(&mut zip, "datapackage.json")
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| {
            errors.push(err(path, "no readable datapackage.json".into()));
            serde_json::Value::Null
        });
    for res in package["resources"].as_array().into_iter().flatten() {
        let (Some(name), Some(hash)) = (res["path"].as_str(), res["hash"].as_str()) else {
            continue;
        };
        let Some(data) = read(&mut zip, name) else {
            errors.push(err(
                path,
                format!("datapackage.json lists {name}, which the package does not hold"),
            ));
            continue;
        };
        if let Some((computed, false)) = super::warc::check_digest(hash, &data) {
            errors.push(err(
                path,
                format!("{name}: datapackage.json gives {hash}, the file's bytes give {computed}: the package was altered or damaged"),
            ));
        }
    }
    let names: Vec<String> = zip
        .file_names()
        .filter(|n| n.starts_with("archive/") && (n.ends_with(".warc") || n.ends_with(".warc.gz")))
        .map(str::to_string)
        .collect();
    let shown = opts.display(path);
    let mut sources = Vec::new();
    for name in names {
        let Some(data) = read(&mut zip, &name) else {
            errors.push(err(
                path,
                format!("{name}: cannot be read from the package"),
            ));
            continue;
        };
        let archive = Archive {
            path: path.join(&name),
            display: format!("{shown}!{name}"),
        };
        sources.push(Source::warc(archive, &data));
    }
    if let Some(pages) = read(&mut zip, "pages/pages.jsonl") {
        errors.extend(unlisted_pages(path, &pages, &sources));
    }
    (sources, errors)
}

/// Pages that `pages.jsonl` lists and no record of the package captures.
fn unlisted_pages(path: &Path, pages: &[u8], sources: &[Source]) -> Vec<Error> {
    let captured: std::collections::HashSet<String> = sources
        .iter()
        .flat_map(|s| s.records.iter().filter_map(super::Pending::url_key))
        .collect();
    String::from_utf8_lossy(pages)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["url"].as_str().map(str::to_string))
        .filter(|u| !captured.contains(&super::surt::canonical(u)))
        .map(|u| {
            err(
                path,
                format!(
                    "pages/pages.jsonl lists {u}, which no WARC record in the package captures"
                ),
            )
        })
        .collect()
}
