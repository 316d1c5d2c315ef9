//! `users (id, username)`: has many posts and pivot rows, many skills through `skill_user`.

use sea_orm::entity::prelude::*;

/// A user.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// The key (seeded, not generated).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    /// `user{id}`.
    pub username: String,
}

/// The user's relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Its posts.
    #[sea_orm(has_many = "super::posts::Entity")]
    Posts,
    /// Its rows of the pivot table.
    #[sea_orm(has_many = "super::skill_user::Entity")]
    SkillUser,
}

impl Related<super::posts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Posts.def()
    }
}

impl Related<super::skill_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SkillUser.def()
    }
}

/// Many-to-many: users -> skill_user -> skills.
impl Related<super::skills::Entity> for Entity {
    fn to() -> RelationDef {
        super::skill_user::Relation::Skill.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::skill_user::Relation::User.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
