//! Metrics: what is scored (docs/model.md §5) and how unit values combine into
//! scopes.

pub mod collab;
pub(crate) mod collect;
pub mod registry;

pub use collab::collab_index;
pub use collect::MetricTable;
pub use registry::{Aggregation, Direction, MetricDef};
