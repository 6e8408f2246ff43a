//! Rules data: the knowledge the rules read from `rules/*.toml`.
//!
//! Every data file has the same shape; each may hold any of these tables (unknown keys are
//! errors, reported with file and line):
//!
//! ```toml
//! # plain keys before any [[table]]: after one, a key belongs to that table
//! safe = ["反覆", "覆蓋"]                       # correct words that contain a pitfall's text
//! # site boilerplate (segment stage), regular expressions matched against a whole line
//! boilerplate = ["訂戶|订户"]
//!
//! # converter pitfalls (rule substitution/converter)
//! [[pitfall]]
//! wrong = "恢覆"
//! right = "恢復"
//! script = "traditional"                      # which documents it applies to (default: traditional)
//!
//! # confusable characters (collation: OCR-style substitution)
//! [[confusable]]
//! chars = "游流"
//! why = "similar shape and sound"
//!
//! # offices and people (rule title/mismatch): see README "Rule data"
//! [[office]]
//! id = "un-secretary-general"
//! names = ["联合国秘书长"]
//! body = "United Nations"
//! title = "secretary-general"
//! [[person]]
//! id = "guterres"
//! names = ["古特雷斯"]
//! latin = "António Guterres"
//! held = [{ office = "un-secretary-general", from = "2017-01", source = "un.org" }]
//! ```
//!
//! The files under `rules/` in the repository are compiled into the binary as the default; a
//! user folder (`--rules DIR`) adds to them.

use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::normalize::normalize;
use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;
use toml::Spanned;

/// The data files compiled into the binary.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "rules/converter.toml",
        include_str!("../rules/converter.toml"),
    ),
    ("rules/layout.toml", include_str!("../rules/layout.toml")),
    (
        "rules/confusables.toml",
        include_str!("../rules/confusables.toml"),
    ),
    ("rules/titles.toml", include_str!("../rules/titles.toml")),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    safe: Vec<String>,
    #[serde(default)]
    pitfall: Vec<Spanned<PitfallDef>>,
    #[serde(default)]
    boilerplate: Vec<Spanned<String>>,
    #[serde(default)]
    confusable: Vec<Spanned<ConfusableDef>>,
    #[serde(default)]
    office: Vec<Spanned<OfficeDef>>,
    #[serde(default)]
    person: Vec<Spanned<PersonDef>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PitfallDef {
    wrong: String,
    right: String,
    #[serde(default)]
    script: Option<String>,
    #[serde(default)]
    why: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfusableDef {
    chars: String,
    #[serde(default)]
    why: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficeDef {
    id: String,
    names: Vec<String>,
    body: String,
    title: String,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    plural: bool,
    /// First month of the period the holder list is complete for (`YYYY-MM`).
    #[serde(default)]
    verified_from: Option<String>,
    /// Last month the holder list is known to be complete (`YYYY-MM`): not today, but the last
    /// month the data was checked against its source.
    #[serde(default)]
    verified_through: Option<String>,
    /// Where the holder list was checked (a URL or a named list).
    #[serde(default)]
    coverage_source: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonDef {
    id: String,
    names: Vec<String>,
    #[serde(default)]
    latin: Option<String>,
    #[serde(default)]
    held: Vec<HeldDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct HeldDef {
    office: String,
    from: String,
    #[serde(default)]
    to: Option<String>,
    source: String,
}

/// A converter pitfall: `wrong` where `right` was meant.
#[derive(Debug, Clone)]
pub struct Pitfall {
    /// The text a converter produces (恢覆).
    pub wrong: String,
    /// What the author wrote (恢復).
    pub right: String,
    /// Applies to traditional-script documents (else to simplified ones).
    pub traditional: bool,
    /// Why the converter gets it wrong, for the finding's help.
    pub why: Option<String>,
}

/// An office as the text names it.
#[derive(Debug, Clone)]
pub struct Office {
    /// The data's id (`un-secretary-general`); files that repeat it extend one office.
    pub id: String,
    /// Names in normalized (folded) form.
    pub names: Vec<String>,
    /// The first name as written, for messages.
    pub display: String,
    /// The organisation or state the office belongs to, in English (`United Nations`).
    pub body: String,
    /// The office's title in English (`secretary-general`).
    pub title: String,
    /// Ids of offices whose holders are also plausible for this name (a deputy, a predecessor
    /// office); an unknown holder's suggestions come from them too.
    pub related: Vec<String>,
    /// Several holders at once (副总理): an unknown name after it is not reported.
    pub plural: bool,
    /// The period the holder list is complete for: outside it, "not a known holder" is not
    /// evidence of a wrong name.
    pub coverage: Coverage,
}

/// The months an office's holder list is complete for, with where it was checked.
#[derive(Debug, Clone)]
pub struct Coverage {
    /// First month covered, as a month key (`year*12 + month - 1`).
    pub from: i32,
    /// Last month covered, as a month key.
    pub through: i32,
    /// Where the list was checked.
    pub source: String,
}

impl Coverage {
    /// This coverage refreshed by newer data: periods that overlap or touch join (an import of
    /// recent holders extends the built-in list); a period apart from this one replaces it.
    pub fn refreshed(&self, newer: Coverage) -> Coverage {
        if newer.from <= self.through + 1 && self.from <= newer.through + 1 {
            Coverage {
                from: self.from.min(newer.from),
                through: self.through.max(newer.through),
                source: format!("{}; {}", newer.source, self.source),
            }
        } else {
            newer
        }
    }

    /// Whether month key `m` lies inside the covered period.
    pub fn contains(&self, m: i32) -> bool {
        self.from <= m && m <= self.through
    }
}

/// A month key as `YYYY-MM`.
pub fn month_text(m: i32) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// A term of office, months as `year*12 + month - 1`.
#[derive(Debug, Clone)]
pub struct Term {
    /// Index into [`Knowledge::offices`].
    pub office: usize,
    /// First month in office.
    pub from: i32,
    /// Last month in office; `None` while still in office.
    pub to: Option<i32>,
    /// Where the term is documented, shown with findings.
    pub source: String,
}

impl Term {
    /// Whether the term covers month key `m` (None: the date is unknown, any term counts).
    pub fn covers(&self, m: Option<i32>) -> bool {
        match m {
            None => true,
            Some(m) => m >= self.from && self.to.is_none_or(|t| m <= t),
        }
    }
}

/// A holder of offices, as the rules data lists them.
#[derive(Debug, Clone)]
pub struct Person {
    /// The data's id (`guterres`).
    pub id: String,
    /// Names in normalized (folded) form, as texts write them.
    pub names: Vec<String>,
    /// The first name as written, for messages.
    pub display: String,
    /// The name in Latin script, for messages to readers who do not read the text's.
    pub latin: Option<String>,
    /// The offices held, with their periods.
    pub terms: Vec<Term>,
}

/// All rules data, compiled for matching.
pub struct Knowledge {
    /// Converter pitfalls from every data file.
    pub pitfalls: Vec<Pitfall>,
    /// Correct words that contain a pitfall's text (反覆 holds 覆): never reported.
    pub safe: Vec<String>,
    /// Pitfalls (pattern ids `0..pitfalls.len()`) followed by the safe words.
    pub pitfall_matcher: Option<Lexicon>,
    /// All boilerplate patterns in one automaton: one pass per line.
    boilerplate: regex::RegexSet,
    /// Whether any pitfall applies to traditional / simplified documents.
    pub pitfalls_for: (bool, bool),
    /// Confusable pairs, keyed by the (folded) pair in order.
    pub confusables: HashMap<(char, char), String>,
    /// Offices, merged across files by id or shared name.
    pub offices: Vec<Office>,
    /// People with their terms of office.
    pub people: Vec<Person>,
    /// Matches office names (folded), leftmost-longest; pattern id → office index.
    pub office_matcher: Option<Lexicon>,
    /// `office_matcher`'s pattern id → index into `offices`.
    pub office_of_pattern: Vec<usize>,
    /// Matches person names (folded), leftmost-longest; pattern id → person index.
    pub person_matcher: Option<Lexicon>,
    /// `person_matcher`'s pattern id → index into `people`.
    pub person_of_pattern: Vec<usize>,
    /// For each person, every person who shares one of their names (themselves included):
    /// 菲利普 is a French prime minister and a Belgian king.
    pub namesakes: Vec<Vec<usize>>,
    /// Files the data came from, for `rules check` output.
    pub sources: Vec<String>,
}

impl std::fmt::Debug for Knowledge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Knowledge")
            .field("pitfalls", &self.pitfalls.len())
            .field("offices", &self.offices.len())
            .field("people", &self.people.len())
            .finish()
    }
}

fn fold(s: &str) -> String {
    normalize(s, 0).text()
}

/// Parse `YYYY-MM` (or `YYYY`, `YYYY-MM-DD`) into a month key. A full date must be a day of
/// the calendar (`2020-02-30` is refused).
pub fn month_key(s: &str) -> Option<i32> {
    if s.trim().len() > 7 {
        let d = crate::dates::iso_date(s).ok()?;
        return month_key(&format!("{:04}-{:02}", d.year(), d.month()));
    }
    let mut it = s.trim().split('-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: i32 = match it.next() {
        Some(m) => m.parse().ok()?,
        None => 1,
    };
    if !(1..=12).contains(&m) || !(1000..=3000).contains(&y) {
        return None;
    }
    Some(y * 12 + m - 1)
}

const COVERAGE_HELP: &str = "give every office `verified_from = \"YYYY-MM\"`, `verified_through = \"YYYY-MM\"` (the last month its holder list was checked) and `coverage_source` (where it was checked)";

/// An office's coverage from its three fields: all or none of them (an office that extends an
/// earlier definition may leave them out).
fn coverage_of(o: &OfficeDef) -> std::result::Result<Option<Coverage>, String> {
    let (f, t, s) = match (&o.verified_from, &o.verified_through, &o.coverage_source) {
        (None, None, None) => return Ok(None),
        (Some(f), Some(t), Some(s)) => (f, t, s),
        _ => {
            return Err(
                "`verified_from`, `verified_through` and `coverage_source` go together".into(),
            )
        }
    };
    let from = month_key(f).ok_or_else(|| format!("bad date `{f}` in `verified_from`"))?;
    let through = month_key(t).ok_or_else(|| format!("bad date `{t}` in `verified_through`"))?;
    if through < from {
        return Err(format!("coverage ends ({t}) before it starts ({f})"));
    }
    if s.trim().is_empty() {
        return Err("`coverage_source` is empty".into());
    }
    Ok(Some(Coverage {
        from,
        through,
        source: s.trim().to_string(),
    }))
}

#[derive(Default)]
struct Builder {
    pitfalls: Vec<Pitfall>,
    safe: Vec<String>,
    boilerplate: Vec<Regex>,
    confusables: HashMap<(char, char), String>,
    /// Each entry with its file's name, span and text (for errors found when all files are in;
    /// the text is shared, not copied per entry: the titles file alone has hundreds).
    offices: Vec<(OfficeDef, String, std::ops::Range<usize>, Rc<str>)>,
    people: Vec<(PersonDef, String, std::ops::Range<usize>, Rc<str>)>,
    sources: Vec<String>,
}

impl Builder {
    /// Add every rules file of a folder (or one file).
    fn add_dir(&mut self, dir: &Path) -> Result<()> {
        for path in toml_files(dir)? {
            let text = crate::util::read_text_limited(&path, crate::util::limits::RULES).map_err(
                |source| Error::Io {
                    path: path.clone(),
                    source,
                },
            )?;
            self.add(&path.display().to_string(), &text)?;
        }
        Ok(())
    }

    fn add(&mut self, path: &str, text: &str) -> Result<()> {
        let file: RulesFile = toml::from_str(text).map_err(|e| {
            Error::data(
                path,
                text,
                e.span(),
                e.message().to_string(),
                Some("see README, section \"Rule data\", for the format".into()),
            )
        })?;
        self.sources.push(path.to_string());
        self.safe.extend(file.safe);
        self.add_pitfalls(path, text, file.pitfall)?;
        self.add_boilerplate(path, text, file.boilerplate)?;
        self.add_confusables(path, text, file.confusable)?;
        let shared: Rc<str> = Rc::from(text);
        for o in file.office {
            let span = o.span();
            self.offices
                .push((o.into_inner(), path.to_string(), span, shared.clone()));
        }
        for p in file.person {
            let span = p.span();
            self.people
                .push((p.into_inner(), path.to_string(), span, shared.clone()));
        }
        Ok(())
    }

    /// The offices of all files. An office defined again (by its id, or by a name an earlier
    /// office already has: an imported file names 美国总统 under its own id) extends the earlier
    /// one with its names, and its coverage, when given, refreshes the earlier coverage (the later
    /// file is the newer data: see [`Coverage::refreshed`]).
    fn build_offices(&self) -> Result<(Vec<Office>, HashMap<String, usize>)> {
        let mut offices: Vec<Office> = Vec::new();
        let mut office_index: HashMap<String, usize> = HashMap::new();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (o, path, span, text) in &self.offices {
            let err = |m: String, help: Option<String>| {
                Error::data(path, text, Some(span.clone()), m, help)
            };
            if o.names.is_empty() {
                return Err(err(format!("office `{}` has no names", o.id), None));
            }
            let names: Vec<String> = o
                .names
                .iter()
                .map(|n| fold(n))
                .filter(|n| n.chars().any(char::is_alphanumeric))
                .collect();
            if names.len() < o.names.len() {
                // A name of only spaces or punctuation would match everywhere or nowhere.
                return Err(err(
                    format!("office `{}`: a name has no letter once folded (only spaces or punctuation)", o.id),
                    Some("names are the forms the office takes in texts, e.g. \"塞拉利昂总统\"".into()),
                ));
            }
            let coverage = coverage_of(o).map_err(|m| {
                err(
                    format!("office `{}`: {m}", o.id),
                    Some(COVERAGE_HELP.into()),
                )
            })?;
            let earlier = office_index
                .get(&o.id)
                .or_else(|| names.iter().find_map(|n| by_name.get(n)))
                .copied();
            let i = match earlier {
                Some(i) => {
                    extend_office(&mut offices[i], coverage, names);
                    i
                }
                None => {
                    let coverage = coverage.ok_or_else(|| {
                        err(
                            format!("office `{}` does not say the period its holder list is complete for", o.id),
                            Some(COVERAGE_HELP.into()),
                        )
                    })?;
                    offices.push(Office {
                        id: o.id.clone(),
                        display: o.names[0].clone(),
                        names,
                        body: o.body.clone(),
                        title: o.title.clone(),
                        related: o.related.clone(),
                        plural: o.plural,
                        coverage,
                    });
                    offices.len() - 1
                }
            };
            office_index.insert(o.id.clone(), i);
            for n in &offices[i].names {
                by_name.entry(n.clone()).or_insert(i);
            }
        }
        Ok((offices, office_index))
    }

    fn build(self) -> Result<Knowledge> {
        let (offices, office_index) = self.build_offices()?;
        self.check_related(&office_index)?;
        let people = self.build_people(&office_index)?;
        let build_ac = |pats: &[String]| Lexicon::new(pats);
        let (office_pats, office_of_pattern) = patterns(offices.iter().map(|o| &o.names));
        let (person_pats, person_of_pattern) = patterns(people.iter().map(|p| &p.names));
        let namesakes = namesakes(&people);
        let pitfall_pats: Vec<String> = self.pitfalls.iter().map(|p| p.wrong.clone()).collect();
        let pitfalls_for = (
            self.pitfalls.iter().any(|p| p.traditional),
            self.pitfalls.iter().any(|p| !p.traditional),
        );
        Ok(Knowledge {
            // Pitfalls and safe words in one automaton, pitfalls first: leftmost-longest matching
            // lets a safe word (反覆) that starts earlier or runs longer win over a pitfall (覆工)
            // in one pass over the text.
            pitfall_matcher: build_ac(
                &pitfall_pats
                    .iter()
                    .chain(self.safe.iter())
                    .cloned()
                    .collect::<Vec<_>>(),
            ),
            pitfalls: self.pitfalls,
            safe: self.safe,
            boilerplate: regex::RegexSet::new(self.boilerplate.iter().map(|r| r.as_str()))
                .map_err(|e| Error::Usage(format!("boilerplate patterns: {e}")))?,
            pitfalls_for,
            confusables: self.confusables,
            office_matcher: build_ac(&office_pats),
            office_of_pattern,
            person_matcher: build_ac(&person_pats),
            person_of_pattern,
            namesakes,
            offices,
            people,
            sources: self.sources,
        })
    }
}

impl Builder {
    /// The pitfalls of a file, each with both forms and a known script.
    fn add_pitfalls(
        &mut self,
        path: &str,
        text: &str,
        defs: Vec<Spanned<PitfallDef>>,
    ) -> Result<()> {
        for p in defs {
            let span = p.span();
            let p = p.into_inner();
            if p.wrong.is_empty() || p.right.is_empty() {
                return Err(Error::data(
                    path,
                    text,
                    Some(span),
                    "pitfall needs non-empty `wrong` and `right`",
                    None,
                ));
            }
            let traditional = match p.script.as_deref() {
                None | Some("traditional") => true,
                Some("simplified") => false,
                Some(other) => {
                    return Err(Error::data(
                        path,
                        text,
                        Some(span),
                        format!("unknown script `{other}`"),
                        Some("use \"traditional\" or \"simplified\"".into()),
                    ))
                }
            };
            self.pitfalls.push(Pitfall {
                wrong: p.wrong,
                right: p.right,
                traditional,
                why: p.why,
            });
        }
        Ok(())
    }

    /// The boilerplate patterns of a file, each a valid regular expression.
    fn add_boilerplate(
        &mut self,
        path: &str,
        text: &str,
        defs: Vec<Spanned<String>>,
    ) -> Result<()> {
        for b in defs {
            let span = b.span();
            let re = Regex::new(b.get_ref()).map_err(|e| {
                Error::data(
                    path,
                    text,
                    Some(span),
                    format!("bad regular expression: {e}"),
                    None,
                )
            })?;
            self.boilerplate.push(re);
        }
        Ok(())
    }

    /// Each pair of characters of a confusable set, both ways round.
    fn add_confusables(
        &mut self,
        path: &str,
        text: &str,
        defs: Vec<Spanned<ConfusableDef>>,
    ) -> Result<()> {
        for c in defs {
            let span = c.span();
            let c = c.into_inner();
            let chars: Vec<char> = fold(&c.chars).chars().collect();
            if chars.len() < 2 {
                return Err(Error::data(
                    path,
                    text,
                    Some(span),
                    "a confusable needs at least two characters",
                    None,
                ));
            }
            let why = c.why.unwrap_or_else(|| "confusable characters".into());
            for (i, &a) in chars.iter().enumerate() {
                for &b in &chars[i + 1..] {
                    self.confusables.insert((a, b), why.clone());
                    self.confusables.insert((b, a), why.clone());
                }
            }
        }
        Ok(())
    }

    /// Every office an office names as related is defined.
    fn check_related(&self, office_index: &HashMap<String, usize>) -> Result<()> {
        for (o, path, span, text) in &self.offices {
            for r in &o.related {
                if !office_index.contains_key(r) {
                    return Err(Error::data(
                        path,
                        text,
                        Some(span.clone()),
                        format!("office `{}`: related office `{r}` is not defined", o.id),
                        None,
                    ));
                }
            }
        }
        Ok(())
    }

    /// The people of all files; a person defined again (by id) gets the later names and terms.
    fn build_people(&self, office_index: &HashMap<String, usize>) -> Result<Vec<Person>> {
        let mut people: Vec<Person> = Vec::new();
        let mut person_index: HashMap<String, usize> = HashMap::new();
        for (p, path, span, text) in &self.people {
            let err = |m: String| {
                Error::data(
                    path,
                    text,
                    Some(span.clone()),
                    m,
                    Some(
                        "dates are \"YYYY-MM\"; offices must be defined by an [[office]] table"
                            .into(),
                    ),
                )
            };
            if p.names.is_empty() {
                return Err(err(format!("person `{}` has no names", p.id)));
            }
            let person = Person {
                id: p.id.clone(),
                display: p.names[0].clone(),
                names: p
                    .names
                    .iter()
                    .map(|n| fold(n))
                    .filter(|n| !n.is_empty())
                    .collect(),
                latin: p.latin.clone(),
                terms: terms_of(p, office_index, &err)?,
            };
            match person_index.get(&p.id) {
                Some(&i) => {
                    people[i].names.extend(person.names);
                    people[i].terms.extend(person.terms);
                }
                None => {
                    person_index.insert(p.id.clone(), people.len());
                    people.push(person);
                }
            }
        }
        Ok(people)
    }
}

/// The terms a person held, checked: known offices, readable months, no term ending before it
/// starts.
fn terms_of(
    p: &PersonDef,
    office_index: &HashMap<String, usize>,
    err: &dyn Fn(String) -> Error,
) -> Result<Vec<Term>> {
    let mut terms = Vec::new();
    for h in &p.held {
        let office = *office_index
            .get(&h.office)
            .ok_or_else(|| err(format!("person `{}`: unknown office `{}`", p.id, h.office)))?;
        let from = month_key(&h.from)
            .ok_or_else(|| err(format!("person `{}`: bad date `{}`", p.id, h.from)))?;
        let to = match h.to.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) => Some(
                month_key(t).ok_or_else(|| err(format!("person `{}`: bad date `{t}`", p.id)))?,
            ),
        };
        if to.is_some_and(|t| t < from) {
            return Err(err(format!(
                "person `{}`: term of `{}` ends before it starts",
                p.id, h.office
            )));
        }
        terms.push(Term {
            office,
            from,
            to,
            source: h.source.clone(),
        });
    }
    Ok(terms)
}

/// An office defined again: its coverage refreshed (when given) and the new names added.
fn extend_office(office: &mut Office, coverage: Option<Coverage>, names: Vec<String>) {
    if let Some(c) = coverage {
        office.coverage = office.coverage.refreshed(c);
    }
    for n in names {
        if !office.names.contains(&n) {
            office.names.push(n);
        }
    }
}

/// Every name of every entry, with the index of the entry it names (for one automaton over
/// all names).
fn patterns<'a>(entries: impl Iterator<Item = &'a Vec<String>>) -> (Vec<String>, Vec<usize>) {
    let mut pats = Vec::new();
    let mut of_pattern = Vec::new();
    for (i, names) in entries.enumerate() {
        for n in names {
            pats.push(n.clone());
            of_pattern.push(i);
        }
    }
    (pats, of_pattern)
}

/// For each person, that person and then everyone who shares one of their names.
fn namesakes(people: &[Person]) -> Vec<Vec<usize>> {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        for n in &p.names {
            let e = by_name.entry(n.as_str()).or_default();
            if !e.contains(&i) {
                e.push(i);
            }
        }
    }
    people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut v = vec![i];
            for n in &p.names {
                for &j in by_name.get(n.as_str()).into_iter().flatten() {
                    if !v.contains(&j) {
                        v.push(j);
                    }
                }
            }
            v
        })
        .collect()
}

impl Knowledge {
    /// Index of the office with this id.
    pub fn office_index(&self, id: &str) -> Option<usize> {
        self.offices.iter().position(|o| o.id == id)
    }

    /// The embedded default data, plus every `*.toml` in each of `dirs`. With `replace`, the
    /// embedded data is left out.
    pub fn load(dirs: &[std::path::PathBuf], replace: bool) -> Result<Knowledge> {
        let mut b = Builder::default();
        if !replace {
            for (path, text) in EMBEDDED {
                b.add(path, text)?;
            }
        }
        for d in dirs {
            b.add_dir(d)?;
        }
        b.build()
    }

    /// Validate a user folder: parse its files on their own (for counts), then together with the
    /// built-in data (so references to built-in offices resolve). Returns the folder's own
    /// counts: files, pitfalls, safe words, confusable pairs, offices, people.
    pub fn check_dir(dir: &Path) -> Result<[usize; 6]> {
        let mut own = Builder::default();
        own.add_dir(dir)?;
        let counts = [
            own.sources.len(),
            own.pitfalls.len(),
            own.safe.len(),
            own.confusables.len() / 2,
            own.offices.len(),
            own.people.len(),
        ];
        Knowledge::load(&[dir.to_path_buf()], false)?;
        Ok(counts)
    }

    /// Validate one rules file's text, on its own and with the built-in data.
    pub fn check_text(path: &str, text: &str) -> Result<()> {
        let mut own = Builder::default();
        own.add(path, text)?;
        own.build()?;
        let mut all = Builder::default();
        for (p, t) in EMBEDDED {
            all.add(p, t)?;
        }
        all.add(path, text)?;
        all.build().map(|_| ())
    }

    /// The embedded default data only.
    pub fn embedded() -> Knowledge {
        // The embedded files are checked by tests; failing here would be a build defect.
        Knowledge::load(&[], false).expect("embedded rules data is valid")
    }

    /// Whether `line` matches one of the data's site-boilerplate patterns.
    pub fn is_boilerplate(&self, line: &str) -> bool {
        !self.boilerplate.is_empty() && self.boilerplate.is_match(line)
    }
}

fn toml_files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    if dir.is_file() {
        return Ok(vec![dir.to_path_buf()]);
    }
    if dir.exists() && !dir.is_dir() {
        // A FIFO or a device: say what it is rather than "not a directory".
        crate::util::ensure_regular(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let rd = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut v: Vec<_> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_dates_are_calendar_dates() {
        assert_eq!(month_key("2020-02"), Some(2020 * 12 + 1));
        assert_eq!(month_key("2020-02-29"), Some(2020 * 12 + 1));
        assert_eq!(month_key("2020-02-30"), None);
        assert_eq!(month_key("2020-13"), None);
    }

    #[test]
    fn embedded_data_loads() {
        let k = Knowledge::embedded();
        assert!(k.pitfalls.len() > 20);
        assert!(k.people.len() > 40, "{}", k.people.len());
    }

    #[test]
    fn no_two_built_in_offices_share_a_name() {
        // Offices are merged by name when files are loaded together: built-in offices must not
        // collide, or an import would attach holders to the wrong one.
        let k = Knowledge::embedded();
        let mut seen = HashMap::new();
        for o in &k.offices {
            for n in &o.names {
                if let Some(other) = seen.insert(n.clone(), o.id.clone()) {
                    assert_eq!(other, o.id, "{n} names {other} and {}", o.id);
                }
            }
            assert!(o.coverage.from <= o.coverage.through, "{}", o.id);
        }
    }

    #[test]
    fn newer_coverage_joins_or_replaces() {
        let c = |from, through| Coverage {
            from,
            through,
            source: "s".into(),
        };
        let r = c(100, 200).refreshed(c(150, 260));
        assert_eq!((r.from, r.through), (100, 260));
        let r = c(100, 200).refreshed(c(201, 260));
        assert_eq!((r.from, r.through), (100, 260));
        let r = c(100, 200).refreshed(c(230, 260));
        assert_eq!((r.from, r.through), (230, 260));
    }

    #[test]
    fn an_office_named_again_extends_the_first() {
        let mut b = Builder::default();
        let office = |id: &str, names: &str, through: &str| {
            format!("[[office]]\nid = \"{id}\"\nnames = [{names}]\nbody = \"B\"\ntitle = \"t\"\nverified_from = \"2020-01\"\nverified_through = \"{through}\"\ncoverage_source = \"s\"\n")
        };
        b.add("a.toml", &office("a", "\"甲国总统\"", "2021-12"))
            .unwrap();
        b.add(
            "b.toml",
            &office("wikidata-Q1", "\"甲國總統\", \"甲国元首\"", "2026-10"),
        )
        .unwrap();
        let k = b.build().unwrap();
        assert_eq!(k.offices.len(), 1);
        assert_eq!(k.offices[0].names.len(), 2);
        assert_eq!(month_text(k.offices[0].coverage.through), "2026-10");
    }

    #[test]
    fn malformed_file_names_file_and_line() {
        let mut b = Builder::default();
        let e = b
            .add("my.toml", "[[pitfall]]\nwrong = \"a\"\nright = 3\n")
            .unwrap_err();
        let s = e.to_string();
        assert!(s.contains("my.toml") && s.contains("line 3"), "{s}");
        let e = b.add("x.toml", "bogus = 1\n").unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
    }
}
