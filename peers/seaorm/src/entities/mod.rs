//! The five tables, as hand-written SeaORM entities (`DeriveEntityModel`).

pub mod comments;
pub mod posts;
pub mod skill_user;
pub mod skills;
pub mod users;
