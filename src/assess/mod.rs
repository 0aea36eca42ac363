//! Maturity assessment: a composite-indicator engine in the manner of the
//! OECD/JRC Handbook on Constructing Composite Indicators and the JRC's COINr.
//!
//! The data path reads left to right: [`raw`] → [`validate`] → [`framework`]
//! (TOML → validated tree)
//! → [`data`] (CSV → table of units) → [`pretreat`] (imputation, outliers)
//! → [`normalise`] → [`aggregate`] → [`score`] (one evaluation, shared by the
//! `assess` command and the simulator's [`Scorer`]) → [`uncertainty`] (Monte
//! Carlo over declared choices, first-order Sobol shares) → [`report`]
//! (CSV files); [`pipeline`] strings them together for the `assess` command.
//!
//! Rules: this module does no printing; file I/O happens only in [`data`]
//! and [`report`]. One scoring definition serves real data and simulations:
//! every score is computed by [`score::evaluate`].

pub mod aggregate;
pub mod data;
pub mod framework;
pub mod normalise;
pub mod pipeline;
pub mod pretreat;
pub mod raw;
pub mod report;
pub mod score;
pub mod uncertainty;
pub mod validate;

pub use framework::{Band, Framework};
pub use score::Scorer;
