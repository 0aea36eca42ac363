//! Data files for assessment: wide CSV (one row per unit) or long CSV
//! (`unit,indicator,value`), UTF-8 with or without a byte-order mark, one or
//! several files stacked into one [`Table`]; and [`write_wide`], the format
//! the simulator exports so `assess` can read it back.
//!
//! Rules: cells stay text until a column is used as a number, so a
//! non-numeric cell is reported (with file, line and column) only when it
//! matters; empty cells and the usual missing-value codes (`NA`, `NaN`,
//! `..`, `-`, `null`) are missing; unit ids are unique across all files.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::did_you_mean;
use crate::{Error, InputError, Result};

/// Cell texts read as missing, besides an empty cell (case-insensitive).
/// Largest magnitude of a data value: beyond it, differences and squares
/// in normalisation and weighting could overflow to infinity (see docs/limits.md).
pub const MAX_VALUE: f64 = 1e100;

pub const NA_CODES: [&str; 7] = ["na", "n/a", "nan", "..", "-", "null", "none"];

/// How to read the files.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Unit id column; else the framework's, else the first column.
    pub id_col: Option<String>,
    /// The framework's preferred id column (used when present in a file).
    pub default_id_col: Option<String>,
    /// `wide`, `long` or automatic (`None`): long when the header has a
    /// `value` column and an `indicator` or `variable` column.
    pub long: Option<bool>,
    /// Extra values read as missing (matched as text, or numerically).
    pub na: Vec<String>,
}

/// Where a unit came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub file: PathBuf,
    pub line: usize,
}

/// Units × columns of text cells, stacked from one or more files.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub ids: Vec<String>,
    pub origins: Vec<Origin>,
    pub columns: Vec<String>,
    /// `cells[column][unit]`; `None` when the unit's file lacks the column.
    pub cells: Vec<Vec<Option<String>>>,
    /// 1-based column number of each (column, file) for error messages.
    col_pos: BTreeMap<(usize, PathBuf), usize>,
    na: Vec<String>,
}

impl Table {
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// Error for a column the table lacks, with a suggestion.
    pub fn missing_column(&self, name: &str, what: &str) -> Error {
        let mut e = InputError::new(format!("{what} `{name}` is not a column of the data"))
            .expected(format!("one of: {}", self.columns.join(", ")));
        if let Some(o) = self.origins.first() {
            e = e.file(&o.file);
        }
        if let Some(s) = did_you_mean(name, self.columns.iter().map(String::as_str)) {
            e = e.suggest(format!("did you mean `{s}`?"));
        }
        e.into()
    }

    /// A column as numbers (NaN = missing).
    pub fn numeric(&self, name: &str) -> Result<Vec<f64>> {
        let c = self
            .column_index(name)
            .ok_or_else(|| self.missing_column(name, "indicator column"))?;
        let mut out = Vec::with_capacity(self.len());
        for (i, cell) in self.cells[c].iter().enumerate() {
            out.push(match cell {
                None => f64::NAN,
                Some(s) => match self.parse_cell(s) {
                    Some(v) if v.abs() > MAX_VALUE => {
                        let o = &self.origins[i];
                        let col = self.col_pos.get(&(c, o.file.clone())).copied().unwrap_or(1);
                        return Err(InputError::new(format!(
                            "value `{}` in column `{name}` for unit `{}` is too large to score without overflow",
                            s.trim(),
                            self.ids[i]
                        ))
                        .file(&o.file)
                        .at(o.line, col)
                        .expected(format!("a number of magnitude at most {MAX_VALUE:e}"))
                        .suggest("express the column in larger units (e.g. billions instead of yuan)")
                        .into());
                    }
                    v => v,
                }
                .ok_or_else(|| {
                    let o = &self.origins[i];
                    let col = self.col_pos.get(&(c, o.file.clone())).copied().unwrap_or(1);
                    InputError::new(format!(
                        "non-numeric value `{s}` in column `{name}` for unit `{}`",
                        self.ids[i]
                    ))
                    .file(&o.file)
                    .at(o.line, col)
                    .expected("a number, or an empty cell / NA for a missing value")
                })?,
            });
        }
        Ok(out)
    }

    fn parse_cell(&self, s: &str) -> Option<f64> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        if t.is_empty() || NA_CODES.contains(&lower.as_str()) || self.is_user_na(t) {
            return Some(f64::NAN);
        }
        t.parse().ok().filter(|v: &f64| v.is_finite())
    }

    /// Does the cell match one of the user's `--na` codes (as text or number)?
    fn is_user_na(&self, t: &str) -> bool {
        let v: Option<f64> = t.parse().ok();
        self.na.iter().any(|code| {
            code.eq_ignore_ascii_case(t)
                || matches!((code.trim().parse::<f64>(), v), (Ok(a), Some(b)) if a == b)
        })
    }

    /// Units whose cell in `name` was read as missing because of a `--na`
    /// code, with the cell's text (so the change can be reported).
    pub fn user_na_cells(&self, name: &str) -> Vec<(usize, String)> {
        let Some(c) = self.column_index(name) else {
            return Vec::new();
        };
        self.cells[c]
            .iter()
            .enumerate()
            .filter_map(|(i, cell)| {
                let t = cell.as_deref()?.trim();
                self.is_user_na(t).then(|| (i, t.to_string()))
            })
            .collect()
    }

    /// A text column (for groups); `None` cells become empty strings.
    pub fn text(&self, name: &str) -> Result<Vec<String>> {
        let c = self
            .column_index(name)
            .ok_or_else(|| self.missing_column(name, "group column"))?;
        Ok(self.cells[c]
            .iter()
            .map(|s| s.clone().unwrap_or_default())
            .collect())
    }

    /// Stem of the file each unit came from.
    pub fn source_of(&self, i: usize) -> String {
        self.origins[i]
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Read and stack several files.
pub fn read_files(paths: &[PathBuf], opts: &ReadOptions) -> Result<Table> {
    let mut t = Table {
        na: opts.na.clone(),
        ..Default::default()
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for p in paths {
        let text = crate::input::read(p)?;
        let text = String::from_utf8(text).map_err(|e| {
            Error::from(
                InputError::new(format!("data file is not UTF-8: {e}"))
                    .file(p)
                    .expected("UTF-8 CSV (with or without a byte-order mark)"),
            )
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let file = parse_csv(p, text)?;
        let long = opts.long.unwrap_or_else(|| looks_long(&file.header));
        let units = if long {
            pivot_long(p, &file, opts)?
        } else {
            wide_units(p, &file, opts)?
        };
        append(&mut t, &mut seen, p, units)?;
    }
    if t.is_empty() {
        return Err(InputError::new("no units in the data")
            .expected("a header row and at least one data row")
            .into());
    }
    Ok(t)
}

struct CsvFile {
    header: Vec<String>,
    /// (line, cells)
    rows: Vec<(usize, Vec<String>)>,
}

fn parse_csv(p: &Path, text: &str) -> Result<CsvFile> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let mut err = InputError::new(format!("malformed CSV: {e}")).file(p);
            if let Some(pos) = e.position() {
                err = err.at(pos.line() as usize, 1);
            }
            Error::from(err)
        })?;
        let line = rec.position().map_or(0, |q| q.line() as usize);
        records.push((line, rec.iter().map(str::to_string).collect::<Vec<_>>()));
    }
    let mut it = records.into_iter();
    let Some((_, header)) = it.next() else {
        return Err(InputError::new("the data file is empty")
            .file(p)
            .expected("a header row and at least one data row")
            .into());
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    for (i, h) in header.iter().enumerate() {
        if header[..i].contains(h) {
            return Err(InputError::new(format!("duplicate column `{h}`"))
                .file(p)
                .at(1, i + 1)
                .into());
        }
    }
    let rows: Vec<_> = it
        .filter(|(_, r)| !(r.len() == 1 && r[0].trim().is_empty()))
        .collect();
    if rows.is_empty() {
        return Err(InputError::new("the data file has a header but no rows")
            .file(p)
            .into());
    }
    Ok(CsvFile { header, rows })
}

fn looks_long(header: &[String]) -> bool {
    let has = |n: &str| header.iter().any(|h| h.eq_ignore_ascii_case(n));
    has("value") && (has("indicator") || has("variable"))
}

fn id_column(p: &Path, header: &[String], opts: &ReadOptions) -> Result<usize> {
    if let Some(want) = &opts.id_col {
        return header.iter().position(|h| h == want).ok_or_else(|| {
            let mut e = InputError::new(format!("id column `{want}` is not in the header"))
                .file(p)
                .key("--id-col")
                .expected(format!("one of: {}", header.join(", ")));
            if let Some(s) = did_you_mean(want, header.iter().map(String::as_str)) {
                e = e.suggest(format!("did you mean `{s}`?"));
            }
            e.into()
        });
    }
    Ok(opts
        .default_id_col
        .as_ref()
        .and_then(|d| header.iter().position(|h| h == d))
        .unwrap_or(0))
}

/// One unit's cells: (id, line, [(column, value, 1-based column position)]).
type Unit = (String, usize, Vec<(String, String, usize)>);

fn wide_units(p: &Path, f: &CsvFile, opts: &ReadOptions) -> Result<Vec<Unit>> {
    let idc = id_column(p, &f.header, opts)?;
    Ok(f.rows
        .iter()
        .map(|(line, r)| {
            let cells = f
                .header
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != idc)
                .map(|(j, h)| (h.clone(), r[j].clone(), j + 1))
                .collect();
            (r[idc].trim().to_string(), *line, cells)
        })
        .collect())
}

fn pivot_long(p: &Path, f: &CsvFile, opts: &ReadOptions) -> Result<Vec<Unit>> {
    let find = |names: &[&str]| {
        f.header
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let (Some(ic), Some(vc)) = (find(&["indicator", "variable"]), find(&["value"])) else {
        return Err(InputError::new(
            "long format needs `indicator` (or `variable`) and `value` columns",
        )
        .file(p)
        .expected("unit,indicator,value")
        .into());
    };
    let idc = id_column(p, &f.header, opts)?;
    let mut units: Vec<Unit> = Vec::new();
    let mut pos: BTreeMap<String, usize> = BTreeMap::new();
    for (line, r) in &f.rows {
        let id = r[idc].trim().to_string();
        let k = *pos.entry(id.clone()).or_insert_with(|| {
            units.push((id.clone(), *line, Vec::new()));
            units.len() - 1
        });
        let ind = r[ic].trim().to_string();
        if units[k].2.iter().any(|(c, _, _)| *c == ind) {
            return Err(InputError::new(format!(
                "duplicate value for unit `{id}`, indicator `{ind}`"
            ))
            .file(p)
            .at(*line, ic + 1)
            .into());
        }
        units[k].2.push((ind, r[vc].clone(), vc + 1));
    }
    Ok(units)
}

fn append(
    t: &mut Table,
    seen: &mut BTreeMap<String, usize>,
    p: &Path,
    units: Vec<Unit>,
) -> Result<()> {
    for (id, line, cells) in units {
        if id.is_empty() {
            return Err(InputError::new("empty unit id").file(p).at(line, 1).into());
        }
        if let Some(&prev) = seen.get(&id) {
            let o = &t.origins[prev];
            return Err(InputError::new(format!(
                "duplicate unit id `{id}` (first at {}:{})",
                o.file.display(),
                o.line
            ))
            .file(p)
            .at(line, 1)
            .suggest("unit ids must be unique across all data files")
            .into());
        }
        let u = t.ids.len();
        seen.insert(id.clone(), u);
        t.ids.push(id);
        t.origins.push(Origin {
            file: p.to_path_buf(),
            line,
        });
        for col in &mut t.cells {
            col.push(None);
        }
        for (name, value, colno) in cells {
            let c = match t.columns.iter().position(|c| *c == name) {
                Some(c) => c,
                None => {
                    t.columns.push(name);
                    t.cells.push(vec![None; u + 1]);
                    t.columns.len() - 1
                }
            };
            t.col_pos.entry((c, p.to_path_buf())).or_insert(colno);
            t.cells[c][u] = Some(value);
        }
    }
    Ok(())
}

/// Write units in the wide format `assess` reads: a header `id_col,columns…`
/// then one row per unit from row-major `rows` (n × columns). NaN is written
/// as an empty cell; numbers use shortest round-trip formatting.
pub fn write_wide(
    path: &Path,
    id_col: &str,
    ids: &[String],
    columns: &[&str],
    rows: &[f64],
) -> Result<()> {
    if rows.len() != ids.len() * columns.len() {
        return Err(Error::Other(format!(
            "write_wide: {} values for {} units × {} columns",
            rows.len(),
            ids.len(),
            columns.len()
        )));
    }
    let mut out = String::new();
    let header: Vec<&str> = std::iter::once(id_col)
        .chain(columns.iter().copied())
        .collect();
    out.push_str(&csv_line(header.iter().copied()));
    for (i, id) in ids.iter().enumerate() {
        out.push_str(&csv_field(id));
        for v in &rows[i * columns.len()..(i + 1) * columns.len()] {
            out.push(',');
            if !v.is_nan() {
                let _ = write!(out, "{v}");
            }
        }
        out.push('\n');
    }
    std::fs::write(path, out).map_err(|e| Error::io(format!("writing {}", path.display()), e))
}

/// Quote a CSV field when it needs it.
pub use crate::output::csv_field;

/// One CSV line from fields.
pub fn csv_line<'a>(fields: impl Iterator<Item = &'a str>) -> String {
    let mut s: String = fields.map(csv_field).collect::<Vec<_>>().join(",");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn wide_and_long_with_bom_agree() {
        let d = tempfile::tempdir().unwrap();
        let w = write(d.path(), "w.csv", "\u{feff}id,a,b\nx,1,NA\ny,2.5,3\n");
        let l = write(
            d.path(),
            "l.csv",
            "\u{feff}\"unit\",\"year\",\"indicator\",\"value\"\nx,2023,a,1\nx,2023,b,\ny,2023,a,2.5\ny,2023,b,3\n",
        );
        let o = ReadOptions::default();
        let tw = read_files(&[w], &o).unwrap();
        let tl = read_files(&[l], &o).unwrap();
        assert_eq!(tw.ids, ["x", "y"]);
        assert_eq!(tl.ids, ["x", "y"]);
        for t in [&tw, &tl] {
            let a = t.numeric("a").unwrap();
            let b = t.numeric("b").unwrap();
            assert_eq!(a, [1.0, 2.5]);
            assert!(b[0].is_nan());
            assert_eq!(b[1], 3.0);
        }
    }

    #[test]
    fn stacks_files_and_rejects_duplicates() {
        let d = tempfile::tempdir().unwrap();
        let a = write(d.path(), "a.csv", "id,x\nu1,1\n");
        let b = write(d.path(), "b.csv", "id,y\nu2,2\n");
        let t = read_files(&[a.clone(), b], &ReadOptions::default()).unwrap();
        assert_eq!(t.ids, ["u1", "u2"]);
        assert!(t.numeric("x").unwrap()[1].is_nan());
        assert_eq!(t.source_of(1), "b");
        let e = read_files(&[a.clone(), a], &ReadOptions::default()).unwrap_err();
        assert!(e.to_string().contains("duplicate unit id `u1`"), "{e}");
    }

    #[test]
    fn bad_cells_and_files() {
        let d = tempfile::tempdir().unwrap();
        let a = write(d.path(), "a.csv", "id,x,y\nu1,1,2\nu2,abc,3\n");
        let t = read_files(std::slice::from_ref(&a), &ReadOptions::default()).unwrap();
        let e = t.numeric("x").unwrap_err().to_string();
        assert!(e.contains("a.csv:3:2"), "{e}");
        assert!(e.contains("`abc`"), "{e}");
        let e = t.numeric("xx").unwrap_err().to_string();
        assert!(e.contains("did you mean `x`"), "{e}");
        let empty = write(d.path(), "e.csv", "");
        let e = read_files(&[empty], &ReadOptions::default()).unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
        let head = write(d.path(), "h.csv", "id,x\n");
        assert!(read_files(&[head], &ReadOptions::default()).is_err());
    }

    #[test]
    fn na_codes_match_text_and_numbers() {
        let d = tempfile::tempdir().unwrap();
        let a = write(d.path(), "a.csv", "id,x\nu1,0.0\nu2,-99\nu3,0.5\n");
        let o = ReadOptions {
            na: vec!["0".into(), "-99".into()],
            ..Default::default()
        };
        let t = read_files(&[a], &o).unwrap();
        let x = t.numeric("x").unwrap();
        assert!(x[0].is_nan() && x[1].is_nan());
        assert_eq!(x[2], 0.5);
        assert_eq!(t.user_na_cells("x"), [(0, "0.0".into()), (1, "-99".into())]);
    }

    #[test]
    fn write_wide_round_trips() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("ind.csv");
        let ids = vec!["a,b".to_string(), "c".to_string()];
        write_wide(
            &p,
            "unit",
            &ids,
            &["x", "y"],
            &[0.1, f64::NAN, 1.0 / 3.0, 2.0],
        )
        .unwrap();
        let t = read_files(&[p], &ReadOptions::default()).unwrap();
        assert_eq!(t.ids, ids);
        let x = t.numeric("x").unwrap();
        assert_eq!(x, [0.1, 1.0 / 3.0]);
        assert!(t.numeric("y").unwrap()[0].is_nan());
    }
}
