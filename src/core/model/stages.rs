//! The workspace's pipeline stages ([`Stages`]) and how a manager edits them.
//!
//! A workspace's stages are its open stages in order — configurable: added, renamed, given a
//! default probability, marked committed (counted as committed in the forecast), moved up or
//! down, removed — then won and lost, which are fixed (outcomes are not configurable: the
//! forecast, the win rates and the lifecycle rules rely on them). The default is
//! lead → qualified → solution / sample → quote → negotiation → won / lost.
//!
//! **Ids and labels.** A deal stores its stage's id, so an id never changes once made: renaming
//! changes the label only. A default stage has an empty label (the UI translates it by id);
//! giving it a label overrides the translation, and clearing the label brings the translation
//! back. A new stage's id is made from its label (ASCII letters and digits, `_` between words),
//! else `stage_<n>`, and never reuses an id in the list. Labels are unique (ignoring case and
//! surrounding spaces), the translated names of the default stages included.
//!
//! **Edits** are methods returning a [`StageProblem`] and leaving the stages unchanged when
//! refused: a stage with deals in it is not removed (the caller counts them; the deals would
//! otherwise fall into the board's "other stages" column), nor the last open stage.
//!
//! **Stored data** ([`Stages::normalise`]): stages read back from storage (written by this or
//! another version) are made valid rather than refused — open stages with an empty, duplicate
//! or outcome id are dropped, probabilities above 100 become 100, won and lost are put back at
//! the end as fixed, and a list with no open stage left becomes the default.

use crate::core::validate::MAX_NAME;
use serde::{Deserialize, Serialize};

/// The stage id of a won deal (fixed in every workspace: outcomes are not configurable).
pub const WON: &str = "won";
/// The stage id of a lost deal.
pub const LOST: &str = "lost";
/// At most this many open stages (a board of more columns is no longer a board).
pub const MAX_OPEN_STAGES: usize = 12;

/// Whether a stage is still being worked or ends the deal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageOutcome {
    Open,
    Won,
    Lost,
}

/// One stage of the workspace's pipeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDef {
    pub id: String,
    /// The label the workspace gave it; empty for the default stages (translated by id).
    #[serde(default)]
    pub label: String,
    /// Default probability of a deal in this stage, 0–100.
    pub probability: u8,
    /// Counts as committed in the forecast (negotiation and later).
    #[serde(default)]
    pub committed: bool,
    pub outcome: StageOutcome,
}

impl StageDef {
    pub(crate) fn open(id: &str, probability: u8) -> StageDef {
        StageDef {
            id: id.to_string(),
            label: String::new(),
            probability,
            committed: false,
            outcome: StageOutcome::Open,
        }
    }

    fn won() -> StageDef {
        StageDef { id: WON.into(), label: String::new(), probability: 100, committed: true, outcome: StageOutcome::Won }
    }

    fn lost() -> StageDef {
        StageDef {
            id: LOST.into(),
            label: String::new(),
            probability: 0,
            committed: false,
            outcome: StageOutcome::Lost,
        }
    }
}

/// The workspace's stages in order: the open ones (configurable), then won and lost (fixed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stages(pub Vec<StageDef>);

impl Default for Stages {
    /// lead → qualified → solution / sample → quote → negotiation → won / lost.
    fn default() -> Stages {
        let mut negotiation = StageDef::open("negotiation", 80);
        negotiation.committed = true;
        Stages(vec![
            StageDef::open("lead", 10),
            StageDef::open("qualified", 25),
            StageDef::open("solution", 40),
            StageDef::open("quote", 60),
            negotiation,
            StageDef::won(),
            StageDef::lost(),
        ])
    }
}

impl Stages {
    /// The default stage ids (their labels are translated as `opp_stage_<id>`).
    pub const DEFAULT_IDS: [&'static str; 7] = ["lead", "qualified", "solution", "quote", "negotiation", WON, LOST];

    pub fn get(&self, id: &str) -> Option<&StageDef> {
        self.0.iter().find(|s| s.id == id)
    }

    pub fn open(&self) -> impl Iterator<Item = &StageDef> {
        self.0.iter().filter(|s| s.outcome == StageOutcome::Open)
    }

    pub fn probability(&self, id: &str) -> Option<u8> {
        self.get(id).map(|s| s.probability)
    }

    /// The position of a stage in the pipeline's order, for sorting: the open stages in their
    /// order, then any unknown stage, then won and lost (strictly after the unknown ones).
    pub fn position(&self, id: &str) -> usize {
        let open = self.open().count();
        let is_open = |s: &&StageDef| s.outcome == StageOutcome::Open;
        match self.0.iter().position(|s| s.id == id) {
            Some(i) if self.0.get(i).is_some_and(|s| is_open(&s)) => self.0.iter().take(i).filter(is_open).count(),
            Some(i) => open + 1 + self.0.iter().take(i).filter(|s| !is_open(s)).count(),
            None => open,
        }
    }

    pub fn is_committed(&self, id: &str) -> bool {
        self.get(id).is_some_and(|s| s.committed)
    }
}

/// Why an edit of the stages was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageProblem {
    /// A new stage needs a name.
    EmptyLabel,
    /// Another stage has this name.
    DuplicateLabel,
    /// Longer than [`MAX_NAME`] characters.
    TooLong,
    /// Not a whole number from 0 to 100.
    Probability,
    /// Won and lost cannot be changed, moved or removed.
    Fixed,
    /// No such stage (removed meanwhile).
    Unknown,
    /// The pipeline keeps at least one open stage.
    LastOpen,
    /// [`MAX_OPEN_STAGES`] open stages already.
    TooMany,
    /// This many deals are in the stage: move them first.
    HasDeals(usize),
}

/// A default probability typed by the user: a whole number 0–100, `%` allowed.
pub fn parse_probability(text: &str) -> Result<u8, StageProblem> {
    let t = text.trim().trim_end_matches('%').trim();
    match t.parse::<u8>() {
        Ok(p) if p <= 100 => Ok(p),
        _ => Err(StageProblem::Probability),
    }
}

impl Stages {
    /// The open stage `id`, for an edit (won, lost and unknown ids refused).
    fn open_mut(&mut self, id: &str) -> Result<&mut StageDef, StageProblem> {
        match self.0.iter_mut().find(|s| s.id == id) {
            None => Err(StageProblem::Unknown),
            Some(s) if s.outcome != StageOutcome::Open => Err(StageProblem::Fixed),
            Some(s) => Ok(s),
        }
    }

    /// A label checked against the other stages' names: `name_of` gives each stage's shown name
    /// (its label, else its translation), `except` the stage being renamed.
    fn check_label(
        &self,
        label: &str,
        except: Option<&str>,
        name_of: &dyn Fn(&StageDef) -> String,
    ) -> Result<(), StageProblem> {
        if label.chars().count() > MAX_NAME as usize {
            return Err(StageProblem::TooLong);
        }
        let key = label.trim().to_lowercase();
        if self.0.iter().filter(|s| Some(s.id.as_str()) != except).any(|s| name_of(s).trim().to_lowercase() == key) {
            return Err(StageProblem::DuplicateLabel);
        }
        Ok(())
    }

    /// Adds an open stage named `label` after the last open one; returns its new id. `name_of`
    /// gives a stage's shown name (for the uniqueness of names).
    pub fn add(
        &mut self,
        label: &str,
        probability: u8,
        name_of: &dyn Fn(&StageDef) -> String,
    ) -> Result<String, StageProblem> {
        let label = label.trim();
        if label.is_empty() {
            return Err(StageProblem::EmptyLabel);
        }
        if probability > 100 {
            return Err(StageProblem::Probability);
        }
        if self.open().count() >= MAX_OPEN_STAGES {
            return Err(StageProblem::TooMany);
        }
        self.check_label(label, None, name_of)?;
        let id = self.new_id(label);
        let at = self.0.iter().rposition(|s| s.outcome == StageOutcome::Open).map_or(0, |i| i + 1);
        let mut def = StageDef::open(&id, probability);
        def.label = label.to_string();
        self.0.insert(at, def);
        Ok(id)
    }

    /// An id for a stage named `label` that no stage in the list has.
    fn new_id(&self, label: &str) -> String {
        let mut slug = String::new();
        for word in label.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
            if !slug.is_empty() {
                slug.push('_');
            }
            slug.push_str(&word.to_ascii_lowercase());
        }
        slug.truncate(40);
        let taken = |id: &str| self.0.iter().any(|s| s.id == id) || id == WON || id == LOST;
        if !slug.is_empty() && !taken(&slug) {
            return slug;
        }
        let base = if slug.is_empty() { "stage".to_string() } else { slug };
        (2..).map(|n| format!("{base}_{n}")).find(|id| !taken(id)).unwrap_or(base)
    }

    /// Renames the open stage `id`. An empty label is allowed for a default stage only (its
    /// translated name comes back).
    pub fn rename(&mut self, id: &str, label: &str, name_of: &dyn Fn(&StageDef) -> String) -> Result<(), StageProblem> {
        let label = label.trim();
        self.open_mut(id)?;
        if label.is_empty() {
            if !Stages::DEFAULT_IDS.contains(&id) {
                return Err(StageProblem::EmptyLabel);
            }
        } else {
            self.check_label(label, Some(id), name_of)?;
        }
        self.open_mut(id)?.label = label.to_string();
        Ok(())
    }

    /// Sets the default probability of the open stage `id` (deals keep their own).
    pub fn set_probability(&mut self, id: &str, probability: u8) -> Result<(), StageProblem> {
        if probability > 100 {
            return Err(StageProblem::Probability);
        }
        self.open_mut(id)?.probability = probability;
        Ok(())
    }

    /// Marks the open stage `id` as counted in the committed forecast, or not.
    pub fn set_committed(&mut self, id: &str, committed: bool) -> Result<(), StageProblem> {
        self.open_mut(id)?.committed = committed;
        Ok(())
    }

    /// Moves the open stage `id` one place earlier (`up`) or later among the open stages; at
    /// either end nothing changes (and that is not an error).
    pub fn move_stage(&mut self, id: &str, up: bool) -> Result<(), StageProblem> {
        self.open_mut(id)?;
        let open: Vec<usize> =
            self.0.iter().enumerate().filter(|(_, s)| s.outcome == StageOutcome::Open).map(|(i, _)| i).collect();
        let Some(k) = open.iter().position(|&i| self.0.get(i).is_some_and(|s| s.id == id)) else {
            return Err(StageProblem::Unknown);
        };
        let other = if up { k.checked_sub(1) } else { Some(k + 1) };
        if let (Some(&a), Some(&b)) = (open.get(k), other.and_then(|o| open.get(o))) {
            self.0.swap(a, b);
        }
        Ok(())
    }

    /// Removes the open stage `id`, which `deals` deals are in (refused unless none).
    pub fn remove(&mut self, id: &str, deals: usize) -> Result<(), StageProblem> {
        self.open_mut(id)?;
        if deals > 0 {
            return Err(StageProblem::HasDeals(deals));
        }
        if self.open().count() <= 1 {
            return Err(StageProblem::LastOpen);
        }
        self.0.retain(|s| s.id != id);
        Ok(())
    }

    /// Makes stored stages valid (see the module's doc): what a workspace uses after reading them.
    pub fn normalise(&mut self) {
        let mut seen: Vec<String> = Vec::new();
        let mut open = Vec::new();
        for mut s in std::mem::take(&mut self.0) {
            let id = s.id.trim().to_string();
            if s.outcome != StageOutcome::Open || id.is_empty() || id == WON || id == LOST || seen.contains(&id) {
                continue;
            }
            seen.push(id.clone());
            s.id = id;
            s.probability = s.probability.min(100);
            s.label = s.label.trim().chars().take(MAX_NAME as usize).collect();
            if open.len() < MAX_OPEN_STAGES {
                open.push(s);
            }
        }
        if open.is_empty() {
            *self = Stages::default();
            return;
        }
        open.push(StageDef::won());
        open.push(StageDef::lost());
        self.0 = open;
    }
}
