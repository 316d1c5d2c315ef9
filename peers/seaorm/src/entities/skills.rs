//! `skills (id, name)`: many users through `skill_user`.

use sea_orm::entity::prelude::*;

/// A skill.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skills")]
pub struct Model {
    /// The key (seeded, not generated).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    /// `skill{id}`.
    pub name: String,
}

/// The skill's relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Its rows of the pivot table.
    #[sea_orm(has_many = "super::skill_user::Entity")]
    SkillUser,
}

impl Related<super::skill_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SkillUser.def()
    }
}

/// Many-to-many: skills -> skill_user -> users.
impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        super::skill_user::Relation::User.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::skill_user::Relation::Skill.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
