//! Property tests: the normalization offset map, fingerprint stability, and the script tables
//! against the maintained OpenCC converter.

use collatio::normalize::normalize;
use proptest::prelude::*;

/// Text drawn from what archives hold: CJK in both scripts, full- and half-width punctuation,
/// quotes, Latin, digits, spaces, line breaks, combining marks, invisible characters.
fn archive_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "中", "國", "国", "發", "发", "覆", "復", "，", ",", "。", ".", "「", "」", "“", "”", "\"",
        "（", "(", "Ａ", "a", "B", "1", "１", " ", "\u{3000}", "\n", "\r\n", "\t", "e\u{301}",
        "\u{200B}", "\u{FEFF}", "ﬁ", "㈱", "…", "—", "𠀀", "é", "◆", "著", "着", "衞", "峯", "裏",
        "裡",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn every_normalized_char_maps_inside_the_raw_span_it_came_from(s in archive_text(), base in 0usize..1000) {
        let n = normalize(&s, base);
        prop_assert_eq!(n.chars.len(), n.src.len());
        // Offsets are absolute: the text sits at `base` in its document.
        let doc = format!("{}{s}", "x".repeat(base));
        let mut last_start = 0usize;
        for i in 0..n.src.len() {
            let (a, b) = n.span(&doc, i).expect("every folded char has a span");
            let (a, b) = (a - base, b - base);
            prop_assert!(a < b && b <= s.len(), "char {} maps to {}..{} outside 0..{}", i, a, b, s.len());
            prop_assert!(s.is_char_boundary(a) && s.is_char_boundary(b));
            prop_assert!(a >= last_start, "offsets go backwards");
            last_start = a;
            // Normalizing the raw span alone gives back this character (or a sequence holding it).
            let again = normalize(&s[a..b], 0);
            prop_assert!(again.chars.contains(&n.chars[i]) || n.chars[i] == ' ',
                "{:?} from {:?} not reproduced: {:?}", n.chars[i], &s[a..b], again.text());
        }
    }

    #[test]
    fn normalization_is_idempotent(s in archive_text()) {
        let once = normalize(&s, 0).text();
        prop_assert_eq!(normalize(&once, 0).text(), once);
    }

    #[test]
    fn fingerprint_ignores_width_spacing_and_wrapping(s in archive_text()) {
        let wide: String = s.chars().map(|c| match c {
            ',' => '，',
            '(' => '（',
            'a' => 'ａ',
            '1' => '１',
            _ => c,
        }).collect();
        let wrapped = wide.replace('。', "。\n");
        prop_assert_eq!(normalize(&s, 0).text(), normalize(&wrapped, 0).text());
    }
}

/// Variant glyphs and the forms they stand for, each pair the same number of UTF-8 bytes.
const VARIANTS: &[(char, char)] = &[
    ('着', '著'),
    ('衛', '衞'),
    ('裡', '裏'),
    ('線', '綫'),
    ('為', '爲'),
    ('峰', '峯'),
    ('群', '羣'),
    ('抬', '擡'),
];

proptest! {
    /// Writing variant glyphs for their standard forms changes neither the folded text nor the
    /// offset map (the pairs have equal byte lengths, so every offset must stay where it was).
    #[test]
    fn variant_glyphs_fold_like_their_standard_forms(s in archive_text(), picks in prop::collection::vec(0usize..8, 1..8)) {
        let mut standard = s.clone();
        let mut variant = s;
        for &k in &picks {
            let (a, b) = VARIANTS[k];
            standard.push(a);
            standard.push('，');
            variant.push(b);
            variant.push('，');
        }
        let (x, y) = (normalize(&standard, 0), normalize(&variant, 0));
        prop_assert_eq!(x.text(), y.text());
        prop_assert_eq!(x.src, y.src);
    }
}

#[test]
fn character_fold_agrees_with_opencc_t2s_for_every_traditional_character() {
    let cc =
        ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s).unwrap();
    let table = include_str!("../rules/opencc/TSCharacters.txt");
    let t = collatio::script::tables();
    let (mut checked, mut varied) = (0, 0);
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let Some((k, _)) = line.split_once('\t') else {
            continue;
        };
        let mut cs = k.chars();
        let (Some(c), None) = (cs.next(), cs.next()) else {
            continue;
        };
        let conv = cc.convert(&c.to_string());
        let mut it = conv.chars();
        if let (Some(x), None) = (it.next(), it.next()) {
            // Where t2s keeps a variant glyph (衹), the fold goes on to its standard form (只):
            // equal up to the variant fold, and different only for a few characters.
            assert_eq!(t.fold(c), t.fold(x), "fold({c}) disagrees with OpenCC t2s");
            varied += usize::from(t.fold(c) != x);
            checked += 1;
        }
    }
    assert!(checked > 3000, "{checked}");
    assert!(varied < 20, "{varied} characters fold other than t2s");
}
