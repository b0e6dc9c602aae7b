//! Text helpers shared by search and validation.

/// Case-folds text for matching what people type against names, cities and e-mail addresses.
///
/// ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic and full-width Latin letters are folded;
/// Chinese, Japanese and Korean text has no case and passes through. Deliberately not
/// `str::to_lowercase`: its full Unicode tables are about 24 KB of poorly compressible data in the
/// browser build, for scripts a supply-chain CRM's customer names do not use.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

pub fn fold_char(c: char) -> char {
    let u = c as u32;
    let folded = match u {
        0x41..=0x5A => u + 0x20,
        // À-Þ, except × (U+00D7).
        0xC0..=0xDE if u != 0xD7 => u + 0x20,
        // Latin Extended-A: upper case at even code points, lower at the next one (except the
        // ranges where the pairing is shifted by one, and ı/ĸ/ŉ, which have no pair here).
        0x100..=0x12F | 0x132..=0x137 | 0x14A..=0x177 if u.is_multiple_of(2) => u + 1,
        0x139..=0x148 | 0x179..=0x17E if u % 2 == 1 => u + 1,
        0x178 => 0xFF,
        // Greek Α-Ω (no U+03A2), Cyrillic А-Я and Ѐ-Џ.
        0x391..=0x3A9 if u != 0x3A2 => u + 0x20,
        0x410..=0x42F => u + 0x20,
        0x400..=0x40F => u + 0x50,
        // Full-width Ａ-Ｚ, as Chinese input methods produce them.
        0xFF21..=0xFF3A => u + 0x20,
        _ => u,
    };
    char::from_u32(folded).unwrap_or(c)
}

/// Whether text shows nothing: empty, or only white space and invisible format characters
/// (zero-width spaces and joiners, direction marks, embeddings, overrides and isolates, the
/// byte-order mark, soft hyphens). A name like that would make an empty heading or link.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// Unicode format characters that have no glyph of their own.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}
