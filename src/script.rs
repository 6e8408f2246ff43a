//! Script folding: traditional → simplified at the character level, from OpenCC data.
//!
//! Collation needs a *canonical fold*, not a publishable conversion: every character maps to one
//! character, so offsets stay one-to-one and the fold runs at memory speed. The table is derived on
//! first use from OpenCC's `TSCharacters.txt` (first candidate wins) and `STCharacters.txt` (which
//! tells which characters are ambiguous across scripts).
//!
//! Folding never hides a converter error: `覆` is its own first candidate in OpenCC, so `恢覆` and
//! `恢復` fold to `恢覆` and `恢复` and stay different.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const TS_CHARACTERS: &str = include_str!("../rules/opencc/TSCharacters.txt");
const ST_CHARACTERS: &str = include_str!("../rules/opencc/STCharacters.txt");
/// OpenCC's standard → Taiwan / Hong Kong standard forms: their values are valid traditional
/// characters even where OpenCC's own standard prefers another variant (群 for 羣, 床 for 牀).
const TW_VARIANTS: &str = include_str!("../rules/opencc/TWVariants.txt");
const HK_VARIANTS: &str = include_str!("../rules/opencc/HKVariants.txt");
/// OpenCC's standard → Japanese shinjitai forms (伝 for 傳, 峰 for 峯): variant glyphs that turn
/// up in Chinese text too, folded with their Chinese forms.
const JP_VARIANTS: &str = include_str!("../rules/opencc/JPVariants.txt");

/// Variant pairs (standard, variant) NOT folded together: both characters are in their own right
/// in simplified Chinese with different meanings, so folding them would hide a real difference.
/// 幺 (smallest) / 么 (simplified of 麼); 濾 (filter, 滤) / 沪 (Shanghai); 瓣 辨 辯 / 弁 (a cap);
/// 缺 (lack) / 欠 (owe); 罐 (jar) / 缶 (earthen vessel); 聯 (联) / 連 (连); 藝 (艺) / 芸 (rue,
/// 芸芸); 豫 (Henan) / 予 (give); 酢 (toast back) / 醋 (vinegar); 齶 (腭, palate) / 顎 (颚, jaw);
/// 鮎 (鲇) / 鯰 (鲶), separate entries in simplified dictionaries.
///
/// One pair IS folded although both characters are simplified characters: 着 / 著. Taiwan and
/// Hong Kong write 著 for both 着 (看著) and 著 (著名), so without the fold every 着 of a
/// simplified reference differs from its regional copy; the price is that a simplified 着名 typo
/// for 著名 is no longer seen by collation.
const VARIANT_EXCLUDED: &[(char, char)] = &[
    ('幺', '么'),
    ('濾', '沪'),
    ('瓣', '弁'),
    ('辨', '弁'),
    ('辯', '弁'),
    ('缺', '欠'),
    ('罐', '缶'),
    ('聯', '連'),
    ('藝', '芸'),
    ('豫', '予'),
    ('酢', '醋'),
    ('齶', '顎'),
    ('鮎', '鯰'),
];
/// Variant pairs whose OpenCC-standard side is the rarer form in simplified text: the standard
/// character folds to the variant's fold (擡 → 抬, 疎 → 疏, 緖 → 绪), so that folded text keeps
/// the form simplified word lists use. Every other pair folds the variant to the standard's fold.
const VARIANT_TO_VARIANT: &[char] = &['擡', '疎', '緖'];

/// Character tables derived from OpenCC.
pub struct ScriptTables {
    /// Dense fold for the BMP: index = code point, value = folded code point. 16 bits per entry
    /// keeps the ideograph range (the hot part) within a few hundred cache lines.
    bmp: Vec<u16>,
    /// Fold for characters outside the BMP.
    astral: HashMap<char, char>,
    /// Traditional characters whose simplified form differs (keys of TSCharacters with a first
    /// candidate other than themselves).
    traditional_only: HashSet<char>,
    /// Simplified characters that are not themselves a traditional form (not among their own
    /// candidates in STCharacters): 复, 发, 个 … but not 于, 后, 干.
    simplified_only: HashSet<char>,
    /// The two sets above as flags for the BMP (bit 0 traditional-only, bit 1 simplified-only):
    /// one array read per character on the hot path.
    flags: Vec<u8>,
    /// All candidates across both tables, for "same word in another script" questions.
    candidates: HashMap<char, Vec<char>>,
    /// Variant glyph → OpenCC's standard form (裡 → 裏, 麵 → 麪, 著 → 着).
    standard: HashMap<char, char>,
}

fn parse_table(text: &str) -> impl Iterator<Item = (char, Vec<char>)> + '_ {
    text.lines().filter_map(|line| {
        let line = line.trim_end_matches('\r');
        if line.starts_with('#') || line.trim().is_empty() {
            return None;
        }
        let (key, values) = line.split_once('\t')?;
        let mut kc = key.chars();
        let k = kc.next()?;
        if kc.next().is_some() {
            return None; // character tables only; phrases are not folded
        }
        let vals: Vec<char> = values
            .split(' ')
            .filter_map(|v| {
                let mut c = v.chars();
                let first = c.next()?;
                c.next().is_none().then_some(first)
            })
            .collect();
        (!vals.is_empty()).then_some((k, vals))
    })
}

/// Fold each variant glyph of OpenCC's TW, HK and JP variant tables with its standard form:
/// the pair gets one fold (the standard's, or the variant's for [`VARIANT_TO_VARIANT`]), except
/// the pairs of [`VARIANT_EXCLUDED`].
/// Returns each variant glyph's OpenCC-standard form (裡 → 裏, 麵 → 麪).
fn fold_variants(bmp: &mut [u16], astral: &mut HashMap<char, char>) -> HashMap<char, char> {
    let mut standard = HashMap::new();
    let fold = |bmp: &[u16], astral: &HashMap<char, char>, c: char| -> char {
        match bmp.get(c as usize) {
            Some(0) | None => astral.get(&c).copied().unwrap_or(c),
            Some(&v) => char::from_u32(v as u32).unwrap_or(c),
        }
    };
    for (s, vals) in parse_table(TW_VARIANTS)
        .chain(parse_table(HK_VARIANTS))
        .chain(parse_table(JP_VARIANTS))
    {
        for v in vals {
            if VARIANT_EXCLUDED.contains(&(s, v)) {
                continue;
            }
            if v != s {
                standard.entry(v).or_insert(s);
            }
            let (fs, fv) = (fold(bmp, astral, s), fold(bmp, astral, v));
            if fs == fv {
                continue;
            }
            let (from, to) = if VARIANT_TO_VARIANT.contains(&s) {
                (s, fv)
            } else {
                (v, fs)
            };
            if fold(bmp, astral, from) != from {
                continue; // OpenCC's t2s already folds it (頴 → 颕): that fold stands
            }
            if (from as u32) <= 0xFFFF && (to as u32) <= 0xFFFF {
                bmp[from as usize] = to as u16;
            } else {
                if (from as u32) <= 0xFFFF {
                    bmp[from as usize] = 0;
                }
                astral.insert(from, to);
            }
        }
    }
    // A character that folded to a variant now folds where the variant does (戱 → 戯 → 戏):
    // the fold stays a projection, so folding folded text changes nothing.
    for cp in 0..bmp.len() {
        let Some(c) = char::from_u32(cp as u32) else {
            continue;
        };
        let mut f = fold(bmp, astral, c);
        for _ in 0..4 {
            let g = fold(bmp, astral, f);
            if g == f {
                break;
            }
            f = g;
        }
        if (f as u32) <= 0xFFFF && f != fold(bmp, astral, c) {
            bmp[cp] = f as u16;
        }
    }
    standard
}

impl ScriptTables {
    fn build() -> Self {
        let mut bmp: Vec<u16> = (0..=0xFFFFu32).map(|c| c as u16).collect();
        let mut astral = HashMap::new();
        let mut traditional_only = HashSet::new();
        let mut simplified_only = HashSet::new();
        let mut candidates: HashMap<char, Vec<char>> = HashMap::new();
        for (k, vals) in parse_table(TS_CHARACTERS) {
            let first = vals[0];
            if first != k {
                // A character that is also its own candidate (乾 in 乾隆, 覆) is valid in both
                // scripts and tells nothing about which one a text uses.
                if !vals.contains(&k) {
                    traditional_only.insert(k);
                }
                if (k as u32) <= 0xFFFF && (first as u32) <= 0xFFFF {
                    bmp[k as usize] = first as u16;
                } else {
                    if (k as u32) <= 0xFFFF {
                        bmp[k as usize] = 0; // the fold lies outside the BMP: see `astral`
                    }
                    astral.insert(k, first);
                }
            }
            candidates.entry(k).or_default().extend(vals);
        }
        let regional: HashSet<char> = parse_table(TW_VARIANTS)
            .chain(parse_table(HK_VARIANTS))
            .flat_map(|(_, v)| v)
            .collect();
        for (k, vals) in parse_table(ST_CHARACTERS) {
            if !vals.contains(&k) && !regional.contains(&k) {
                simplified_only.insert(k);
            }
            candidates.entry(k).or_default().extend(vals);
        }
        let standard = fold_variants(&mut bmp, &mut astral);
        let mut flags = vec![0u8; 0x10000];
        for c in &traditional_only {
            if (*c as u32) < 0x10000 {
                flags[*c as usize] |= 1;
            }
        }
        for c in &simplified_only {
            if (*c as u32) < 0x10000 {
                flags[*c as usize] |= 2;
            }
        }
        ScriptTables {
            bmp,
            astral,
            traditional_only,
            simplified_only,
            flags,
            candidates,
            standard,
        }
    }

    /// Canonical (simplified) fold of one character.
    #[inline]
    pub fn fold(&self, c: char) -> char {
        let cp = c as u32;
        if cp <= 0xFFFF {
            // The table holds only valid scalar values (built from chars), so this cannot fail.
            match self.bmp[cp as usize] {
                0 if cp != 0 => self.astral.get(&c).copied().unwrap_or(c),
                v => char::from_u32(v as u32).unwrap_or(c),
            }
        } else {
            self.astral.get(&c).copied().unwrap_or(c)
        }
    }

    /// The same character up to a variant glyph of OpenCC's variant tables (裡 and 裏, 麵 and
    /// 麪), but not two characters that only share a simplified form (發 and 髮).
    pub fn same_glyph(&self, a: char, b: char) -> bool {
        let std = |c: char| self.standard.get(&c).copied().unwrap_or(c);
        a == b || std(a) == std(b)
    }

    /// A traditional-only character (e.g. 復, 國).
    pub fn is_traditional_only(&self, c: char) -> bool {
        match self.flags.get(c as usize) {
            Some(f) => f & 1 != 0,
            None => self.traditional_only.contains(&c),
        }
    }

    /// A simplified-only character (e.g. 复, 国).
    pub fn is_simplified_only(&self, c: char) -> bool {
        match self.flags.get(c as usize) {
            Some(f) => f & 2 != 0,
            None => self.simplified_only.contains(&c),
        }
    }

    /// Whether `a` and `b` can be the same character written in two scripts, including the
    /// one-to-many cases a canonical fold cannot see (覆 ↔ 复 in 答覆/答复).
    pub fn script_equivalent(&self, a: char, b: char) -> bool {
        if a == b || self.fold(a) == self.fold(b) {
            return true;
        }
        let has = |x: char, y: char| self.candidates.get(&x).is_some_and(|v| v.contains(&y));
        has(a, b) || has(b, a)
    }
}

/// The tables, built once per process.
pub fn tables() -> &'static ScriptTables {
    static TABLES: OnceLock<ScriptTables> = OnceLock::new();
    TABLES.get_or_init(ScriptTables::build)
}

/// Which script a text is mostly written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Traditional characters (Taiwan, Hong Kong, Macau, older texts).
    Traditional,
    /// Simplified characters (mainland China, Singapore).
    Simplified,
    /// No Chinese characters that tell the scripts apart.
    Neutral,
}

/// Counts of script-telling characters in a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ScriptStats {
    /// Characters only the traditional script uses.
    pub traditional: usize,
    /// Characters only the simplified script uses.
    pub simplified: usize,
}

impl ScriptStats {
    /// Counts the script-telling characters of `text`.
    pub fn of(text: &str) -> Self {
        let t = tables();
        let mut s = ScriptStats::default();
        for c in text.chars() {
            if (c as u32) < 0x3400 {
                continue;
            }
            if t.is_traditional_only(c) {
                s.traditional += 1;
            } else if t.is_simplified_only(c) {
                s.simplified += 1;
            }
        }
        s
    }

    /// The script with more telling characters (traditional on a tie); neutral with none.
    pub fn majority(&self) -> Script {
        if self.traditional == 0 && self.simplified == 0 {
            Script::Neutral
        } else if self.traditional >= self.simplified {
            Script::Traditional
        } else {
            Script::Simplified
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_keeps_converter_errors_visible() {
        let t = tables();
        assert_eq!(t.fold('復'), '复');
        assert_eq!(t.fold('複'), '复');
        assert_eq!(t.fold('覆'), '覆');
        assert_eq!(t.fold('國'), '国');
        assert!(t.script_equivalent('覆', '复'));
        assert!(!t.script_equivalent('上', '下'));
    }

    #[test]
    fn variant_glyphs_fold_together() {
        let t = tables();
        for (a, b) in [
            ('著', '着'),
            ('衞', '衛'),
            ('裏', '裡'),
            ('綫', '線'),
            ('爲', '為'),
            ('峯', '峰'),
            ('羣', '群'),
            ('擡', '抬'),
            ('衹', '只'),
            ('伝', '傳'),
        ] {
            assert_eq!(t.fold(a), t.fold(b), "{a} / {b}");
        }
        // The simplified form is what the pair folds to, so simplified word lists still match.
        assert_eq!(t.fold('衞'), '卫');
        assert_eq!(t.fold('擡'), '抬');
        // Excluded: different characters in simplified Chinese.
        for (a, b) in VARIANT_EXCLUDED {
            assert_ne!(t.fold(*a), t.fold(*b), "{a} / {b}");
        }
        assert_ne!(t.fold('覆'), t.fold('復'));
    }

    #[test]
    fn script_majority() {
        assert_eq!(ScriptStats::of("中國發布").majority(), Script::Traditional);
        assert_eq!(ScriptStats::of("中国发布").majority(), Script::Simplified);
        assert_eq!(ScriptStats::of("hello").majority(), Script::Neutral);
        // 于 is valid in both scripts (a surname), so it tells nothing.
        assert!(!tables().is_simplified_only('于'));
    }
}
