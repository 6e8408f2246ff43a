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
            index_notes: Default::default(),
        };
        sources.push(Source::warc(archive, &data));
    }
    let indexes: Vec<String> = zip
        .file_names()
        .filter(|n| {
            n.starts_with("indexes/")
                && (n.ends_with(".cdxj") || n.ends_with(".cdx") || n.ends_with(".cdx.gz"))
        })
        .map(str::to_string)
        .collect();
    for name in indexes {
        let Some(mut data) = read(&mut zip, &name) else {
            continue;
        };
        if name.ends_with(".gz") {
            let mut plain = Vec::new();
            let _ = flate2::read::MultiGzDecoder::new(&data[..])
                .take(MAX_ENTRY)
                .read_to_end(&mut plain);
            data = plain;
        }
        errors.extend(index_notes(path, &name, &data, &mut sources));
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

/// One entry of a CDXJ index: `SURT TIMESTAMP {JSON}`.
struct Entry {
    url: String,
    offset: u64,
    filename: String,
    digest: Option<String>,
}

fn entry(line: &str) -> Option<Entry> {
    let json = &line[line.find('{')?..];
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    let num = |k: &str| match &v[k] {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    Some(Entry {
        url: v["url"].as_str()?.to_string(),
        offset: num("offset")?,
        filename: v["filename"].as_str()?.to_string(),
        digest: v["digest"].as_str().map(str::to_string),
    })
}

/// A digest without its algorithm, in upper case (CDXJ often drops the `sha1:`).
fn bare(d: &str) -> String {
    d.rsplit(':')
        .next()
        .unwrap_or(d)
        .trim()
        .to_ascii_uppercase()
}

/// Checks the entries of the index `name` (CDXJ text) against the records of `sources`: an
/// entry whose offset is not where a record of its URL starts, or whose digest is not that
/// record's `WARC-Payload-Digest`, becomes a note on the capture of that URL
/// ([`Archive::index_notes`], written into its front matter as `index_mismatch`); an entry whose
/// URL no record captures is an error of the package.
pub fn index_notes(path: &Path, name: &str, data: &[u8], sources: &mut [Source]) -> Vec<Error> {
    let mut errors = Vec::new();
    for e in String::from_utf8_lossy(data).lines().filter_map(entry) {
        let key = super::surt::canonical(&e.url);
        let Some(si) = sources.iter().position(|s| {
            s.archive
                .display
                .ends_with(&format!("archive/{}", e.filename))
        }) else {
            errors.push(err(
                path,
                format!(
                    "{name}: the entry for {} names {}, which the package does not hold",
                    e.url, e.filename
                ),
            ));
            continue;
        };
        let records = |s: &Source| -> Vec<(u64, Option<String>, String)> {
            s.records
                .iter()
                .filter_map(|p| match p {
                    super::Pending::Record(r, _) => Some((
                        r.offset,
                        r.header("WARC-Target-URI").map(super::surt::canonical),
                        r.header("WARC-Payload-Digest").unwrap_or("").to_string(),
                    )),
                    super::Pending::Bad(_) => None,
                })
                .collect()
        };
        let recs = records(&sources[si]);
        let at = recs.iter().find(|r| r.0 == e.offset);
        let note = match at {
            Some((off, Some(k), digest)) if *k == key => match &e.digest {
                Some(d) if !digest.is_empty() && bare(d) != bare(digest) => Some((
                    *off,
                    format!(
                        "{name} gives digest {d}, the record's WARC-Payload-Digest is {digest}"
                    ),
                )),
                _ => None,
            },
            _ => {
                let what = match at {
                    Some((_, u, _)) => format!("a record of {}", u.as_deref().unwrap_or("no URL")),
                    None => "no record start".to_string(),
                };
                match recs.iter().find(|r| r.1.as_deref() == Some(key.as_str())) {
                    Some(r) => Some((
                        r.0,
                        format!(
                            "{name} puts it at byte {}, where {} is found",
                            e.offset, what
                        ),
                    )),
                    None => {
                        errors.push(err(
                            path,
                            format!("{name}: the entry for {} points at byte {} of {}, where {what} is found, and no record of the package captures it", e.url, e.offset, e.filename),
                        ));
                        None
                    }
                }
            }
        };
        if let Some((off, n)) = note {
            let notes = &mut sources[si].archive.index_notes;
            notes
                .entry(off)
                .and_modify(|x| {
                    x.push_str("; ");
                    x.push_str(&n)
                })
                .or_insert(n);
        }
    }
    errors
}
