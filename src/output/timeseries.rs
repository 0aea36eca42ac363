//! Reading `timeseries.csv` of a run folder: the one reader, used by
//! `report` and `compare`.
//!
//! Rules: the file can hold millions of rows, so it is streamed once and
//! each row is handed to the caller, who keeps what it needs. The header
//! must be exactly [`crate::experiment::TIMESERIES_HEADER`]; strategy,
//! replicate, year and quarter of every row are checked (a strategy the
//! manifest does not list, a year/quarter other than 0/0 or Y/1..4) and the
//! value is parsed only when asked for. Every problem is an
//! [`InputError`] naming the file, line and column.

use std::collections::HashMap;
use std::path::Path;

use crate::{Error, InputError, Result};

/// The exact header of `timeseries.csv`.
pub const HEADER: [&str; 10] = crate::experiment::TIMESERIES_HEADER;

/// One row, with its identifying fields parsed.
#[derive(Debug)]
pub struct Row<'a> {
    /// Index of the strategy in the manifest's order.
    pub strategy: usize,
    pub replicate: u64,
    pub year: u32,
    pub quarter: u32,
    /// Time point: 0 for the initial state, then `(year − 1) × 4 + quarter`.
    pub time: usize,
    pub scope_level: &'a str,
    pub scope_id: &'a str,
    pub metric: &'a str,
    value: &'a str,
    line: usize,
    path: &'a Path,
}

impl Row<'_> {
    /// The `value` column as a number.
    pub fn value(&self) -> Result<f64> {
        self.value.parse().map_err(|_| {
            self.error(format!("`{}` is not a number", self.value))
                .at(self.line, 10)
                .key("value")
                .into()
        })
    }

    /// An input error at this row's line.
    pub fn error(&self, msg: impl Into<String>) -> InputError {
        InputError::new(msg).file(self.path).at(self.line, 1)
    }
}

/// Stream `path`, calling `each` for every row; `strategies` are the
/// manifest's names in order.
pub fn for_each(
    path: &Path,
    strategies: &[String],
    mut each: impl FnMut(&Row) -> Result<()>,
) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::NotFound {
            "file not found".to_string()
        } else {
            format!("cannot read the time series: {e}")
        };
        InputError::new(what).file(path)
    })?;
    let mut rdr = csv::Reader::from_reader(std::io::BufReader::with_capacity(1 << 16, file));
    let header = rdr
        .headers()
        .map_err(|e| csv_error(path, e))?
        .iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    // A byte-order mark (`--excel-csv`) is not part of the first name.
    let first = header.first().map(|h| h.trim_start_matches('\u{feff}'));
    // With `run.start_year` a last column, `calendar_year`, dates each row.
    let calendar = header.len() == HEADER.len() + 1
        && header[HEADER.len()] == crate::experiment::summary::CALENDAR_COLUMN;
    if first != Some(HEADER[0])
        || header.len() < HEADER.len()
        || header[1..HEADER.len()] != HEADER[1..]
        || (header.len() != HEADER.len() && !calendar)
    {
        return Err(InputError::new("unexpected header in timeseries.csv")
            .file(path)
            .at(1, 1)
            .expected(HEADER.join(","))
            .into());
    }
    let index: HashMap<&str, usize> = strategies
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let mut rec = csv::StringRecord::new();
    loop {
        let line = rdr.position().line() as usize;
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(path, e)),
        }
        let line = rec.position().map_or(line, |p| p.line() as usize);
        let field = |i: usize| rec.get(i).unwrap_or("");
        let whole = |i: usize| -> Result<u64> {
            field(i).parse().map_err(|_| {
                InputError::new(format!("`{}` is not a whole number", field(i)))
                    .file(path)
                    .at(line, i + 1)
                    .key(HEADER[i])
                    .into()
            })
        };
        let Some(&strategy) = index.get(field(0)) else {
            return Err(InputError::new(format!(
                "strategy `{}` is not in manifest.json",
                field(0)
            ))
            .file(path)
            .at(line, 1)
            .into());
        };
        let replicate = whole(1)?;
        let (year, quarter) = (whole(3)?, whole(4)?);
        let time = match (year, quarter) {
            (0, 0) => 0,
            (y, q) if y >= 1 && (1..=4).contains(&q) => ((y - 1) * 4 + q) as usize,
            _ => {
                return Err(InputError::new("year/quarter must be 0/0 or Y/1..4")
                    .file(path)
                    .at(line, 4)
                    .into());
            }
        };
        let row = Row {
            strategy,
            replicate,
            year: year as u32,
            quarter: quarter as u32,
            time,
            scope_level: field(5),
            scope_id: field(6),
            metric: field(8),
            value: field(9),
            line,
            path,
        };
        each(&row)?;
    }
    Ok(())
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    let mut err = InputError::new(format!("not valid CSV: {e}")).file(path);
    if let Some(p) = e.position() {
        err = err.at(p.line() as usize, 1);
    }
    err.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "strategy,replicate,seed,year,quarter,scope_level,scope_id,scope_name,metric,value\n";

    /// (strategy, replicate, time, metric, value) of a row.
    type Parsed = (usize, u64, usize, String, f64);

    fn rows(text: &str) -> Result<Vec<Parsed>> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("timeseries.csv");
        std::fs::write(&p, text).unwrap();
        let mut out = Vec::new();
        for_each(&p, &["a".into(), "b".into()], |r| {
            out.push((
                r.strategy,
                r.replicate,
                r.time,
                r.metric.to_string(),
                r.value()?,
            ));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn rows_are_parsed_in_order() {
        let got = rows(&format!(
            "\u{feff}{HEAD}b,1,9,0,0,world,world,World,m,0.5\na,0,9,2,3,world,world,World,m,1\n"
        ))
        .unwrap();
        assert_eq!(
            got,
            [(1, 1, 0, "m".into(), 0.5), (0, 0, 7, "m".into(), 1.0)]
        );
    }

    #[test]
    fn problems_name_the_line() {
        let e = rows(&format!(
            "{HEAD}a,0,9,1,1,world,world,World,m,1\nc,0,9,1,1,world,world,World,m,1\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains(":3:1") && e.contains("strategy `c`"), "{e}");
        let e = rows(&format!("{HEAD}a,0,9,1,5,world,world,World,m,1\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains(":2:4") && e.contains("0/0 or Y/1..4"), "{e}");
        let e = rows(&format!("{HEAD}a,0,9,1,1,world,world,World,m,x\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains(":2:10") && e.contains("not a number"), "{e}");
        let e = rows("strategy,replicate\n").unwrap_err().to_string();
        assert!(e.contains("unexpected header"), "{e}");
    }
}
