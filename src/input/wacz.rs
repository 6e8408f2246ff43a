//! WACZ packages: a zip holding `datapackage.json` (every file with its sha256),
//! `pages/pages.jsonl` (the page list), the WARCs under `archive/` and a CDXJ (or classic CDX)
//! index. Every listed file's hash is verified; every WARC is read as a WARC, its records named
//! `PACKAGE!archive/NAME#OFFSET`.

use super::{Archive, Source};
use crate::error::Error;
use crate::pipeline::ReadOptions;
use std::collections::HashMap;
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

/// The package's zip, read from memory.
type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The bytes of entry `name` (at most [`MAX_ENTRY`]), if the package holds it and it reads.
fn read_entry(zip: &mut Zip<'_>, name: &str) -> Option<Vec<u8>> {
    let mut f = zip.by_name(name).ok()?;
    let mut v = Vec::new();
    (&mut f).take(MAX_ENTRY).read_to_end(&mut v).ok()?;
    Some(v)
}

/// The WARCs of a WACZ as record sources, and the package's own errors: unreadable zip,
/// a file whose sha256 differs from `datapackage.json`, a listed file missing, a page of
/// `pages.jsonl` that no record captures.
pub fn sources(path: &Path, bytes: &[u8], opts: &ReadOptions) -> (Vec<Source>, Vec<Error>) {
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => {
            return (
                Vec::new(),
                vec![err(path, format!("not a readable zip: {e}"))],
            )
        }
    };
    let mut errors = verify_package(path, &mut zip);
    let mut sources = warc_sources(path, &mut zip, opts, &mut errors);
    errors.extend(check_indexes(path, &mut zip, &mut sources));
    if let Some(pages) = read_entry(&mut zip, "pages/pages.jsonl") {
        errors.extend(unlisted_pages(path, &pages, &sources));
    }
    (sources, errors)
}

/// Every file `datapackage.json` lists is in the package, with the sha256 it gives.
fn verify_package(path: &Path, zip: &mut Zip<'_>) -> Vec<Error> {
    let mut errors = Vec::new();
    let package: serde_json::Value = read_entry(zip, "datapackage.json")
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| {
            errors.push(err(path, "no readable datapackage.json".into()));
            serde_json::Value::Null
        });
    for res in package["resources"].as_array().into_iter().flatten() {
        let (Some(name), Some(hash)) = (res["path"].as_str(), res["hash"].as_str()) else {
            continue;
        };
        let Some(data) = read_entry(zip, name) else {
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
    errors
}

/// The WARCs under `archive/`, each a source named `PACKAGE!archive/NAME`.
fn warc_sources(
    path: &Path,
    zip: &mut Zip<'_>,
    opts: &ReadOptions,
    errors: &mut Vec<Error>,
) -> Vec<Source> {
    let names: Vec<String> = zip
        .file_names()
        .filter(|n| n.starts_with("archive/") && (n.ends_with(".warc") || n.ends_with(".warc.gz")))
        .map(str::to_string)
        .collect();
    let shown = opts.display(path);
    let mut sources = Vec::new();
    for name in names {
        let Some(data) = read_entry(zip, &name) else {
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
    sources
}

/// The index files under `indexes/` (CDXJ or classic CDX, gzipped or not) checked against
/// the records of `sources` ([`index_notes`]).
fn check_indexes(path: &Path, zip: &mut Zip<'_>, sources: &mut [Source]) -> Vec<Error> {
    let indexes: Vec<String> = zip
        .file_names()
        .filter(|n| {
            n.starts_with("indexes/")
                && (n.ends_with(".cdxj") || n.ends_with(".cdx") || n.ends_with(".cdx.gz"))
        })
        .map(str::to_string)
        .collect();
    let mut errors = Vec::new();
    for name in indexes {
        let Some(mut data) = read_entry(zip, &name) else {
            continue;
        };
        if name.ends_with(".gz") {
            let mut plain = Vec::new();
            let _ = flate2::read::MultiGzDecoder::new(&data[..])
                .take(MAX_ENTRY)
                .read_to_end(&mut plain);
            data = plain;
        }
        errors.extend(index_notes(path, &name, &data, sources));
    }
    errors
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

/// One entry of an index: a CDXJ line (`SURT TIMESTAMP {JSON}`) or a classic CDX line.
struct Entry {
    url: String,
    offset: u64,
    filename: String,
    digest: Option<String>,
}

/// The entries of an index's text: classic CDX when its first line is a CDX header naming the
/// fields (` CDX N b a m s k r M S V g`), CDXJ lines otherwise. Lines that cannot be read are
/// passed over.
fn entries(text: &str) -> Vec<Entry> {
    let first = text.lines().next().unwrap_or("");
    match cdx_fields(first) {
        Some(fields) => text
            .lines()
            .skip(1)
            .filter_map(|l| cdx_entry(&fields, l))
            .collect(),
        None => text.lines().filter_map(entry).collect(),
    }
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

/// The field letters of a classic CDX header (`CDX` then one letter a field: `a` the original
/// URL, `V` or `v` the record's offset, `g` the file name, `k` the digest …), or `None` when
/// the line is not one.
fn cdx_fields(header: &str) -> Option<Vec<char>> {
    let mut words = header.split_whitespace();
    if words.next()? != "CDX" {
        return None;
    }
    let fields: Option<Vec<char>> = words
        .map(|w| {
            let mut c = w.chars();
            match (c.next(), c.next()) {
                (Some(f), None) => Some(f),
                _ => None,
            }
        })
        .collect();
    fields.filter(|f| !f.is_empty())
}

/// One line of a classic CDX file, its values in the order of `fields` (`-` for none).
fn cdx_entry(fields: &[char], line: &str) -> Option<Entry> {
    let values: Vec<&str> = line.split_whitespace().collect();
    if values.len() != fields.len() {
        return None;
    }
    let field = |f: char| {
        let i = fields.iter().position(|&x| x == f)?;
        Some(values[i]).filter(|v| *v != "-")
    };
    Some(Entry {
        url: field('a')?.to_string(),
        offset: field('V').or_else(|| field('v'))?.parse().ok()?,
        filename: field('g')?.to_string(),
        digest: field('k').map(str::to_string),
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

/// The records of a source, for looking entries up: where each starts, its canonical URL
/// and its `WARC-Payload-Digest`; the first record at an offset and of a URL, by each.
struct Records {
    list: Vec<(u64, Option<String>, String)>,
    by_offset: HashMap<u64, usize>,
    by_url: HashMap<String, usize>,
}

impl Records {
    fn of(s: &Source) -> Records {
        let list: Vec<(u64, Option<String>, String)> = s
            .records
            .iter()
            .filter_map(|p| match p {
                super::Pending::Record(r, _) => Some((
                    r.offset,
                    r.header("WARC-Target-URI").map(super::surt::canonical),
                    r.header("WARC-Payload-Digest").unwrap_or("").to_string(),
                )),
                super::Pending::Bad(_) => None,
            })
            .collect();
        let mut by_offset = HashMap::new();
        let mut by_url = HashMap::new();
        for (i, r) in list.iter().enumerate() {
            by_offset.entry(r.0).or_insert(i);
            if let Some(u) = &r.1 {
                by_url.entry(u.clone()).or_insert(i);
            }
        }
        Records {
            list,
            by_offset,
            by_url,
        }
    }
}

/// Checks the entries of the index `name` (CDXJ or classic CDX text) against the records of
/// `sources`: an entry whose offset is not where a record of its URL starts, or whose digest
/// is not that record's `WARC-Payload-Digest`, becomes a note on the capture of that URL
/// ([`Archive::index_notes`], written into its front matter as `index_mismatch`); an entry whose
/// URL no record captures is an error of the package.
pub fn index_notes(path: &Path, name: &str, data: &[u8], sources: &mut [Source]) -> Vec<Error> {
    let mut errors = Vec::new();
    // Each source's records are listed once, when an entry first names it.
    let mut records: Vec<Option<Records>> = sources.iter().map(|_| None).collect();
    for e in entries(&String::from_utf8_lossy(data)) {
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
        let recs = records[si].get_or_insert_with(|| Records::of(&sources[si]));
        match note_for(name, &e, recs) {
            Ok(Some((off, n))) => add_note(&mut sources[si].archive, off, n),
            Ok(None) => {}
            Err(message) => errors.push(err(path, message)),
        }
    }
    errors
}

/// What is wrong with entry `e` of index `name`: a note for the record of its URL (at that
/// record's offset), nothing, or (an error of the package) no record captures its URL.
fn note_for(name: &str, e: &Entry, recs: &Records) -> Result<Option<(u64, String)>, String> {
    let key = super::surt::canonical(&e.url);
    let at = recs.by_offset.get(&e.offset).map(|&i| &recs.list[i]);
    if let Some((off, Some(k), digest)) = at {
        if *k == key {
            return Ok(match &e.digest {
                Some(d) if !digest.is_empty() && bare(d) != bare(digest) => Some((
                    *off,
                    format!(
                        "{name} gives digest {d}, the record's WARC-Payload-Digest is {digest}"
                    ),
                )),
                _ => None,
            });
        }
    }
    let what = match at {
        Some((_, u, _)) => format!("a record of {}", u.as_deref().unwrap_or("no URL")),
        None => "no record start".to_string(),
    };
    match recs.by_url.get(&key).map(|&i| &recs.list[i]) {
        Some(r) => Ok(Some((
            r.0,
            format!(
                "{name} puts it at byte {}, where {} is found",
                e.offset, what
            ),
        ))),
        None => Err(format!("{name}: the entry for {} points at byte {} of {}, where {what} is found, and no record of the package captures it", e.url, e.offset, e.filename)),
    }
}

/// Add note `n` to the capture at `off` (after any it has).
fn add_note(archive: &mut Archive, off: u64, n: String) {
    archive
        .index_notes
        .entry(off)
        .and_modify(|x| {
            x.push_str("; ");
            x.push_str(&n)
        })
        .or_insert(n);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A classic CDX file is read by its header's field letters, wherever they put the URL,
    /// offset, file and digest; a CDXJ file is not taken for one.
    #[test]
    fn classic_cdx_is_read_by_its_header() {
        let cdx = " CDX N b a m s k r M S V g\n\
                   org,example)/a 20240105100001 https://example.org/a text/html 200 ABC - - 1 42 x.warc.gz\n\
                   org,example)/b 20240105100001 https://example.org/b text/html 200 - - - 1 7 x.warc.gz\n\
                   short line\n";
        let e = entries(cdx);
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[0].url.as_str(), e[0].offset, e[0].filename.as_str()),
            ("https://example.org/a", 42, "x.warc.gz")
        );
        assert_eq!(e[0].digest.as_deref(), Some("ABC"));
        assert_eq!(e[1].digest, None);
        let reordered = "CDX a g v\nhttps://example.org/c y.warc 9\n";
        let e = entries(reordered);
        assert_eq!((e[0].offset, e[0].filename.as_str()), (9, "y.warc"));
        let cdxj = "org,example)/a 20240105100001 {\"url\": \"https://example.org/a\", \"offset\": \"5\", \"filename\": \"x.warc.gz\"}\n";
        assert!(cdx_fields(cdxj.lines().next().unwrap()).is_none());
        assert_eq!(entries(cdxj)[0].offset, 5);
    }
}
