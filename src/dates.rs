//! Dates as chronicles write them: `2019年12月底`, `2020年1月`, `3月29日`, `三月二十九日`,
//! ranges (`3月29日至4月1日`, `（2月21日至3月17日）`), inline at the start of an event
//! (`（9）3月29日至4月1日，…`).

use serde::Serialize;
use std::fmt;

/// A calendar date as far as it is known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    /// The year, when the text (or the document's date) gives one.
    pub year: Option<i32>,
    /// The month, 1–12.
    pub month: Option<u32>,
    /// The day of the month.
    pub day: Option<u32>,
}

impl Date {
    /// Nothing is known: no year, month or day.
    pub fn is_empty(&self) -> bool {
        self.year.is_none() && self.month.is_none() && self.day.is_none()
    }

    /// A comparable key in months (year*12+month), when year and month are known.
    pub fn month_key(&self) -> Option<i32> {
        Some(self.year? * 12 + self.month? as i32 - 1)
    }

    /// `YYYY-MM-DD` with unknown parts left out.
    pub fn iso(&self) -> String {
        match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
            (Some(y), Some(m), None) => format!("{y:04}-{m:02}"),
            (Some(y), None, _) => format!("{y:04}"),
            (None, Some(m), Some(d)) => format!("--{m:02}-{d:02}"),
            (None, Some(m), None) => format!("--{m:02}"),
            _ => String::new(),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(y) = self.year {
            write!(f, "{y}年")?;
        }
        if let Some(m) = self.month {
            write!(f, "{m}月")?;
        }
        if let Some(d) = self.day {
            write!(f, "{d}日")?;
        }
        Ok(())
    }
}

/// Which characters count as Chinese digits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Digits {
    /// 〇 零 一 二 两 三 四 五 六 七 八 九.
    Plain,
    /// Also the stand-ins seen in written dates: ○ (a circle) and Ｏ (a full-width letter O)
    /// for zero, 兩 (traditional) for two.
    WithVariants,
}

/// Value of one Chinese digit (`一` → 1, `〇` → 0); `set` says whether the stand-ins count.
/// The one digit table: dates and the corroboration's counted numbers both read it.
pub(crate) fn chinese_digit(c: char, set: Digits) -> Option<u32> {
    let wide = set == Digits::WithVariants;
    Some(match c {
        '〇' | '零' => 0,
        '○' | 'Ｏ' if wide => 0,
        '一' => 1,
        '二' | '两' => 2,
        '兩' if wide => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Value of a Chinese numeral (`二十九`, `一九`, `〇`) or ASCII/full-width digits.
pub fn parse_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        let mut v: u32 = 0;
        for c in s.chars() {
            let d = if c.is_ascii_digit() {
                c as u32 - '0' as u32
            } else {
                c as u32 - '０' as u32
            };
            v = v.checked_mul(10)?.checked_add(d)?;
        }
        return Some(v);
    }
    let digit = |c: char| chinese_digit(c, Digits::WithVariants);
    if !s.contains('十') {
        // Positional (years: 二〇二〇).
        let mut v: u32 = 0;
        for c in s.chars() {
            v = v.checked_mul(10)?.checked_add(digit(c)?)?;
        }
        return Some(v);
    }
    let (tens, ones) = s.split_once('十')?;
    let t = if tens.is_empty() {
        1
    } else {
        let mut cs = tens.chars();
        let d = digit(cs.next()?)?;
        if cs.next().is_some() {
            return None;
        }
        d
    };
    let o = if ones.is_empty() {
        0
    } else {
        let mut cs = ones.chars();
        let d = digit(cs.next()?)?;
        if cs.next().is_some() {
            return None;
        }
        d
    };
    Some(t * 10 + o)
}

const NUM: &str = r"[0-9０-９]{1,4}|[〇零○一二两兩三四五六七八九十]{1,4}";

fn date_core() -> String {
    format!(r"(?:(?P<y>{NUM})年)?(?:(?P<m>{NUM})月)?(?:(?P<d>{NUM})[日号號])?")
}

/// A date range (or single date) with the text's qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// The first (or only) date.
    pub start: Date,
    /// The last date of a range (`至4月1日`), as written (parts it omits are `None`).
    pub end: Option<Date>,
}

fn captures_to_date(c: &regex::Captures<'_>, y: &str, m: &str, d: &str) -> Option<Date> {
    let date = Date {
        year: c
            .name(y)
            .and_then(|x| parse_number(x.as_str()))
            .map(|v| v as i32),
        month: c.name(m).and_then(|x| parse_number(x.as_str())),
        day: c.name(d).and_then(|x| parse_number(x.as_str())),
    };
    let valid = date.month.is_none_or(|m| (1..=12).contains(&m))
        && date.day.is_none_or(|d| (1..=31).contains(&d))
        && date.year.is_none_or(|y| (100..=3000).contains(&y))
        && !(date.day.is_some() && date.month.is_none() && date.year.is_some());
    (valid && !date.is_empty()).then_some(date)
}

fn heading_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        let core = date_core();
        let core2 = core
            .replace("?P<y>", "?P<y2>")
            .replace("?P<m>", "?P<m2>")
            .replace("?P<d>", "?P<d2>");
        let pat = format!(
            r"^[（(]?{core}(?:底|初|上旬|中旬|下旬|中|末|前后|前後|左右|以来|以來|开始|開始|起)?(?:(?:至|到|—|－|-|~|～)(?:{core2})(?:底|初|上旬|中旬|下旬|末)?)?[）)]?$"
        );
        regex::Regex::new(&pat).expect("static date pattern")
    })
}

fn inline_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        let core = date_core();
        let core2 = core
            .replace("?P<y>", "?P<y2>")
            .replace("?P<m>", "?P<m2>")
            .replace("?P<d>", "?P<d2>");
        let pat = format!(r"^{core}(?:(?:至|到|—|－|-|~|～)(?:{core2}))?");
        regex::Regex::new(&pat).expect("static date pattern")
    })
}

/// Parse a line that is nothing but a date (a date heading). Returns None for anything else.
pub fn parse_heading(line: &str) -> Option<DateRange> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 30 {
        return None;
    }
    // Every heading names a year or a month (see below); skip the regex for lines without one.
    if !line.contains(['年', '月']) {
        return None;
    }
    let c = heading_re().captures(line)?;
    let start = captures_to_date(&c, "y", "m", "d")?;
    // A heading needs a month or a year: a bare `5日` is too weak to restructure a document.
    if start.month.is_none() && start.year.is_none() {
        return None;
    }
    let end = captures_to_date(&c, "y2", "m2", "d2");
    Some(DateRange { start, end })
}

/// Parse a date at the very start of an event's text (`3月29日至4月1日，…`). Returns the range
/// and the byte length matched.
pub fn parse_inline(text: &str) -> Option<(DateRange, usize)> {
    // Most events start with a word, not a date: skip the regex unless a numeral comes first.
    let first = text.chars().next()?;
    if !(first.is_ascii_digit()
        || ('０'..='９').contains(&first)
        || "〇零○一二两兩三四五六七八九十".contains(first))
    {
        return None;
    }
    let c = inline_re().captures(text)?;
    let whole = c.get(0)?;
    if whole.as_str().is_empty() {
        return None;
    }
    let start = captures_to_date(&c, "y", "m", "d")?;
    start.month?;
    let end = captures_to_date(&c, "y2", "m2", "d2");
    Some((DateRange { start, end }, whole.end()))
}

/// An ISO date as front matter and config files write it: `YYYY-MM-DD`, optionally followed by a
/// time (`2020-01-05 10:00`, `2020-01-05T10:00:00+08:00`). The date must exist in the calendar
/// (checked with `jiff`: `2020-02-30` is refused). The error says why, in words.
pub fn iso_date(s: &str) -> Result<jiff::civil::Date, String> {
    let s = s.trim();
    let (day, time) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let b = day.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err("not YYYY-MM-DD".into());
    }
    let num = |r: std::ops::Range<usize>| day[r].parse::<i16>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let date = ymd_date(y, m, d)?;
    if let Some(t) = time {
        iso_time(t).map_err(|e| format!("the time “{t}” {e}"))?;
    }
    Ok(date)
}

/// The calendar date `y-m-d`, or why there is none (`2020-02 has 29 days`).
pub fn ymd_date(y: i16, m: i16, d: i16) -> Result<jiff::civil::Date, String> {
    if !(1..=12).contains(&m) {
        return Err(format!("there is no month {m:02}"));
    }
    let (m8, d8) = (m as i8, d.clamp(0, 99) as i8);
    jiff::civil::Date::new(y, m8, d8).map_err(|_| match jiff::civil::Date::new(y, m8, 1) {
        Ok(first) => format!("{y:04}-{m:02} has {} days, not {d}", first.days_in_month()),
        Err(e) => e.to_string(),
    })
}

/// Validate a time of day with an optional offset (`10:00`, `10:00:00Z`, `10:00:00.5+08:00`).
fn iso_time(t: &str) -> Result<(), String> {
    let t = t.strip_suffix(['Z', 'z']).unwrap_or(t);
    // An offset starts at the last sign after the hour.
    let t = match t.get(2..).and_then(|r| r.rfind(['+', '-'])) {
        Some(i) => {
            let (clock, offset) = t.split_at(i + 2);
            let o = &offset[1..];
            let ok = matches!(o.len(), 2 | 4 | 5)
                && o.bytes().filter(|&c| c != b':').all(|c| c.is_ascii_digit());
            if !ok {
                return Err(format!("has an unreadable offset “{offset}”"));
            }
            clock
        }
        None => t,
    };
    t.parse::<jiff::civil::Time>()
        .map(|_| ())
        .map_err(|_| "is not a time of day (HH:MM or HH:MM:SS)".into())
}

/// Tracks the date in force while reading a document top to bottom.
#[derive(Debug, Clone, Default)]
pub struct DateCursor {
    /// The date in force at the current place.
    pub current: Date,
}

impl DateCursor {
    /// A cursor starting in `year` (from the document's date), month and day unknown.
    pub fn with_year(year: Option<i32>) -> Self {
        DateCursor {
            current: Date {
                year,
                month: None,
                day: None,
            },
        }
    }

    /// Resolve a date from the text against what is in force: the year carries forward, and a
    /// month that falls far back (December → January) starts a new year.
    pub fn resolve(&self, d: Date) -> Date {
        let mut out = d;
        if out.year.is_none() {
            out.year = self.current.year;
            if let (Some(y), Some(m_now), Some(m_new)) =
                (self.current.year, self.current.month, d.month)
            {
                if m_now >= 10 && m_new <= 3 {
                    out.year = Some(y + 1);
                }
            }
        }
        if out.month.is_none() && out.day.is_some() {
            out.month = self.current.month;
        }
        out
    }

    /// A heading sets the date in force.
    pub fn set(&mut self, d: Date) -> Date {
        let r = self.resolve(d);
        self.current = r;
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(parse_number("二十九"), Some(29));
        assert_eq!(parse_number("十二"), Some(12));
        assert_eq!(parse_number("十"), Some(10));
        assert_eq!(parse_number("三"), Some(3));
        assert_eq!(parse_number("二〇二〇"), Some(2020));
        assert_eq!(parse_number("2019"), Some(2019));
        assert_eq!(parse_number("１２"), Some(12));
    }

    #[test]
    fn dates_read_the_digit_stand_ins() {
        // Dates accept ○ and Ｏ for zero and 兩 for two; the plain set does not.
        assert_eq!(parse_number("二○二○"), Some(2020));
        assert_eq!(parse_number("二ＯＯ八"), Some(2008));
        assert_eq!(parse_number("兩"), Some(2));
        assert_eq!(parse_number("十兩"), Some(12));
        for (c, v) in [('○', 0), ('Ｏ', 0), ('兩', 2)] {
            assert_eq!(chinese_digit(c, Digits::WithVariants), Some(v));
            assert_eq!(chinese_digit(c, Digits::Plain), None);
        }
        for (i, c) in "〇一二三四五六七八九".chars().enumerate() {
            assert_eq!(chinese_digit(c, Digits::Plain), Some(i as u32));
            assert_eq!(chinese_digit(c, Digits::WithVariants), Some(i as u32));
        }
        for c in ['零', '两', '十', '百', '1', 'O', 'o'] {
            let plain = chinese_digit(c, Digits::Plain);
            assert_eq!(plain, chinese_digit(c, Digits::WithVariants), "{c}");
        }
        assert_eq!(chinese_digit('零', Digits::Plain), Some(0));
        assert_eq!(chinese_digit('两', Digits::Plain), Some(2));
        assert_eq!(chinese_digit('十', Digits::Plain), None);
        assert_eq!(chinese_digit('1', Digits::Plain), None);
    }

    #[test]
    fn iso_dates_are_calendar_dates() {
        let d = iso_date("2020-02-29").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2020, 2, 29));
        assert!(iso_date("2020-01-05 10:00:00").is_ok());
        assert!(iso_date("2020-01-05T10:00:00+08:00").is_ok());
        assert!(iso_date("2020-01-05T10:00:00Z").is_ok());
        assert_eq!(
            iso_date("2020-02-30").unwrap_err(),
            "2020-02 has 29 days, not 30"
        );
        assert_eq!(
            iso_date("2019-02-29").unwrap_err(),
            "2019-02 has 28 days, not 29"
        );
        assert_eq!(iso_date("2020-13-01").unwrap_err(), "there is no month 13");
        assert_eq!(
            iso_date("2020-04-31").unwrap_err(),
            "2020-04 has 30 days, not 31"
        );
        assert_eq!(
            iso_date("2020-01-00").unwrap_err(),
            "2020-01 has 31 days, not 0"
        );
        assert_eq!(iso_date("2020/01/05").unwrap_err(), "not YYYY-MM-DD");
        assert_eq!(iso_date("２０２０-01-05").unwrap_err(), "not YYYY-MM-DD");
        assert!(iso_date("2020-01-05 25:00")
            .unwrap_err()
            .contains("not a time"));
        assert!(iso_date("2020-01-05T10:00+0x:00").is_err());
    }

    #[test]
    fn headings() {
        let h = parse_heading("2019年12月底").unwrap();
        assert_eq!(h.start.year, Some(2019));
        assert_eq!(h.start.month, Some(12));
        assert_eq!(parse_heading("3月29日").unwrap().start.day, Some(29));
        assert_eq!(parse_heading("三月二十九日").unwrap().start.day, Some(29));
        let r = parse_heading("（2月21日至3月17日）").unwrap();
        assert_eq!(r.end.unwrap().day, Some(17));
        assert!(parse_heading("3月29日，中方宣布").is_none());
        assert!(parse_heading("新华社记者").is_none());
        assert!(parse_heading("5日").is_none());
        assert!(parse_heading("13月1日").is_none());
    }

    #[test]
    fn inline() {
        let (r, n) = parse_inline("3月29日至4月1日，中共中央").unwrap();
        assert_eq!(r.start.month, Some(3));
        assert_eq!(r.end.unwrap().month, Some(4));
        assert_eq!(&"3月29日至4月1日，中共中央"[n..], "，中共中央");
        assert!(parse_inline("中共中央").is_none());
    }

    #[test]
    fn cursor_rolls_year() {
        let mut c = DateCursor::with_year(None);
        c.set(parse_heading("2019年12月底").unwrap().start);
        let d = c.set(parse_heading("1月3日").unwrap().start);
        assert_eq!(d.year, Some(2020));
    }
}
