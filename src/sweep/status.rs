//! Which shards of a study are finished, unfinished or missing
//! (`tiaokuai merge --check`), so a job script can tell before merging
//! whether every shard is there and which ones to run again.
//!
//! Rules: a folder given is read as written by `--shard I/N`: its
//! `manifest.json` if it has one, else the manifest of its `<dir>.partial`
//! sibling (a shard that was killed or is still running). Every shard found
//! must belong to the same study (the identity keys of a manifest) and have
//! the same shard count, and no index may appear twice; otherwise this is
//! bad input, as for `merge`. A folder with neither manifest is listed as
//! absent. The study is complete when each index 0 … N−1 has a finished
//! shard. Reading only: nothing is written.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::files;
use crate::{InputError, Result};

/// The state of one shard folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Complete: `merge` can use it.
    Finished,
    /// Started but not complete (killed, cancelled or still running).
    Unfinished,
}

/// One shard found on disk.
#[derive(Debug, Clone)]
pub struct ShardStatus {
    pub index: usize,
    pub state: State,
    /// The folder whose manifest was read (`<dir>` or `<dir>.partial`).
    pub dir: PathBuf,
    /// Experiment rows written so far.
    pub written: usize,
    /// Experiments this shard has to run.
    pub expected: usize,
}

/// What `check` found.
#[derive(Debug, Clone)]
pub struct Status {
    /// The shard count N of the study.
    pub count: usize,
    /// Shards found, in index order.
    pub shards: Vec<ShardStatus>,
    /// Indices in 0 … N−1 with no folder at all.
    pub missing: Vec<usize>,
    /// Folders given that hold no shard (neither they nor `.partial` exist).
    pub absent: Vec<PathBuf>,
}

impl Status {
    /// Every shard finished.
    pub fn complete(&self) -> bool {
        self.missing.is_empty() && self.shards.iter().all(|s| s.state == State::Finished)
    }
    /// Indices of shards that were started but are not finished.
    pub fn unfinished(&self) -> Vec<usize> {
        self.shards
            .iter()
            .filter(|s| s.state == State::Unfinished)
            .map(|s| s.index)
            .collect()
    }
}

/// Experiment rows in a study folder's `experiments.csv` (complete lines
/// after the header; a line cut short by a kill is not counted).
fn rows_written(dir: &Path) -> usize {
    std::fs::read(dir.join(files::EXPERIMENTS))
        .map(|b| b.iter().filter(|c| **c == b'\n').count().saturating_sub(1))
        .unwrap_or(0)
}

/// Experiments of shard `index` of `count` when the study has `points`
/// points and `per_point` experiments each (points ≡ index mod count).
fn shard_experiments(points: usize, per_point: usize, index: usize, count: usize) -> usize {
    let mine = if index < points {
        (points - index).div_ceil(count)
    } else {
        0
    };
    mine * per_point
}

/// Look at the shard folders `parts` and report what state each shard of
/// the study is in.
pub fn check(parts: &[PathBuf]) -> Result<Status> {
    let mut found: Vec<(PathBuf, PathBuf, Value)> = Vec::new(); // (given, read, manifest)
    let mut absent = Vec::new();
    for p in parts {
        let partial = super::partial_dir(p);
        let dir = if p.join(files::MANIFEST).is_file() {
            p.clone()
        } else if partial.join(files::MANIFEST).is_file() {
            partial
        } else {
            absent.push(p.clone());
            continue;
        };
        // The same folder named twice (e.g. `part-1` and `part-1.partial`).
        if found.iter().any(|(_, d, _)| *d == dir) {
            continue;
        }
        let man = files::read_manifest(&dir)?;
        found.push((p.clone(), dir, man));
    }
    let Some((first_given, _, first)) = found.first() else {
        return Err(InputError::new(format!(
            "none of the {} folder(s) given holds a shard (no manifest.json in them or in their .partial siblings)",
            parts.len()
        ))
        .suggest("check the shard folder (OUT) and that the array tasks have started")
        .into());
    };
    let count = |m: &Value| m["shard"]["count"].as_u64().map(|c| c as usize);
    let n = count(first).unwrap_or(0);
    let points = first["points"].as_u64().unwrap_or(0) as usize;
    let experiments = first["experiments"].as_u64().unwrap_or(0) as usize;
    let per_point = experiments.checked_div(points).unwrap_or(0);
    let mut shards: Vec<ShardStatus> = Vec::new();
    for (given, dir, m) in &found {
        if let Some(k) = files::identity_mismatch(first, m) {
            return Err(InputError::new(format!(
                "`{}` and `{}` come from different studies (they differ in `{k}`)",
                first_given.display(),
                given.display()
            ))
            .into());
        }
        let (Some(index), Some(c)) = (m["shard"]["index"].as_u64(), count(m)) else {
            return Err(InputError::new(format!(
                "`{}` is not a shard (it was run without --shard)",
                given.display()
            ))
            .into());
        };
        let index = index as usize;
        if c != n || index >= c {
            return Err(InputError::new(format!(
                "`{}` is shard {index}/{c}, but `{}` has {n} shards",
                given.display(),
                first_given.display()
            ))
            .into());
        }
        if let Some(other) = shards.iter().find(|s| s.index == index) {
            return Err(InputError::new(format!(
                "shard {index}/{n} is in two folders: `{}` and `{}`",
                other.dir.display(),
                dir.display()
            ))
            .into());
        }
        let state = if m.get("complete") == Some(&Value::Bool(true)) {
            State::Finished
        } else {
            State::Unfinished
        };
        shards.push(ShardStatus {
            index,
            state,
            dir: dir.clone(),
            written: rows_written(dir),
            expected: shard_experiments(points, per_point, index, n),
        });
    }
    shards.sort_by_key(|s| s.index);
    let missing = (0..n)
        .filter(|i| !shards.iter().any(|s| s.index == *i))
        .collect();
    Ok(Status {
        count: n,
        shards,
        missing,
        absent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_sizes_add_up_to_the_study() {
        for (points, count) in [(32, 4), (10, 3), (5, 8), (1, 1), (7, 7)] {
            let total: usize = (0..count)
                .map(|i| shard_experiments(points, 3, i, count))
                .sum();
            assert_eq!(total, points * 3, "{points} points in {count} shards");
        }
        assert_eq!(shard_experiments(10, 2, 0, 3), 8); // points 0, 3, 6, 9
        assert_eq!(shard_experiments(10, 2, 2, 3), 6); // points 2, 5, 8
        assert_eq!(shard_experiments(5, 1, 6, 8), 0);
    }
}
