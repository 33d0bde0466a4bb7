//! Text records: a line matched into named fields by the schema's parser.

pub mod fastmatch;
