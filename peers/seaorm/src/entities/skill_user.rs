//! `skill_user (id, user_id, skill_id, proficiency, years)`: the pivot, with its own key and two
//! data columns.

use sea_orm::entity::prelude::*;

/// One link of a user to a skill, with the pivot data.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skill_user")]
pub struct Model {
    /// The generated key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The user.
    pub user_id: i64,
    /// The skill.
    pub skill_id: i64,
    /// The first pivot column.
    pub proficiency: String,
    /// The second pivot column.
    pub years: i32,
}

/// The pivot row's relations: it belongs to a user and to a skill.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The user.
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id"
    )]
    User,
    /// The skill.
    #[sea_orm(
        belongs_to = "super::skills::Entity",
        from = "Column::SkillId",
        to = "super::skills::Column::Id"
    )]
    Skill,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl Related<super::skills::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Skill.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
