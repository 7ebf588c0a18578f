//! Rebuilds this crate when a migration is added: `embed_migrations!` reads the migration
//! directories at compile time, and without this a new directory would not be noticed until
//! some source file of the crate changed.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
