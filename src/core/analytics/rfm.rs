//! RFM: recency, frequency and monetary value, each scored 1–5, and named segments.
//!
//! - **R** = whole days from the last order to the analysis date; **F** = number of orders;
//!   **M** = sum of order amounts, compared across customers in the reporting currency (each
//!   order converted at the rate valid on its date, see [`super::AnalysisConfig::fx`]; customers
//!   whose currency has no rate are not scored).
//! - **Quantile scoring** (the default): the scored customers (those with at least one order) are
//!   ranked from worst to best — more days is worse recency, fewer orders and less money are
//!   worse — ties share the lowest rank, and `score = 1 + floor(5 × (rank − 1) / n)` with 1-based
//!   ranks and `n` scored customers. So a lone customer, or customers who all tie, score 1.
//! - **Cut-point scoring**: user thresholds per dimension ([`CutPoints`]).
//! - **Segments**: the first [`SegmentRule`] whose three inclusive score ranges all match;
//!   `others` when none does. The default rules are [`default_segments`].

use serde::{Deserialize, Serialize};

/// The three scores, each 1–5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RfmScores {
    pub r: u8,
    pub f: u8,
    pub m: u8,
}

/// An inclusive range of scores, serialised as `[min, max]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreRange(pub u8, pub u8);

impl ScoreRange {
    pub fn contains(self, score: u8) -> bool {
        self.0 <= score && score <= self.1
    }
}

/// A named segment: all three scores must fall in their ranges. `key` is the stable,
/// snake_case translation key (the UI shows `segment_<key>`); user rules may use any key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentRule {
    pub key: String,
    pub r: ScoreRange,
    pub f: ScoreRange,
    pub m: ScoreRange,
}

impl SegmentRule {
    pub fn matches(&self, s: RfmScores) -> bool {
        self.r.contains(s.r) && self.f.contains(s.f) && self.m.contains(s.m)
    }
}

/// The key of customers no rule matches.
pub const OTHERS: &str = "others";

/// An inclusive `(min, max)` score range in [`DEFAULT_SEGMENTS`].
pub type Scores = (u8, u8);

/// The default rules, in order (first match wins).
pub const DEFAULT_SEGMENTS: [(&str, Scores, Scores, Scores); 11] = [
    ("champions", (4, 5), (4, 5), (4, 5)),
    ("cant_lose_them", (1, 1), (4, 5), (4, 5)),
    ("loyal_customers", (2, 5), (3, 5), (3, 5)),
    ("at_risk", (1, 2), (2, 5), (2, 5)),
    ("new_customers", (4, 5), (1, 1), (1, 1)),
    ("promising", (3, 4), (1, 1), (1, 1)),
    ("potential_loyalist", (3, 5), (1, 3), (1, 3)),
    ("need_attention", (2, 3), (2, 3), (2, 3)),
    ("about_to_sleep", (2, 3), (1, 2), (1, 2)),
    ("lost", (1, 1), (1, 2), (1, 2)),
    ("hibernating", (1, 2), (1, 2), (1, 2)),
];

/// Champions, Can't Lose Them, Loyal Customers, At Risk, New Customers, Promising, Potential
/// Loyalist, Need Attention, About To Sleep, Lost, Hibernating (then `others`).
pub fn default_segments() -> Vec<SegmentRule> {
    DEFAULT_SEGMENTS
        .iter()
        .map(|&(key, r, f, m)| SegmentRule {
            key: key.to_string(),
            r: ScoreRange(r.0, r.1),
            f: ScoreRange(f.0, f.1),
            m: ScoreRange(m.0, m.1),
        })
        .collect()
}

/// User thresholds, an alternative to quantile scoring. Thresholds need not be sorted; with the
/// usual four thresholds scores span 1–5, and scores are always clamped to 1–5.
///
/// - Recency: `score = 5 − #{t : R > t}` — with `[30, 90, 180, 365]`, R ≤ 30 days scores 5,
///   31–90 scores 4, …, more than 365 scores 1.
/// - Frequency and monetary: `score = 1 + #{t : value ≥ t}` — with `[2, 4, 8, 16]` orders,
///   1 order scores 1, 2–3 score 2, …, 16 or more score 5. Monetary thresholds are in major
///   units of the reporting currency (see [`super::AnalysisConfig::fx`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CutPoints {
    pub recency_days: Vec<u32>,
    pub frequency: Vec<u32>,
    pub monetary: Vec<f64>,
}

impl Default for CutPoints {
    /// Examples rather than advice: 30/90/180/365 days; 2/4/8/16 orders; 10 k/50 k/200 k/1 M.
    fn default() -> Self {
        CutPoints {
            recency_days: vec![30, 90, 180, 365],
            frequency: vec![2, 4, 8, 16],
            monetary: vec![10_000.0, 50_000.0, 200_000.0, 1_000_000.0],
        }
    }
}

impl CutPoints {
    pub fn recency_score(&self, days: u32) -> u8 {
        let above = self.recency_days.iter().filter(|&&t| days > t).count();
        clamp_score(5i64 - above as i64)
    }

    pub fn frequency_score(&self, orders: u32) -> u8 {
        let reached = self.frequency.iter().filter(|&&t| orders >= t).count();
        clamp_score(1 + reached as i64)
    }

    pub fn monetary_score(&self, value: f64) -> u8 {
        let reached = self.monetary.iter().filter(|&&t| value >= t).count();
        clamp_score(1 + reached as i64)
    }
}

fn clamp_score(s: i64) -> u8 {
    s.clamp(1, 5) as u8
}

/// How R, F and M become scores.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum RfmScoring {
    #[default]
    Quantile,
    CutPoints(CutPoints),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RfmConfig {
    pub scoring: RfmScoring,
    /// Ordered; the first match names the segment.
    pub segments: Vec<SegmentRule>,
}

impl Default for RfmConfig {
    fn default() -> Self {
        RfmConfig { scoring: RfmScoring::Quantile, segments: default_segments() }
    }
}

/// Quantile score of `rank` (1-based) among `n`: `1 + floor(5 × (rank − 1) / n)`.
pub fn quantile_score(rank: usize, n: usize) -> u8 {
    if n == 0 || rank == 0 {
        return 1;
    }
    let s = 1 + (5 * (rank as u128 - 1)) / n as u128;
    s.min(5) as u8
}

/// [`quantile_score`] with a 64-bit division (ranks and counts below 2⁶¹).
fn quantile_score_fast(rank: usize, n: usize) -> u8 {
    match (u64::try_from(rank), u64::try_from(n)) {
        (Ok(r), Ok(n)) if r > 0 && n > 0 && r < (1 << 61) => (1 + 5 * (r - 1) / n).min(5) as u8,
        _ => quantile_score(rank, n),
    }
}

/// Quantile scores of `values`, where a larger value is better when `higher_is_better`
/// (frequency, money) and worse otherwise (recency days). Ties share the lowest rank.
/// NaN sorts with `total_cmp` (above +∞), so it never panics.
pub fn quantile_scores_f64(values: &[f64], higher_is_better: bool) -> Vec<u8> {
    // `total_cmp`'s order, as unsigned integers.
    let key = |v: f64| {
        let b = v.to_bits();
        let k = if b >> 63 == 1 { !b } else { b | (1 << 63) };
        if higher_is_better { k } else { !k }
    };
    let mut keys: Vec<(u64, u32)> = values.iter().enumerate().map(|(i, &v)| (key(v), i as u32)).collect();
    keys.sort_unstable();
    scores_from_sorted(&keys, values.len())
}

/// As [`quantile_scores_f64`] for integers.
pub fn quantile_scores_u64(values: &[u64], higher_is_better: bool) -> Vec<u8> {
    let orient = |v: u64| if higher_is_better { v } else { !v };
    let n = values.len();
    if let (Some(&lo), Some(&hi)) = (values.iter().min(), values.iter().max())
        && hi - lo < (n as u64).max(1 << 16)
    {
        // Small range (days, order counts): a histogram instead of a sort.
        let range = (hi - lo + 1) as usize;
        let mut count = vec![0usize; range];
        for &v in values {
            count[(v - lo) as usize] += 1;
        }
        // Score of each value: customers strictly worse are those below (or above) it.
        let mut score = vec![1u8; range];
        let mut below = 0usize;
        for k in 0..range {
            let worse = if higher_is_better { below } else { n - below - count[k] };
            score[k] = quantile_score_fast(worse + 1, n);
            below += count[k];
        }
        return values.iter().map(|&v| score[(v - lo) as usize]).collect();
    }
    let small = u64::from(u32::MAX);
    if values.len() <= u32::MAX as usize && values.iter().all(|&v| v <= small) {
        // Keys fit in 32 bits: sort (key, index) packed in one u64.
        let key32 = |v: u64| if higher_is_better { v } else { small - v };
        let mut packed: Vec<u64> = values.iter().enumerate().map(|(i, &v)| (key32(v) << 32) | i as u64).collect();
        packed.sort_unstable();
        let n = values.len();
        let mut out = vec![1u8; n];
        let mut start = 0;
        while start < n {
            let k = packed[start] >> 32;
            let mut end = start + 1;
            while end < n && packed[end] >> 32 == k {
                end += 1;
            }
            let score = quantile_score_fast(start + 1, n);
            for p in &packed[start..end] {
                out[(p & 0xffff_ffff) as usize] = score;
            }
            start = end;
        }
        return out;
    }
    let mut keys: Vec<(u64, u32)> = values.iter().enumerate().map(|(i, &v)| (orient(v), i as u32)).collect();
    keys.sort_unstable();
    scores_from_sorted(&keys, values.len())
}

/// Higher-is-better scores of `scored` customers (positions) from `ranked`, which holds exactly
/// them as `(key, position)` sorted best first (equal keys = equal values).
pub(crate) fn scores_from_ranked(ranked: &[(u64, u32)], scored: &[u32], customers: usize) -> Vec<u8> {
    let n = ranked.len();
    let mut by_position = vec![1u8; customers];
    let mut start = 0;
    while start < n {
        let k = ranked[start].0;
        let mut end = start + 1;
        while end < n && ranked[end].0 == k {
            end += 1;
        }
        // Customers strictly worse: those after this group.
        let score = quantile_score_fast(n - end + 1, n);
        for &(_, i) in &ranked[start..end] {
            if let Some(s) = by_position.get_mut(i as usize) {
                *s = score;
            }
        }
        start = end;
    }
    scored.iter().map(|&i| by_position.get(i as usize).copied().unwrap_or(1)).collect()
}

/// Scores from `(key, index)` sorted worst first: a group of equal keys starting at position `s`
/// has `s` customers strictly worse, so rank `s + 1`.
fn scores_from_sorted(keys: &[(u64, u32)], n: usize) -> Vec<u8> {
    let mut out = vec![1u8; n];
    let mut start = 0;
    while start < keys.len() {
        let k = keys[start].0;
        let mut end = start + 1;
        while end < keys.len() && keys[end].0 == k {
            end += 1;
        }
        let score = quantile_score(start + 1, n);
        for &(_, i) in &keys[start..end] {
            if let Some(o) = out.get_mut(i as usize) {
                *o = score;
            }
        }
        start = end;
    }
    out
}

/// Segment of every score combination: index into `rules`, `rules.len()` for `others`.
pub struct SegmentTable([u16; 125]);

impl SegmentTable {
    pub fn new(rules: &[SegmentRule]) -> SegmentTable {
        let mut t = [0u16; 125];
        let others = rules.len().min(u16::MAX as usize) as u16;
        for r in 1..=5u8 {
            for f in 1..=5u8 {
                for m in 1..=5u8 {
                    let s = RfmScores { r, f, m };
                    let hit =
                        rules.iter().position(|rule| rule.matches(s)).map_or(others, |i| i.min(others as usize) as u16);
                    t[Self::slot(s)] = hit;
                }
            }
        }
        SegmentTable(t)
    }

    fn slot(s: RfmScores) -> usize {
        let c = |v: u8| usize::from(v.clamp(1, 5) - 1);
        c(s.r) * 25 + c(s.f) * 5 + c(s.m)
    }

    pub fn segment(&self, s: RfmScores) -> u16 {
        self.0[Self::slot(s)]
    }
}

/// The segment key of `scores` under `rules` (`others` when no rule matches).
pub fn segment_of(rules: &[SegmentRule], scores: RfmScores) -> &str {
    rules.iter().find(|r| r.matches(scores)).map_or(OTHERS, |r| r.key.as_str())
}
