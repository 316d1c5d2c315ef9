//! `comments (id, post_id, body)`: belongs to a post.

use sea_orm::entity::prelude::*;

/// A comment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comments")]
pub struct Model {
    /// The key (seeded).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    /// The post.
    pub post_id: i64,
    /// `comment{id}`.
    pub body: String,
}

/// The comment's relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The post.
    #[sea_orm(
        belongs_to = "super::posts::Entity",
        from = "Column::PostId",
        to = "super::posts::Column::Id"
    )]
    Post,
}

impl Related<super::posts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Post.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
