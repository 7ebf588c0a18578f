//! The forum-core integration tests' factories: the shared ones in `forum_core::testing`
//! (feature `test-util`), re-exported so each test file keeps `mod common; use common::*`.

#![allow(unused_imports)]

pub use forum_core::testing::*;
