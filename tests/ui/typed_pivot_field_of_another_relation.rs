// A typed pivot filter takes a field of this relation's pivot data only.
use orm::prelude::*;

#[derive(Model)]
struct User {
    id: i64,
    #[many_to_many]
    skills: ManyToMany<Skill, Proficiency>,
    #[many_to_many]
    groups: ManyToMany<Group, Membership>,
}

#[derive(Model)]
struct Skill {
    id: i64,
}

#[derive(Model)]
struct Group {
    id: i64,
}

#[derive(PivotData, Clone)]
struct Proficiency {
    proficiency: Option<String>,
}

#[derive(PivotData, Clone)]
struct Membership {
    role: Option<String>,
}

fn main() {
    let _ = User::query::<sqlx::Sqlite>()
        .preload_with(User::skills(), |q| q.where_pivot(Proficiency::FIELDS.proficiency, "master")); // fine
    let _ = User::query::<sqlx::Sqlite>()
        .preload_with(User::skills(), |q| q.where_pivot(Membership::FIELDS.role, "admin"));
}
