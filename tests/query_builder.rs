//! The query builder past equality: `first`, `LIKE`, `BETWEEN`, `where_raw`, `distinct`,
//! `to_sql`, and bulk `update` / `increment` / `decrement` / `delete` / `delete_all`, each in one
//! statement, with values bound and columns checked, on every backend.

mod common;

use common::count_statements;
use orm::prelude::*;
use orm::schema::Schema;
use orm::{Item, Set};

#[derive(Model, Debug, Clone, PartialEq)]
pub struct Score {
    pub id: i64,
    pub player: String,
    pub points: i64,
    pub level: i32,
    pub note: Option<String>,
}

fn players(scores: &[Score]) -> Vec<&str> {
    scores.iter().map(|s| s.player.as_str()).collect()
}

backend_tests! {
    async fn reads_first_like_between_raw_and_distinct(pool) {
        create(&pool).await?;
        assert_eq!(Score::query().first(&pool).await?.map(|s| s.player), Some("ann".to_owned()));
        let last = Score::query().order_by(Score::FIELDS.points, Order::Desc).first(&pool).await?;
        assert_eq!(last.map(|s| s.player), Some("Bea".to_owned()));
        assert!(Score::query().where_eq("player", "zed").first(&pool).await?.is_none());

        let s = Score::FIELDS;
        let like = Score::query().where_like(s.player, "b%").order_by(s.id, Order::Asc).fetch_all(&pool).await?;
        // `LIKE` is case-insensitive for ASCII on SQLite and MariaDB's default collation only.
        let expected: &[&str] = if <DB as orm::Backend>::NAME == "postgres" { &["bob"] } else { &["bob", "Bea"] };
        assert_eq!(players(&like), expected);
        let not_like = Score::query().where_not_like("player", "b%").where_not_like("player", "B%").count(&pool).await?;
        assert_eq!(not_like, 3);

        let between = Score::query().where_between(s.points, 25, 55).order_by(s.id, Order::Asc).fetch_all(&pool).await?;
        assert_eq!(players(&between), ["bob", "cid", "dee"]);
        let outside = Score::query().where_not_between(s.points, 25, 55).or_where_between(s.level, 2, 2).order_by(s.id, Order::Asc).fetch_all(&pool).await?;
        assert_eq!(players(&outside), ["ann", "bob", "cid", "Bea"]);

        let raw = Score::query().where_raw("lower(player) = ? OR points > ?", ["bea"]).count(&pool).await;
        assert!(raw.is_err(), "two placeholders with one value must be refused");
        let raw = Score::query().where_raw("lower(player) = ?", ["bea"]).fetch_all(&pool).await?;
        assert_eq!(players(&raw), ["Bea"]);
        let raw_or = Score::query().where_eq(s.level, 1).or_where_raw("points >= ? AND points <= ?", [70_i64, 80]).order_by(s.id, Order::Asc).fetch_all(&pool).await?;
        assert_eq!(players(&raw_or), ["ann", "Bea"]);

        // Two rows with the same values in every column do not exist here (ids differ), so
        // distinct is checked on its SQL and on a query that keeps every row.
        assert_eq!(Score::query().distinct().count(&pool).await?, 5);
        let (sql, _) = Score::query::<DB>().distinct().to_sql()?;
        assert!(sql.starts_with("SELECT DISTINCT "), "{sql}");
        Ok(())
    }

    async fn to_sql_shows_the_statement_and_its_values_per_dialect(_pool) {
        let s = Score::FIELDS;
        let (sql, values) = Score::query::<DB>()
            .where_eq(s.player, "ann")
            .where_between(s.points, 1, 9)
            .where_raw("level <> ?", [4])
            .order_by(s.id, Order::Desc)
            .limit(3)
            .to_sql()?;
        let q = |c: &str| if <DB as orm::Backend>::NAME == "postgres" { format!("\"{c}\"") } else { format!("`{c}`") };
        let p = |n: usize| if <DB as orm::Backend>::NAME == "postgres" { format!("${n}") } else { "?".to_owned() };
        let (t, player, points) = (q("scores"), q("player"), q("points"));
        assert!(sql.contains(&format!("WHERE ({t}.{player} = {} AND {t}.{points} BETWEEN {} AND {} AND (level <> {}))", p(1), p(2), p(3), p(4))), "{sql}");
        assert_eq!(values, ["\"ann\"", "1", "9", "4", "3"]);
        let unknown = Score::query::<DB>().where_eq("nme", "x").to_sql();
        assert!(unknown.is_err());
        Ok(())
    }

    async fn bulk_writes_are_one_statement_scoped_by_the_filters(pool) {
        create(&pool).await?;
        let s = Score::FIELDS;
        let (updated, statements) = count_statements(
            Score::query().where_eq(s.level, 2).update(&pool, Set::new().value(s.note, Some("two".to_owned())).value(s.level, 20)),
        ).await;
        assert_eq!(updated?, 2);
        assert_eq!(statements.count(), 1);
        let twos = Score::query().where_eq(s.level, 20).order_by(s.id, Order::Asc).fetch_all(&pool).await?;
        assert_eq!(twos.iter().map(|x| (x.player.as_str(), x.note.as_deref())).collect::<Vec<_>>(), [("bob", Some("two")), ("cid", Some("two"))]);
        assert_eq!(Score::query().where_ne(s.level, 20).where_not_null(s.note).count(&pool).await?, 0);

        Score::query().where_in(s.player, ["ann", "dee"]).increment(&pool, s.points, 5).await?;
        Score::query().where_eq(s.player, "Bea").decrement(&pool, "points", 70).await?;
        let points: Vec<(String, i64)> = Score::query().order_by(s.id, Order::Asc).fetch_all(&pool).await?.into_iter().map(|x| (x.player, x.points)).collect();
        assert_eq!(points, [("ann".into(), 15), ("bob".into(), 25), ("cid".into(), 40), ("dee".into(), 60), ("Bea".into(), 0)]);

        // Setting NULL, an unknown column, an empty set and a limit are refused or applied as asked.
        Score::query().where_eq(s.player, "bob").update(&pool, Set::new().value(s.note, None::<String>)).await?;
        assert_eq!(Score::query().where_null(s.note).count(&pool).await?, 4);
        assert!(Score::query().update(&pool, Set::new().value("nope", 1)).await.is_err());
        assert!(Score::query().update(&pool, Set::new()).await.is_err());
        assert!(Score::query().limit(1).delete_all(&pool).await.is_err());

        // delete refuses a query without a filter; nothing is deleted.
        let refused = Score::query().delete(&pool).await;
        assert!(matches!(refused, Err(orm::Error::InvalidInput { .. })), "{refused:?}");
        assert_eq!(Score::query().count(&pool).await?, 5);
        let (deleted, statements) = count_statements(Score::query().where_between(s.points, 20, 45).delete(&pool)).await;
        assert_eq!(deleted?, 2);
        assert_eq!(statements.count(), 1);
        assert_eq!(players(&Score::query().order_by(s.id, Order::Asc).fetch_all(&pool).await?), ["ann", "dee", "Bea"]);
        assert_eq!(Score::query().delete_all(&pool).await?, 3);
        assert_eq!(Score::query().count(&pool).await?, 0);
        Ok(())
    }

    async fn selects_columns_and_aggregates_into_tuples_with_group_by_and_having(pool) {
        create(&pool).await?;
        let per_level: Vec<(i32, i64, f64, Option<i64>)> = Score::query()
            .order_by("level", Order::Asc)
            .select([Item::column("level"), Item::count(), Item::sum("points"), Item::max("points")])
            .group_by("level")
            .fetch_all(&pool)
            .await?;
        assert_eq!(per_level, [(1, 1, 10.0, Some(10)), (2, 2, 65.0, Some(40)), (3, 2, 125.0, Some(70))]);
        let crowded: Vec<(i32,)> = Score::query()
            .where_ne("player", "cid")
            .select([Item::column("level")])
            .group_by("level")
            .having(Item::count(), Op::Ge, 2_i64)
            .fetch_all(&pool)
            .await?;
        assert_eq!(crowded, [(3,)]);
        let names: Vec<(String, Option<String>)> = Score::query()
            .where_in("level", [2, 3])
            .order_by("points", Order::Desc)
            .limit(2)
            .select([Item::column("player"), Item::column("note")])
            .fetch_all(&pool)
            .await?;
        assert_eq!(names, [("Bea".to_owned(), None), ("dee".to_owned(), None)]);
        let levels: Vec<(i32,)> = Score::query().distinct().order_by("level", Order::Asc).select([Item::column("level")]).fetch_all(&pool).await?;
        assert_eq!(levels, [(1,), (2,), (3,)]);

        let q = || Score::query::<DB>().where_ne("player", "ann");
        assert_eq!(q().sum(&pool, "points").await?, Some(190.0));
        assert_eq!(q().avg(&pool, "points").await?, Some(47.5));
        assert_eq!(q().min::<i64, _>(&pool, "points").await?, Some(25));
        assert_eq!(q().max::<String, _>(&pool, "player").await?.map(|p| p.to_lowercase()), Some("dee".to_owned()));
        assert_eq!(Score::query::<DB>().where_eq("player", "zed").sum(&pool, "points").await?, None);
        assert!(Score::query::<DB>().sum(&pool, "pints").await.is_err());
        let (sql, values) = Score::query::<DB>()
            .where_eq("level", 3)
            .select::<(i64,)>([Item::count()])
            .having(Item::sum("points"), Op::Gt, 1_i64)
            .to_sql()?;
        assert!(sql.starts_with("SELECT COUNT(*) FROM ") && sql.contains(" HAVING CAST(SUM("), "{sql}");
        assert_eq!(values, ["3", "1"]);
        let unknown: orm::Result<Vec<(i64,)>> = Score::query().select([Item::count()]).group_by("lvl").fetch_all(&pool).await;
        assert!(matches!(unknown, Err(orm::Error::UnknownColumn { .. })), "{unknown:?}");
        Ok(())
    }
}

/// The `scores` table from the model, with ann 10 (level 1), bob 25 (2, "mvp"), cid 40 (2),
/// dee 55 (3) and Bea 70 (3), in id order.
async fn create<DB>(pool: &sqlx::Pool<DB>) -> orm::Result<()>
where
    DB: orm::Backend,
    Score: orm::ModelRow<DB> + orm::schema::ModelTable<DB>,
{
    Schema::<DB>::new()
        .model::<Score>()
        .create_all(pool)
        .await?;
    let rows = [
        ("ann", 10, 1, None),
        ("bob", 25, 2, Some("mvp")),
        ("cid", 40, 2, None),
        ("dee", 55, 3, None),
        ("Bea", 70, 3, None),
    ];
    for (player, points, level, note) in rows {
        Score::create(
            pool,
            NewScore {
                player: player.into(),
                points,
                level,
                note: note.map(str::to_owned),
            },
        )
        .await?;
    }
    Ok(())
}
