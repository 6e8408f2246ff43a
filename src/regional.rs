//! Regional vocabulary: the same word as Taiwan writes it (資訊 for 信息, 軟體 for 軟件, 義大利 for
//! 意大利, 奈及利亞 for 尼日利亞, 網路 for 網絡), from OpenCC's `TWPhrases.txt` and
//! `TWPhrasesRev.txt`. A witness that renders the reference's word regionally has not changed the
//! text: collation classifies such a stretch as [`crate::collate::classify::VariantKind::Regional`]
//! and ignores it like a difference of script.
//!
//! Both sides of every pair are kept in folded form (the normalizer's fold: script, variants), so
//! a simplified reference and a traditional witness compare directly. Built on first use.

use crate::normalize::normalize;
use std::collections::HashMap;
use std::sync::OnceLock;

const TW_PHRASES: &str = include_str!("../rules/opencc/TWPhrases.txt");
const TW_PHRASES_REV: &str = include_str!("../rules/opencc/TWPhrasesRev.txt");

/// Regional phrase pairs, folded: each phrase with the groups (pairs) it belongs to.
pub struct Regional {
    groups: HashMap<Box<[char]>, Vec<u32>>,
    /// The longest phrase, in folded characters: how far a changed stretch is widened.
    max_len: usize,
}

impl Regional {
    fn build() -> Self {
        let mut groups: HashMap<Box<[char]>, Vec<u32>> = HashMap::new();
        let mut max_len = 0;
        let mut id = 0u32;
        for line in TW_PHRASES.lines().chain(TW_PHRASES_REV.lines()) {
            let line = line.trim_end_matches('\r');
            if line.starts_with('#') {
                continue;
            }
            let Some((k, vals)) = line.split_once('\t') else {
                continue;
            };
            let key: Box<[char]> = normalize(k, 0).chars.into();
            for v in vals.split(' ').filter(|v| !v.is_empty()) {
                let val: Box<[char]> = normalize(v, 0).chars.into();
                // Pairs the fold already makes equal need nothing; one-character pairs would
                // equate characters, which is the fold's business, not vocabulary.
                if val == key || val.len() < 2 || key.len() < 2 {
                    continue;
                }
                max_len = max_len.max(key.len()).max(val.len());
                groups.entry(key.clone()).or_default().push(id);
                groups.entry(val).or_default().push(id);
                id += 1;
            }
        }
        Regional { groups, max_len }
    }

    fn groups_of(&self, s: &[char]) -> &[u32] {
        self.groups.get(s).map_or(&[], |v| v.as_slice())
    }

    /// Length of the longest regional phrase (either side of a pair, folded) that starts at
    /// `at` in `s`: for rules that must not read a regional word as something else (高阶 after
    /// an office is not a name).
    pub fn word_at(&self, s: &[char], at: usize) -> Option<usize> {
        let rest = s.get(at..)?;
        (2..=self.max_len.min(rest.len()))
            .rev()
            .find(|&n| self.groups.contains_key(&rest[..n]))
    }

    /// Whether the change of `r[rf..rt]` into `w[wf..wt]` is one word rendered regionally: the
    /// stretches widened by the same context on each side (up to the longest phrase) are the two
    /// sides of one pair (意大利 / 义大利 for the change 意 → 义).
    pub fn same_word(
        &self,
        r: &[char],
        rf: usize,
        rt: usize,
        w: &[char],
        wf: usize,
        wt: usize,
    ) -> bool {
        if rf > rt || wf > wt || rt > r.len() || wt > w.len() {
            return false;
        }
        let longest = (rt - rf).max(wt - wf);
        if longest == 0 || longest > self.max_len {
            return false;
        }
        let room = self.max_len - longest;
        for x in 0..=room.min(rf).min(wf) {
            for y in 0..=(room - x).min(r.len() - rt).min(w.len() - wt) {
                let p = self.groups_of(&r[rf - x..rt + y]);
                if p.is_empty() {
                    continue;
                }
                let q = self.groups_of(&w[wf - x..wt + y]);
                if p.iter().any(|g| q.contains(g)) {
                    return true;
                }
            }
        }
        false
    }
}

/// The regional phrase table, built once per process.
pub fn regional() -> &'static Regional {
    static TABLE: OnceLock<Regional> = OnceLock::new();
    TABLE.get_or_init(Regional::build)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(r: &str, w: &str) -> bool {
        let r: Vec<char> = normalize(r, 0).chars;
        let w: Vec<char> = normalize(w, 0).chars;
        let p = r.iter().zip(&w).take_while(|(a, b)| a == b).count();
        let s = r[p..]
            .iter()
            .rev()
            .zip(w[p..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        regional().same_word(&r, p, r.len() - s, &w, p, w.len() - s)
    }

    #[test]
    fn taiwan_renderings_are_the_same_word() {
        assert!(same("意大利总理表示", "義大利總理表示"));
        assert!(same("同尼日利亚总统通电话", "同奈及利亞總統通電話"));
        assert!(same("发布疫情信息", "發布疫情資訊"));
        assert!(same("开发软件", "開發軟體"));
        assert!(same("通过网络会议", "通過網路會議"));
    }

    #[test]
    fn regional_word_at_a_position() {
        let s: Vec<char> = normalize("世界衛生組織總幹事高階顧問", 0).chars;
        assert_eq!(regional().word_at(&s, 9), Some(2));
        assert_eq!(regional().word_at(&s, 0), None);
        assert_eq!(regional().word_at(&s, 99), None);
    }

    #[test]
    fn other_changes_are_not() {
        assert!(!same("意大利总理表示", "西班牙总理表示"));
        assert!(!same("发布疫情信息", "发布疫情数据"));
        assert!(!same("开发软件", "开发硬件"));
    }
}
