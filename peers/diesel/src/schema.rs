//! The tables of `peers/PROTOCOL.md`, as Diesel sees them (the driver creates and seeds them).

diesel::table! {
    /// The parents: `username` is `user{id}`.
    users (id) {
        /// The key.
        id -> BigInt,
        /// `user{id}`.
        username -> Text,
    }
}

diesel::table! {
    /// The related side of the many-to-many: `name` is `skill{id}`.
    skills (id) {
        /// The key.
        id -> BigInt,
        /// `skill{id}`.
        name -> Text,
    }
}

diesel::table! {
    /// The pivot of users and skills, with two pivot columns and a generated key.
    skill_user (id) {
        /// The generated key.
        id -> BigInt,
        /// The user.
        user_id -> BigInt,
        /// The skill.
        skill_id -> BigInt,
        /// The first pivot column.
        proficiency -> Text,
        /// The second pivot column.
        years -> Integer,
    }
}

diesel::table! {
    /// Ten per user 1..=100 (W4).
    posts (id) {
        /// The key.
        id -> BigInt,
        /// The author.
        user_id -> BigInt,
        /// `post{id}`.
        title -> Text,
    }
}

diesel::table! {
    /// Ten per post (W4).
    comments (id) {
        /// The key.
        id -> BigInt,
        /// The post.
        post_id -> BigInt,
        /// `comment{id}`.
        body -> Text,
    }
}

diesel::joinable!(skill_user -> users (user_id));
diesel::joinable!(skill_user -> skills (skill_id));
diesel::joinable!(posts -> users (user_id));
diesel::joinable!(comments -> posts (post_id));

diesel::allow_tables_to_appear_in_same_query!(users, skills, skill_user, posts, comments);
