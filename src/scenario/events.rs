//! Dated per-unit events (`[[event]]` tables and the `events` CSV file): a
//! data-management agency founded, an integrated service platform
//! launched, at a unit of the tree on a calendar date. A validated event
//! keeps its scope as written (the world resolves it, `engine::plan`) and
//! its date as a window of quarters of the run: one quarter when the month
//! is known; the year's four quarters when only the year is; the window of
//! `[event_dates]` (cut at the `by` bound) when the date is unknown. Each
//! replicate draws a quarter uniformly from the window (`engine::plan`).
//!
//! Quarter 1 is the first quarter of `run.start_year`; a date before it
//! puts the event in force from the first quarter (it has happened when
//! the run starts); a date after the run's last quarter is an error unless
//! `event_dates.after_run = "skip"`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{InputError, did_you_mean};

/// What happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A data-management agency (big-data bureau) is founded: the
    /// coordination lever's agency covers the unit and its subtree.
    DataAgency,
    /// An integrated service platform is launched: the unit's platform
    /// is built and serves its whole subtree (the platforms lever's
    /// integrated deployment, with its common standard, below the unit).
    ServicePlatform,
}

impl EventKind {
    pub const IDS: [&'static str; 2] = ["data_agency", "service_platform"];

    pub fn id(self) -> &'static str {
        match self {
            EventKind::DataAgency => "data_agency",
            EventKind::ServicePlatform => "service_platform",
        }
    }

    fn parse(s: &str) -> Option<EventKind> {
        match s {
            "data_agency" => Some(EventKind::DataAgency),
            "service_platform" => Some(EventKind::ServicePlatform),
            _ => None,
        }
    }
}

/// One `[[event]]` table (and one row of the events file).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawEvent {
    /// Unit: a province id, English or Chinese name or two-digit code, or
    /// any unit's code or name.
    pub scope: String,
    /// `data_agency` or `service_platform`.
    pub event: String,
    /// `YYYY-MM` (or `YYYY-MM-DD`; the day is not used), `YYYY` (month
    /// unknown) or `unknown`.
    pub date: String,
    /// Latest possible date of an uncertain date (`YYYY-MM` or `YYYY`); empty = none.
    pub by: String,
    /// Where the date comes from (free text).
    pub source: String,
}

/// What to do with an event dated after the run's last quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AfterRun {
    /// Refuse the scenario (a date beyond the horizon is likely a typo).
    #[default]
    Error,
    /// Leave the event out (a history file that runs past the horizon).
    Skip,
}

/// `[event_dates]`: how uncertain dates are drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventDates {
    /// First month an unknown date may fall in (`YYYY-MM`; empty = the run's first month).
    pub unknown_from: String,
    /// Last month an unknown date without a `by` bound may fall in (empty = the run's last month).
    pub unknown_to: String,
    /// `error` or `skip`: events certainly dated after the run's last quarter.
    pub after_run: AfterRun,
}

impl Default for EventDates {
    fn default() -> Self {
        EventDates {
            unknown_from: String::new(),
            unknown_to: String::new(),
            after_run: AfterRun::Error,
        }
    }
}

/// Where an event was written: a table of the scenario or a file line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Origin {
    /// The events file (`None`: an `[[event]]` table of the scenario).
    pub file: Option<PathBuf>,
    /// Key path of the table (`event[2]`) or `events` for a file row.
    pub key: String,
    /// Line of the file row (1-based).
    pub line: Option<usize>,
}

impl Origin {
    /// An input error located at this event's `field`.
    pub fn error(&self, message: impl Into<String>, field: &str) -> InputError {
        let e = InputError::new(message);
        match &self.file {
            Some(f) => {
                let e = e.file(f).key(format!("column `{field}`"));
                match self.line {
                    Some(l) => e.at(l, 1),
                    None => e,
                }
            }
            None => e.key(format!("{}.{field}", self.key)),
        }
    }
}

/// A validated event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub scope: String,
    pub kind: EventKind,
    /// The date as written.
    pub date: String,
    /// Earliest and latest quarter of the run it may fall in (1 = first
    /// quarter of `run.start_year`; ≤ 0 before the run).
    pub first: i64,
    pub last: i64,
    pub source: String,
    #[serde(skip)]
    pub origin: Origin,
}

impl Event {
    /// The quarter the event takes effect in for a uniform draw `x` in [0, 1):
    /// `None` if it falls after `quarters`; quarters before the run give 1.
    pub fn quarter(&self, x: f64, quarters: u32) -> Option<u32> {
        let span = (self.last - self.first + 1) as f64;
        let q = self.first + ((x * span) as i64).min(self.last - self.first);
        (q <= quarters as i64).then(|| q.max(1) as u32)
    }

    /// Whether the date is a single quarter (no draw).
    pub fn is_exact(&self) -> bool {
        self.first == self.last
    }
}

/// A calendar month (`month` 1–12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// Quarter of the run the month lies in (1 = January–March of `start`).
    pub fn quarter(self, start: i32) -> i64 {
        (self.year - start) as i64 * 4 + (self.month as i64 - 1) / 3 + 1
    }
}

/// A parsed date: a month, a year (month unknown) or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Date {
    Month(Month),
    Year(i32),
    Unknown,
}

const DATE_FORMS: &str =
    "`YYYY-MM` (e.g. `2018-05`), `YYYY-MM-DD`, `YYYY` (month unknown) or `unknown`";

/// Parse a date as events write it.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("unknown") {
        return Ok(Date::Unknown);
    }
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Option<u32> {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let year = num(parts[0], 4).ok_or_else(|| format!("`{s}` is not a date"))? as i32;
    if !(1900..=2100).contains(&year) {
        return Err(format!("the year {year} is outside 1900-2100"));
    }
    if parts.len() == 1 {
        return Ok(Date::Year(year));
    }
    if parts.len() > 3 {
        return Err(format!("`{s}` is not a date"));
    }
    let month = num(parts[1], 2).ok_or_else(|| format!("`{s}` is not a date"))?;
    if !(1..=12).contains(&month) {
        return Err(format!("`{s}` has no month {month}"));
    }
    if parts.len() == 3 {
        let day = num(parts[2], 2).ok_or_else(|| format!("`{s}` is not a date"))?;
        if !(1..=31).contains(&day) {
            return Err(format!("`{s}` has no day {day}"));
        }
    }
    Ok(Date::Month(Month { year, month }))
}

/// Validate the events of a scenario: its `[[event]]` tables, then the rows
/// of its `events` file (read relative to the scenario file).
pub fn resolve(
    tables: &[RawEvent],
    file: &str,
    dates: &EventDates,
    run: &super::RunParams,
    base: &Path,
) -> Result<Vec<Event>, InputError> {
    let mut raw: Vec<(RawEvent, Origin)> = tables
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (
                e.clone(),
                Origin {
                    file: None,
                    key: format!("event[{i}]"),
                    line: None,
                },
            )
        })
        .collect();
    if !file.is_empty() {
        raw.extend(read_file(&base.join(file))?);
    }
    if raw.is_empty() {
        return Ok(Vec::new());
    }
    let Some(start) = run.start_year else {
        let o = &raw[0].1;
        return Err(o
            .error("dated events need a calendar", "date")
            .expected("`run.start_year`, the calendar year of simulated year 1")
            .suggest("add `start_year = 2016` (say) to [run]"));
    };
    let quarters = run.years as i64 * 4;
    let month_key = |s: &str, key: &str| -> Result<Option<i64>, InputError> {
        if s.is_empty() {
            return Ok(None);
        }
        match parse_date(s) {
            Ok(Date::Month(m)) => Ok(Some(m.quarter(start))),
            Ok(_) => Err(InputError::new(format!("`{s}` is not a month"))
                .key(format!("event_dates.{key}"))
                .expected("`YYYY-MM`")),
            Err(msg) => Err(InputError::new(msg)
                .key(format!("event_dates.{key}"))
                .expected("`YYYY-MM`")),
        }
    };
    let from = month_key(&dates.unknown_from, "unknown_from")?.unwrap_or(1);
    let to = month_key(&dates.unknown_to, "unknown_to")?.unwrap_or(quarters);
    if to < from {
        return Err(
            InputError::new("the window of unknown dates ends before it starts")
                .key("event_dates.unknown_to")
                .expected(format!("a month not before `{}`", dates.unknown_from)),
        );
    }
    let mut out = Vec::with_capacity(raw.len());
    for (r, origin) in raw {
        let Some(kind) = EventKind::parse(r.event.trim()) else {
            let mut e = origin
                .error(format!("unknown event `{}`", r.event), "event")
                .expected(EventKind::IDS.join(", "));
            if let Some(m) = did_you_mean(r.event.trim(), EventKind::IDS) {
                e = e.suggest(format!("did you mean `{m}`?"));
            }
            return Err(e);
        };
        if r.scope.trim().is_empty() {
            return Err(origin
                .error("an event needs a scope", "scope")
                .expected("a province (`guizhou`, `52`) or any unit's code or name"));
        }
        let bad = |msg: String, field: &str| {
            origin
                .error(msg, field)
                .expected(DATE_FORMS)
                .suggest("write the month as two digits, e.g. `2018-05`")
        };
        let date = parse_date(&r.date).map_err(|m| bad(m, "date"))?;
        let by = match parse_date(&r.by).map_err(|m| bad(m, "by"))? {
            Date::Unknown => None,
            Date::Year(y) => Some(Month { year: y, month: 12 }.quarter(start)),
            Date::Month(m) => Some(m.quarter(start)),
        };
        let (first, last) = match date {
            Date::Month(m) => (m.quarter(start), m.quarter(start)),
            Date::Year(y) => (
                Month { year: y, month: 1 }.quarter(start),
                Month { year: y, month: 12 }.quarter(start),
            ),
            Date::Unknown => (from, to),
        };
        let last = by.map_or(last, |b| last.min(b));
        if last < first {
            return Err(origin
                .error(
                    format!(
                        "the event cannot fall before its bound `by = {}`{}",
                        r.by,
                        if date == Date::Unknown {
                            " and after event_dates.unknown_from"
                        } else {
                            ""
                        }
                    ),
                    "by",
                )
                .expected("a bound on or after the date")
                .suggest("check the date and the bound"));
        }
        if first > quarters {
            if dates.after_run == AfterRun::Skip {
                continue;
            }
            let end = start + run.years as i32 - 1;
            return Err(origin
                .error(
                    format!(
                        "the date `{}` is after the run, which ends in December {end}",
                        r.date
                    ),
                    "date",
                )
                .expected(format!("a date up to {end}-12"))
                .suggest(
                    "raise run.years, correct the date, or set event_dates.after_run = \"skip\"",
                ));
        }
        out.push(Event {
            scope: r.scope.trim().to_string(),
            kind,
            date: r.date.trim().to_string(),
            first,
            last,
            source: r.source,
            origin,
        });
    }
    Ok(out)
}

/// Columns of an events file.
pub const COLUMNS: [&str; 5] = ["scope", "event", "date", "by", "source"];

/// Rows of an events file (CSV with a header naming at least `scope`,
/// `event` and `date`; `by` and `source` optional; other columns are kept
/// for the reader and ignored).
fn read_file(path: &Path) -> Result<Vec<(RawEvent, Origin)>, InputError> {
    let bytes = crate::input::read(path).map_err(|e| match e {
        crate::error::Error::Input(e) => *e,
        other => InputError::new(other.to_string()).file(path),
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let head = rd
        .headers()
        .map_err(|e| InputError::new(format!("cannot read the header: {e}")).file(path))?
        .clone();
    let col = |name: &str| head.iter().position(|h| h.trim() == name);
    let mut idx = [None; 5];
    for (i, name) in COLUMNS.iter().enumerate() {
        idx[i] = col(name);
        if i < 3 && idx[i].is_none() {
            let mut e = InputError::new(format!("the events file has no `{name}` column"))
                .file(path)
                .at(1, 1)
                .expected(format!("a header with {}", COLUMNS.join(",")));
            if let Some(m) = head.iter().find_map(|h| did_you_mean(h.trim(), [*name])) {
                e = e.suggest(format!("did you mean `{m}`?"));
            }
            return Err(e);
        }
    }
    let mut out = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(i + 2, |p| p.line() as usize);
            InputError::new(format!("cannot read the row: {e}"))
                .file(path)
                .at(line, 1)
                .expected(format!("{} fields, as in the header", head.len()))
        })?;
        let line = rec.position().map_or(i + 2, |p| p.line() as usize);
        let get = |k: usize| idx[k].and_then(|c| rec.get(c)).unwrap_or("").to_string();
        out.push((
            RawEvent {
                scope: get(0),
                event: get(1),
                date: get(2),
                by: get(3),
                source: get(4),
            },
            Origin {
                file: Some(path.to_path_buf()),
                key: "events".into(),
                line: Some(line),
            },
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_map_to_quarters() {
        assert_eq!(
            parse_date("2018-05"),
            Ok(Date::Month(Month {
                year: 2018,
                month: 5
            }))
        );
        assert_eq!(
            parse_date("2017-01-25"),
            Ok(Date::Month(Month {
                year: 2017,
                month: 1
            }))
        );
        assert_eq!(parse_date("2018"), Ok(Date::Year(2018)));
        assert_eq!(parse_date("unknown"), Ok(Date::Unknown));
        assert!(parse_date("2018-13").is_err());
        assert!(parse_date("2018-5").is_err());
        assert!(parse_date("18-05").is_err());
        assert!(parse_date("2018/05").is_err());
        let m = |year, month| Month { year, month };
        assert_eq!(m(2016, 1).quarter(2016), 1);
        assert_eq!(m(2016, 3).quarter(2016), 1);
        assert_eq!(m(2016, 4).quarter(2016), 2);
        assert_eq!(m(2018, 5).quarter(2016), 10);
        assert_eq!(m(2014, 2).quarter(2016), -7);
    }

    #[test]
    fn draws_cover_the_window_and_clip_to_the_run() {
        let e = |first, last| Event {
            scope: "x".into(),
            kind: EventKind::DataAgency,
            date: String::new(),
            first,
            last,
            source: String::new(),
            origin: Origin::default(),
        };
        // A year: four quarters, each a quarter of the draws.
        let y = e(9, 12);
        assert_eq!(y.quarter(0.0, 20), Some(9));
        assert_eq!(y.quarter(0.2499, 20), Some(9));
        assert_eq!(y.quarter(0.25, 20), Some(10));
        assert_eq!(y.quarter(0.9999, 20), Some(12));
        // Before the run: from the first quarter; after it: never.
        assert_eq!(e(-7, -7).quarter(0.5, 20), Some(1));
        assert_eq!(e(18, 24).quarter(0.99, 20), None);
        assert_eq!(e(18, 24).quarter(0.0, 20), Some(18));
    }
}
