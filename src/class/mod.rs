//! Classroom role-play (`tiaokuai serve --class`, docs/classroom.md):
//! students play the governments (kuai) and department lines (tiao) of a
//! scenario, each setting its own units' levers once per simulated year,
//! and the shared world steps with the same engine as `run`.
//!
//! The data path: [`def`] reads the scenario's `[class]` and `[[role]]`;
//! a [`Class`] holds the session (players, the choices of every round
//! played, the choices pending for the next); [`Choice`] is validated
//! against the role and its budget and mapped onto the engine's per-unit
//! levers ([`crate::engine::plan::UnitLevers`]); [`play`] replays the
//! class's choices year by year on every replicate and compares them with
//! the scenario's strategies on the same worlds and draws; [`export`]
//! writes the session's choices and results as CSV.
//!
//! Rules: the saved session holds only what people decided (plus the
//! results, for readers); everything else is recomputed from it, so a
//! session is deterministic given the scenario, its seed and the choices,
//! and a restart resumes it exactly. Roles nobody plays follow the class
//! strategy. A student's choice stays in force until they change it,
//! except a copy, which is an act of one year.

pub mod def;
pub mod export;
pub mod play;

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::catalog::Level;
use crate::engine::plan::{UnitLevers, UnitPlatform};
use crate::error::{Error, InputError, Result};
use crate::scenario::{self, StandardsMode};
use crate::sim::Context;
pub use def::{ClassDef, Lever, Role, RoleKind};
pub use play::Results;

/// Format tag of a saved session.
pub const FORMAT: &str = "tiaokuai-class/1";

/// Shipped role-play scenarios (`--class NAME`).
pub const SHIPPED: &[(&str, &str)] = &[
    (
        "class-province",
        include_str!("../../scenarios/class-province.toml"),
    ),
    (
        "class-china",
        include_str!("../../scenarios/class-china.toml"),
    ),
];

/// Platform choice of a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlatformChoice {
    Own,
    Join,
}

/// One role's choices for a round; a field left out follows the class strategy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Choice {
    /// `own`: build its own platform(s); `join`: connect to the province's.
    pub platform: Option<PlatformChoice>,
    /// Put its data exchange under the data agency (share) or not.
    pub share: Option<bool>,
    /// Standard its platforms converge on: `none`, `provincial` or `national`.
    pub standard: Option<StandardsMode>,
    /// Ask the province for a transfer.
    pub transfer: bool,
    /// Id of another role holding the copy lever whose cities and counties
    /// this role's copy an innovation from this year (docs/classroom.md, "Copy a neighbour's
    /// innovation").
    pub copy: Option<String>,
}

impl Choice {
    /// Points the choice takes from the role's budget.
    pub fn cost(&self, c: &def::Costs) -> u32 {
        let p = match self.platform {
            None => 0,
            Some(PlatformChoice::Own) => c.platform_own,
            Some(PlatformChoice::Join) => c.platform_join,
        };
        p + if self.share == Some(true) { c.share } else { 0 }
            + if self.standard.is_some_and(|s| s != StandardsMode::None) {
                c.standard
            } else {
                0
            }
            + if self.transfer { c.transfer } else { 0 }
            + if self.copy.is_some() { c.copy } else { 0 }
    }

    /// The levers the choice sets.
    fn levers(&self) -> Vec<Lever> {
        let mut l = Vec::new();
        if self.platform.is_some() {
            l.push(Lever::Platform);
        }
        if self.share.is_some() {
            l.push(Lever::Share);
        }
        if self.standard.is_some() {
            l.push(Lever::Standard);
        }
        if self.transfer {
            l.push(Lever::Transfer);
        }
        if self.copy.is_some() {
            l.push(Lever::Copy);
        }
        l
    }
}

/// A student and the role they play.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Player {
    pub name: String,
    pub role: String,
    pub token: String,
}

/// What is saved after every round (docs/classroom.md, "Saved session").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub format: String,
    pub scenario_name: String,
    pub scenario_sha256: String,
    pub scenario_text: String,
    pub code: String,
    pub teacher_token: String,
    pub players: Vec<Player>,
    /// Choices in force in each played year (year 1 first), by role id;
    /// roles without an entry followed the class strategy.
    pub rounds: Vec<BTreeMap<String, Choice>>,
    /// Choices for the next year, by role id.
    pub pending: BTreeMap<String, Choice>,
    pub ready: BTreeSet<String>,
    pub ended: bool,
    /// The results after the last round (recomputed on resume; saved for readers).
    pub results: Option<Results>,
    /// Seconds each round lasts once the teacher sets a round timer (none:
    /// the teacher advances by hand). The timer decides only when a round
    /// is played, never what is played.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer_seconds: Option<u32>,
    /// When the current round's timer runs out, in milliseconds since the
    /// Unix epoch (none: no timer running).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_ms: Option<u64>,
}

/// Longest round timer the teacher can set, in seconds (one hour).
pub const MAX_TIMER_SECONDS: u32 = 3600;

/// The timer's clock: milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A running class session.
pub struct Class {
    pub saved: Saved,
    pub ctx: Context,
    pub def: ClassDef,
    /// Where the session is saved (none: kept in memory only).
    pub path: Option<PathBuf>,
    /// Strategy headline values per (strategy, replicate), years 0..=Y × headline metrics.
    pub(crate) strategy_frames: Vec<Vec<Vec<f64>>>,
    /// The results of the rounds played so far.
    pub results: Results,
}

/// A random token of `n` characters from an unambiguous alphabet.
pub fn random_token(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::with_capacity(n);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    let mut x = 0u64;
    for i in 0..n {
        if i % 8 == 0 {
            h.write_usize(i);
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0),
            );
            x = h.finish();
        }
        out.push(ALPHABET[(x % ALPHABET.len() as u64) as usize] as char);
        x /= ALPHABET.len() as u64;
    }
    out
}

/// The text of a shipped role-play scenario, or of a file.
pub fn scenario_text(spec: &str) -> Result<(String, Option<PathBuf>)> {
    if let Some((_, text)) = SHIPPED.iter().find(|(n, _)| *n == spec) {
        return Ok((text.to_string(), None));
    }
    let path = Path::new(spec);
    if !path.exists() {
        let mut e = InputError::new(format!("no role-play scenario `{spec}`"))
            .key("--class")
            .expected(format!(
                "a scenario file with [[role]] sections, or one of {}",
                SHIPPED.iter().map(|s| s.0).collect::<Vec<_>>().join(", ")
            ));
        if let Some(m) = crate::error::did_you_mean(spec, SHIPPED.iter().map(|s| s.0)) {
            e = e.suggest(format!("did you mean `{m}`?"));
        }
        return Err(e.into());
    }
    Ok((scenario::read_text(path)?, Some(path.to_path_buf())))
}

impl Class {
    /// A new session on a scenario's text.
    pub fn new(text: &str, origin: Option<&Path>, path: Option<PathBuf>) -> Result<Class> {
        let saved = Saved {
            format: FORMAT.into(),
            scenario_name: String::new(),
            scenario_sha256: scenario::sha256_hex(text.as_bytes()),
            scenario_text: text.to_string(),
            code: random_token(5),
            teacher_token: random_token(24),
            players: Vec::new(),
            rounds: Vec::new(),
            pending: BTreeMap::new(),
            ready: BTreeSet::new(),
            ended: false,
            results: None,
            timer_seconds: None,
            deadline_ms: None,
        };
        Class::from_saved(saved, origin, path)
    }

    /// A session from its saved state (resume after a restart).
    pub fn from_saved(
        mut saved: Saved,
        origin: Option<&Path>,
        path: Option<PathBuf>,
    ) -> Result<Class> {
        let text = saved.scenario_text.clone();
        let table: toml::Table = toml::from_str(&text).map_err(|e| {
            let mut err = InputError::new(format!("invalid TOML: {}", e.message().trim()));
            if let Some(p) = origin {
                err = err.file(p);
            }
            Error::from(err)
        })?;
        let sc = scenario::from_str(&text, origin)?;
        let mut ctx = Context::new(sc)?;
        // Players' choices are per unit of one tree.
        ctx.keep_structure();
        let def = ClassDef::parse(&table, &ctx.scenario, &ctx.world).map_err(|e| match origin {
            Some(p) => Error::from(e.file(p)),
            None => Error::from(e),
        })?;
        saved.scenario_name = ctx.scenario.name.clone();
        for (y, round) in saved.rounds.iter().enumerate() {
            for (role, ch) in round {
                check_choice(&def, role, ch).map_err(|e| {
                    Error::from(e.key(format!("rounds[{y}].{role}")).suggest(
                        "the saved session does not fit this scenario; start a new one with another --class-save file",
                    ))
                })?;
            }
        }
        if saved.rounds.len() > ctx.scenario.run.years as usize {
            return Err(InputError::new(
                "the saved session has more rounds than the scenario has years",
            )
            .key("rounds")
            .into());
        }
        let strategy_frames = play::strategy_frames(&ctx, &def);
        let mut class = Class {
            saved,
            ctx,
            def,
            path,
            strategy_frames,
            results: Results::default(),
        };
        class.recompute();
        Ok(class)
    }

    /// Load a saved session file.
    pub fn load(path: &Path) -> Result<Class> {
        let bytes = crate::input::read(path)?;
        let saved: Saved = serde_json::from_slice(&bytes).map_err(|e| {
            Error::from(
                InputError::new(format!("not a saved class session: {e}"))
                    .file(path)
                    .at(e.line(), e.column())
                    .suggest("start a new session with another --class-save file"),
            )
        })?;
        if saved.format != FORMAT {
            return Err(InputError::new(format!(
                "saved session format `{}`, this version reads `{FORMAT}`",
                saved.format
            ))
            .file(path)
            .into());
        }
        Class::from_saved(saved, None, Some(path.to_path_buf()))
    }

    /// Years played so far.
    pub fn year(&self) -> usize {
        self.saved.rounds.len()
    }

    /// Years the scenario runs.
    pub fn years(&self) -> usize {
        self.ctx.scenario.run.years as usize
    }

    /// Write the session to its file (through a temporary file, so a crash
    /// never leaves half a session).
    pub fn save(&mut self) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let json = serde_json::to_vec_pretty(&self.saved_now())
            .map_err(|e| Error::Other(format!("cannot serialise the session: {e}")))?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, &json)
            .map_err(|e| Error::io(format!("cannot write {}", tmp.display()), e))?;
        std::fs::rename(&tmp, path)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
    }

    /// Join (or rejoin, with the same name) as a student. A new student gets
    /// the first role nobody plays; once every role is taken, students
    /// share roles as teams (any of them sets the role's choice).
    pub fn join(&mut self, code: &str, name: &str) -> Result<Player, InputError> {
        if !code.trim().eq_ignore_ascii_case(&self.saved.code) {
            return Err(InputError::new("wrong join code")
                .key("code")
                .expected("the code on the teacher's screen"));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 40 || name.chars().any(char::is_control) {
            return Err(InputError::new("a name of 1 to 40 characters, please")
                .key("name")
                .expected("your name or nickname"));
        }
        if let Some(p) = self
            .saved
            .players
            .iter()
            .find(|p| p.name.to_lowercase() == name.to_lowercase())
        {
            return Ok(p.clone());
        }
        // The first role with the fewest students: one each until every
        // role is taken, then teams of two, and so on.
        let count = |id: &str| self.saved.players.iter().filter(|p| p.role == id).count();
        let role = self
            .def
            .roles
            .iter()
            .min_by_key(|r| count(&r.id))
            .expect("a class has roles");
        let p = Player {
            name: name.to_string(),
            role: role.id.clone(),
            token: random_token(20),
        };
        self.saved.players.push(p.clone());
        Ok(p)
    }

    /// Names of the students playing `role`, joined with ", " (`None`: nobody).
    pub fn players_of(&self, role: &str) -> Option<String> {
        let names: Vec<&str> = self
            .saved
            .players
            .iter()
            .filter(|p| p.role == role)
            .map(|p| p.name.as_str())
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    }

    /// The player holding `token`.
    pub fn player(&self, token: &str) -> Option<&Player> {
        self.saved.players.iter().find(|p| p.token == token)
    }

    pub fn is_teacher(&self, token: &str) -> bool {
        !token.is_empty() && token == self.saved.teacher_token
    }

    /// Give a student another role (teacher); students of one role play it as a team.
    pub fn assign(&mut self, name: &str, role: &str) -> Result<(), InputError> {
        if self.def.role_index(role).is_none() {
            return Err(unknown_role(&self.def, role));
        }
        let p = self
            .saved
            .players
            .iter_mut()
            .find(|p| p.name == name)
            .ok_or_else(|| InputError::new(format!("no student called `{name}`")).key("name"))?;
        p.role = role.to_string();
        Ok(())
    }

    /// Set a student's choice for the next round.
    pub fn choose(&mut self, role: &str, choice: Choice) -> Result<(), InputError> {
        if self.saved.ended || self.year() >= self.years() {
            return Err(InputError::new("the session has ended; no more rounds"));
        }
        check_choice(&self.def, role, &choice)?;
        if let Some(from) = &choice.copy {
            self.check_copyable(role, from)?;
        }
        self.saved.pending.insert(role.to_string(), choice);
        Ok(())
    }

    /// `from` has an innovation that `role` lacks in the world on the
    /// teacher's screen (replicate 0) at the current year.
    fn check_copyable(&self, role: &str, from: &str) -> Result<(), InputError> {
        let (Some(r), Some(f)) = (self.def.role_index(role), self.def.role_index(from)) else {
            return Err(unknown_role(&self.def, from).key("copy"));
        };
        let options = self
            .results
            .roles
            .get(r)
            .map(|x| x.copy_options.as_slice())
            .unwrap_or_default();
        if options.iter().any(|&(s, n)| s == f && n > 0) {
            return Ok(());
        }
        let e = InputError::new(format!(
            "`{from}` has no innovation that `{role}` lacks to copy (year {})",
            self.year()
        ))
        .key("copy")
        .expected("a role whose cities or counties adopted an innovation yours have not");
        Err(if options.is_empty() {
            e.suggest("nobody has one to copy yet: try again after the next round")
        } else {
            e.suggest(format!(
                "these have one: {}",
                options
                    .iter()
                    .map(|&(s, _)| self.def.roles[s].id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    pub fn set_ready(&mut self, role: &str, ready: bool) {
        if ready {
            self.saved.ready.insert(role.to_string());
        } else {
            self.saved.ready.remove(role);
        }
    }

    /// Play the next year with the pending choices of the roles students play.
    pub fn advance(&mut self) -> Result<(), InputError> {
        self.push_round()
    }

    /// Record the next year's choices (the pending choices of the roles
    /// students play) and compute the results.
    pub fn push_round(&mut self) -> Result<(), InputError> {
        let round = self.next_round()?;
        let mut rounds = self.saved.rounds.clone();
        rounds.push(round);
        let results = play::results(self, &rounds);
        self.store_round(rounds, results);
        Ok(())
    }

    /// The choices the next year would be played with.
    pub fn next_round(&self) -> Result<BTreeMap<String, Choice>, InputError> {
        if self.saved.ended || self.year() >= self.years() {
            return Err(InputError::new("the session has ended; no more rounds")
                .suggest("export the results, or reset to play again"));
        }
        let played: BTreeSet<&str> = self.saved.players.iter().map(|p| p.role.as_str()).collect();
        Ok(self
            .saved
            .pending
            .iter()
            .filter(|(r, _)| played.contains(r.as_str()))
            .map(|(r, c)| (r.clone(), c.clone()))
            .collect())
    }

    /// The results of playing `rounds` (see [`Class::next_round`]).
    pub fn results_of(&self, rounds: &[BTreeMap<String, Choice>]) -> Results {
        play::results(self, rounds)
    }

    /// Make `rounds`, with their `results`, the years played.
    /// A copy is a one-off act of its year: it leaves the pending choices.
    pub fn store_round(&mut self, rounds: Vec<BTreeMap<String, Choice>>, results: Results) {
        self.saved.rounds = rounds;
        self.results = results;
        self.saved.ready.clear();
        for ch in self.saved.pending.values_mut() {
            ch.copy = None;
        }
        if self.year() >= self.years() {
            self.saved.ended = true;
        }
        self.open_round(now_ms());
    }

    /// Start the round timer of the round now open (when a timer is set
    /// and the session goes on).
    fn open_round(&mut self, now_ms: u64) {
        self.saved.deadline_ms = match self.saved.timer_seconds {
            Some(s) if !self.saved.ended => Some(now_ms + u64::from(s) * 1000),
            _ => None,
        };
    }

    /// Set the round timer (teacher): the round now open ends `seconds`
    /// from `now_ms`, and every later round `seconds` after it opens;
    /// `None` stops the timer.
    pub fn set_timer(&mut self, seconds: Option<u32>, now_ms: u64) -> Result<(), InputError> {
        if let Some(s) = seconds {
            if !(1..=MAX_TIMER_SECONDS).contains(&s) {
                return Err(InputError::new(format!("a round timer of {s} s"))
                    .key("seconds")
                    .expected(format!(
                        "1 to {MAX_TIMER_SECONDS} seconds, or null to stop the timer"
                    )));
            }
            if self.saved.ended || self.year() >= self.years() {
                return Err(InputError::new("the session has ended; no more rounds")
                    .suggest("reset to play again"));
            }
        }
        self.saved.timer_seconds = seconds;
        self.open_round(now_ms);
        Ok(())
    }

    /// Milliseconds left on the round timer at `now_ms` (none: no timer running).
    pub fn timer_left_ms(&self, now_ms: u64) -> Option<u64> {
        self.saved.deadline_ms.map(|d| d.saturating_sub(now_ms))
    }

    /// Whether the open round's timer has run out at `now_ms`.
    pub fn timer_expired(&self, now_ms: u64) -> bool {
        !self.saved.ended && self.saved.deadline_ms.is_some_and(|d| now_ms >= d)
    }

    /// The results of the years recorded so far.
    pub fn compute(&self) -> Results {
        play::results(self, &self.saved.rounds)
    }

    /// The saved state with the current results.
    pub fn saved_now(&self) -> Saved {
        let mut s = self.saved.clone();
        s.results = Some(self.results.clone());
        s
    }

    /// Back to year 0 (players and their roles stay; the round timer stops).
    pub fn reset(&mut self) {
        self.saved.rounds.clear();
        self.saved.pending.clear();
        self.saved.ready.clear();
        self.saved.ended = false;
        self.saved.timer_seconds = None;
        self.saved.deadline_ms = None;
        self.recompute();
    }

    pub fn end(&mut self) {
        self.saved.ended = true;
        self.saved.deadline_ms = None;
    }

    /// Per-unit levers of every year played (year 1 first).
    pub fn unit_levers(&self) -> Vec<Vec<UnitLevers>> {
        self.saved
            .rounds
            .iter()
            .map(|round| unit_levers(&self.ctx, &self.def, round))
            .collect()
    }

    fn recompute(&mut self) {
        self.results = self.compute();
    }
}

/// The engine's per-unit levers for one round of choices.
pub fn unit_levers(
    ctx: &Context,
    def: &ClassDef,
    round: &BTreeMap<String, Choice>,
) -> Vec<UnitLevers> {
    let c = &ctx.compiled;
    let mut out = vec![UnitLevers::default(); c.n_units];
    for (role_id, ch) in round {
        let Some(role) = def.role_index(role_id).map(|i| &def.roles[i]) else {
            continue;
        };
        for &u in &role.units {
            let u = u as usize;
            let x = &mut out[u];
            if let Some(p) = ch.platform
                && matches!(c.level[u], Level::City | Level::County)
            {
                x.platform = Some(match p {
                    PlatformChoice::Own => UnitPlatform::Own,
                    PlatformChoice::Join => UnitPlatform::Join,
                });
            }
            if ch.share.is_some() {
                x.agency = ch.share;
            }
            if ch.standard.is_some() {
                x.standard = ch.standard;
            }
            if ch.transfer {
                x.transfer = def.params.transfer_share;
            }
        }
        // Copy: the role's cities and counties, in order, each from the
        // source role's unit of the same level at the same position
        // (cyclically), so a city copies from a city and a county from a
        // county whatever the two roles' numbers of counties.
        if let (Some(r), Some(src)) = (
            def.role_index(role_id),
            ch.copy.as_deref().and_then(|s| def.role_index(s)),
        ) {
            for (u, from) in copy_pairs(def, r, src) {
                out[u as usize].copy = Some(from);
            }
        }
    }
    out
}

/// The (copier, source) unit pairs of role `r` copying from role `s`: the
/// k-th unit of a level copies from the source's k-th unit of that level
/// (cyclically); a level the source lacks copies nothing.
pub(crate) fn copy_pairs<'a>(
    def: &'a ClassDef,
    r: usize,
    s: usize,
) -> impl Iterator<Item = (u32, u32)> + 'a {
    let (to, from) = (&def.roles[r], &def.roles[s]);
    let of_level = |role: &'a Role, level: Level| {
        role.copy_units
            .iter()
            .zip(&role.copy_levels)
            .filter(move |(_, l)| **l == level)
            .map(|(&u, _)| u)
    };
    [Level::City, Level::County]
        .into_iter()
        .flat_map(move |level| {
            let sources: Vec<u32> = of_level(from, level).collect();
            // A level the source lacks pairs nothing.
            let n = if sources.is_empty() { 0 } else { usize::MAX };
            of_level(to, level)
                .enumerate()
                .take(n)
                .map(move |(i, u)| (u, sources[i % sources.len()]))
        })
}

fn unknown_role(def: &ClassDef, role: &str) -> InputError {
    let mut e = InputError::new(format!("no role `{role}`"))
        .key("role")
        .expected(
            def.roles
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
    if let Some(m) = crate::error::did_you_mean(role, def.roles.iter().map(|r| r.id.as_str())) {
        e = e.suggest(format!("did you mean `{m}`?"));
    }
    e
}

/// A choice fits its role: only the role's levers, within its budget.
pub fn check_choice(def: &ClassDef, role: &str, ch: &Choice) -> Result<(), InputError> {
    let r = def
        .role_index(role)
        .map(|i| &def.roles[i])
        .ok_or_else(|| unknown_role(def, role))?;
    for l in ch.levers() {
        if !r.holds(l) {
            return Err(InputError::new(format!(
                "the role `{}` does not hold the {} lever",
                r.id,
                l.id()
            ))
            .key(l.id())
            .expected(format!(
                "one of this role's levers: {}",
                r.levers
                    .iter()
                    .map(|l| l.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    if let Some(from) = &ch.copy {
        if from == &r.id {
            return Err(InputError::new("a role cannot copy from itself")
                .key("copy")
                .expected("the id of another role"));
        }
        let Some(s) = def.role_index(from) else {
            return Err(unknown_role(def, from).key("copy"));
        };
        if !def.roles[s].holds(Lever::Copy) {
            return Err(InputError::new(format!(
                "`{from}` governs no city or county that innovates and copies, so it has no innovation to copy"
            ))
            .key("copy")
            .expected(format!(
                "another role that holds the copy lever: {}",
                def.roles
                    .iter()
                    .filter(|x| x.holds(Lever::Copy) && x.id != r.id)
                    .map(|x| x.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let cost = ch.cost(&def.params.costs);
    if cost > r.budget {
        return Err(InputError::new(format!(
            "these choices cost {cost} points; the role has {} per round",
            r.budget
        ))
        .key("budget")
        .suggest("drop a choice"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
