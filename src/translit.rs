//! How close two Chinese transliterations of one foreign name sound.
//!
//! Taiwan, Hong Kong and the mainland transliterate the same name with different characters
//! (泽连斯基 / 澤倫斯基, 马克龙 / 馬克宏, 普京 / 蒲亭). The renderings keep the syllable count and
//! sound alike: compared syllable by syllable on toneless pinyin (from the `pinyin` crate's
//! dictionary), with the initials and finals that regional speech and transliteration habits
//! confuse counted as equal (zh/z, ch/c, sh/s, n/l, f/h, r/l; -ng/-n; ü/u) and those of one
//! place of articulation (b/p, d/t, g/k/h, j/q/x, z/c/s) as half equal.

use pinyin::ToPinyin;

/// Closeness at or above which two names count as renderings of one name.
pub const SAME_NAME: f64 = 0.75;

/// Initials, longest first so that `zh` is found before `z`.
const INITIALS: &[&str] = &[
    "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r",
    "z", "c", "s", "y", "w",
];

/// One syllable: folded initial and folded final.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Syllable {
    initial: &'static str,
    fin: String,
}

/// The syllables of a name, skipping separators (`·`, `-`); `None` when a character has no
/// pinyin (a Latin letter, a digit, punctuation inside the name).
fn syllables(name: &str) -> Option<Vec<Syllable>> {
    name.chars()
        .filter(|c| !matches!(c, '·' | '-' | '‧' | '•' | '－' | '・'))
        .map(|c| c.to_pinyin().map(|p| split(p.plain())))
        .collect()
}

/// Split toneless pinyin into a folded initial and a folded final.
fn split(py: &'static str) -> Syllable {
    let initial = INITIALS
        .iter()
        .find(|i| py.starts_with(**i))
        .copied()
        .unwrap_or("");
    let mut fin: String = py[initial.len()..].replace(['ü', 'v'], "u");
    if fin.ends_with("ng") {
        fin.pop(); // -ng and -n are one final in many transliterations
    }
    let initial = match initial {
        "zh" => "z",
        "ch" => "c",
        "sh" => "s",
        "n" | "r" => "l",
        "f" => "h",
        "y" | "w" => "",
        i => i,
    };
    Syllable { initial, fin }
}

/// The place of articulation of a folded initial.
fn place(i: &str) -> u8 {
    match i {
        "b" | "p" => 1,
        "d" | "t" => 2,
        "g" | "k" | "h" => 3,
        "j" | "q" | "x" => 4,
        "z" | "c" | "s" => 5,
        "m" => 6,
        "l" => 7,
        _ => 0,
    }
}

/// The main vowel of a final (`a`, `o`, `e`, else its first letter).
fn nucleus(f: &str) -> Option<char> {
    f.chars()
        .find(|c| "aoe".contains(*c))
        .or_else(|| f.chars().next())
}

/// What a final ends in: `n`, or the vowel it glides to (`ao` and `ou` both end in u).
fn coda(f: &str) -> Option<char> {
    match f.chars().last()? {
        'o' if f.len() > 1 => Some('u'),
        c => Some(c),
    }
}

fn syllable_closeness(a: &Syllable, b: &Syllable) -> f64 {
    let initial = if a.initial == b.initial {
        1.0
    } else if place(a.initial) != 0 && place(a.initial) == place(b.initial) {
        0.5
    } else {
        0.0
    };
    let fin = if a.fin == b.fin {
        1.0
    } else if nucleus(&a.fin) == nucleus(&b.fin) || coda(&a.fin) == coda(&b.fin) {
        0.5
    } else {
        0.0
    };
    (initial + fin) / 2.0
}

/// How alike two names sound, from 0 to 1; `None` when they differ in syllable count or a
/// character has no pinyin. Every syllable must share something (an initial or a final part):
/// one syllable of a different sound makes another name.
pub fn closeness(a: &str, b: &str) -> Option<f64> {
    let (a, b) = (syllables(a)?, syllables(b)?);
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let mut sum = 0.0;
    for (x, y) in a.iter().zip(&b) {
        let s = syllable_closeness(x, y);
        if s < 0.25 {
            return Some(0.0);
        }
        sum += s;
    }
    Some(sum / a.len() as f64)
}

/// Whether `a` and `b` are renderings of one name.
pub fn same_name(a: &str, b: &str) -> bool {
    closeness(a, b).is_some_and(|c| c >= SAME_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_renderings_are_close() {
        for (a, b) in [
            ("泽伦斯基", "泽连斯基"),
            ("马克宏", "马克龙"),
            ("梅克尔", "默克尔"),
            ("庞培欧", "蓬佩奥"),
            ("蒲亭", "普京"),
        ] {
            assert!(same_name(a, b), "{a} {b}: {:?}", closeness(a, b));
        }
    }

    #[test]
    fn other_names_are_not() {
        for (a, b) in [
            ("马德拉", "马塔雷拉"),
            ("马德拉", "孔特"),
            ("霍华德", "斯塔默"),
            ("马克思", "马克龙"),
            ("川普", "特朗普"),
            ("表示", "普京"),
        ] {
            assert!(!same_name(a, b), "{a} {b}: {:?}", closeness(a, b));
        }
    }

    #[test]
    fn syllables_fold_regional_pairs() {
        assert_eq!(split("zhang"), split("zan"));
        assert_eq!(split("nong"), split("lon"));
        assert_eq!(split("lü").fin, "u");
    }
}
