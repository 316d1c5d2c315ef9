//! Unit tests of `Extras`: names and values by name, the compact shared representation.

use super::*;
use crate::error::Result;

/// The message of `result`'s error; an `Ok` shows as such, so the assertion on it fails.
fn error_text<T: std::fmt::Debug>(result: Result<T>) -> String {
    match result {
        Err(err) => err.to_string(),
        Ok(value) => format!("unexpectedly Ok({value:?})"),
    }
}

fn names(list: &[&str]) -> ExtraNames {
    ExtraNames::Shared(list.iter().map(|n| n.to_string()).collect())
}

fn text(value: &str) -> ExtraValue {
    ExtraValue::Text(value.to_string())
}

#[test]
fn empty_extras_have_no_names_and_no_values() -> Result<()> {
    let extras = Extras::default();
    assert_eq!(extras.names().count(), 0);
    assert_eq!(extras.value("pivot_user_id"), None);
    let err = error_text(extras.get::<i64>("pivot_user_id"));
    assert!(err.contains("`pivot_user_id`"), "{err}");
    Ok(())
}

#[test]
fn inserted_values_are_read_back_by_name_in_insertion_order() -> Result<()> {
    let mut extras = Extras::default();
    extras.insert("pivot_user_id".into(), ExtraValue::Int(1));
    extras.insert("pivot_skill_id".into(), ExtraValue::Int(2));
    extras.insert("proficiency".into(), text("master"));
    extras.insert("note".into(), ExtraValue::Null);
    assert_eq!(
        extras.names().collect::<Vec<_>>(),
        ["pivot_user_id", "pivot_skill_id", "proficiency", "note"]
    );
    assert_eq!(extras.value("pivot_skill_id"), Some(ExtraValue::Int(2)));
    assert_eq!(extras.get::<i64>("pivot_user_id")?, 1);
    assert_eq!(extras.get::<i32>("pivot_skill_id")?, 2);
    assert_eq!(extras.get::<String>("proficiency")?, "master");
    assert_eq!(extras.get::<Option<String>>("note")?, None);
    assert_eq!(extras.value("missing"), None);
    Ok(())
}

#[test]
fn get_errors_name_the_extra_and_what_is_there() -> Result<()> {
    let mut extras = Extras::default();
    extras.insert("pivot_user_id".into(), ExtraValue::Int(1));
    extras.insert("proficiency".into(), text("master"));
    let missing = error_text(extras.get::<i64>("level"));
    assert!(missing.contains("`level`"), "{missing}");
    assert!(
        missing.contains("have pivot_user_id, proficiency"),
        "{missing}"
    );
    let wrong = error_text(extras.get::<String>("pivot_user_id"));
    assert!(wrong.contains("`pivot_user_id`"), "{wrong}");
    assert!(wrong.contains("Int(1), not a"), "{wrong}");
    assert!(wrong.contains("String"), "{wrong}");
    Ok(())
}

#[test]
fn rows_of_one_parent_share_the_names_and_the_parent_key() -> Result<()> {
    let shared = SharedExtras::new(
        names(&["pivot_user_id", "pivot_skill_id", "proficiency"]),
        ExtraValue::Int(7),
    );
    let a = Extras::for_row(&shared, ExtraValue::Int(1), vec![text("master")]);
    let b = Extras::for_row(&shared, ExtraValue::Int(2), vec![ExtraValue::Null]);
    assert!(a.shared.as_ref().is_some_and(|s| Arc::ptr_eq(s, &shared)));
    assert!(b.shared.as_ref().is_some_and(|s| Arc::ptr_eq(s, &shared)));
    assert_eq!(Arc::strong_count(&shared), 3);
    for row in [&a, &b] {
        assert_eq!(
            row.names().collect::<Vec<_>>(),
            ["pivot_user_id", "pivot_skill_id", "proficiency"]
        );
        assert_eq!(row.value("pivot_user_id"), Some(ExtraValue::Int(7)));
    }
    assert_eq!(a.related, KeyExtra::Int(1));
    assert_eq!(a.get::<i64>("pivot_skill_id")?, 1);
    assert_eq!(b.get::<i64>("pivot_skill_id")?, 2);
    assert_eq!(a.get::<String>("proficiency")?, "master");
    assert_eq!(b.get::<Option<String>>("proficiency")?, None);
    assert_eq!(
        a.values(),
        [ExtraValue::Int(7), ExtraValue::Int(1), text("master")]
    );
    Ok(())
}

#[test]
fn rows_without_runtime_columns_allocate_no_rest() -> Result<()> {
    let shared = SharedExtras::new(names(&["pivot_user_id", "pivot_skill_id"]), text("u1"));
    let row = Extras::for_row(&shared, text("s1"), Vec::new());
    assert!(row.rest.is_none());
    assert_eq!(row.value("pivot_user_id"), Some(text("u1")));
    assert_eq!(row.get::<String>("pivot_skill_id")?, "s1");
    Ok(())
}

#[test]
fn static_names_read_like_shared_ones() -> Result<()> {
    let list: &'static [String] = Box::leak(
        vec![
            "pivot_a".to_string(),
            "pivot_b".to_string(),
            "pivot_c".to_string(),
        ]
        .into_boxed_slice(),
    );
    let static_names = ExtraNames::Static(list);
    assert_eq!(static_names.len(), 3);
    assert_eq!(ExtraNames::default().len(), 0);
    let shared = SharedExtras::new(static_names, ExtraValue::Int(1));
    let row = Extras::for_row(&shared, ExtraValue::Int(2), vec![ExtraValue::Bool(true)]);
    assert_eq!(
        row.names().collect::<Vec<_>>(),
        ["pivot_a", "pivot_b", "pivot_c"]
    );
    assert!(row.get::<bool>("pivot_c")?);
    Ok(())
}

#[test]
fn a_key_is_16_bytes_and_an_integer_key_stays_inline() -> Result<()> {
    assert_eq!(std::mem::size_of::<KeyExtra>(), 16);
    assert!(
        std::mem::size_of::<Extras>() <= 32,
        "{}",
        std::mem::size_of::<Extras>()
    );
    assert_eq!(KeyExtra::from_value(ExtraValue::Int(-3)), KeyExtra::Int(-3));
    assert_eq!(KeyExtra::Int(-3).to_value(), ExtraValue::Int(-3));
    assert_eq!(KeyExtra::Absent.to_value(), ExtraValue::Null);
    for value in [
        text("k1"),
        ExtraValue::Null,
        ExtraValue::Float(1.5),
        ExtraValue::Bool(false),
        ExtraValue::Unsupported("UUID".into()),
    ] {
        let key = KeyExtra::from_value(value.clone());
        assert!(matches!(key, KeyExtra::Other(_)), "{key:?}");
        assert_eq!(key.to_value(), value);
    }
    Ok(())
}

#[test]
fn inserting_into_a_row_keeps_its_values_and_leaves_the_other_rows_alone() -> Result<()> {
    let shared = SharedExtras::new(
        names(&["pivot_user_id", "pivot_skill_id", "proficiency"]),
        ExtraValue::Int(7),
    );
    let other = Extras::for_row(&shared, ExtraValue::Int(2), vec![text("novice")]);
    let mut row = Extras::for_row(&shared, ExtraValue::Int(1), vec![text("master")]);
    row.insert("seen".into(), ExtraValue::Bool(true));
    assert_eq!(
        row.names().collect::<Vec<_>>(),
        ["pivot_user_id", "pivot_skill_id", "proficiency", "seen"]
    );
    assert_eq!(row.get::<i64>("pivot_user_id")?, 7);
    assert_eq!(row.get::<i64>("pivot_skill_id")?, 1);
    assert_eq!(row.get::<String>("proficiency")?, "master");
    assert!(row.get::<bool>("seen")?);
    assert_eq!(row.related, KeyExtra::Absent);
    assert!(
        row.shared
            .as_ref()
            .is_some_and(|s| !Arc::ptr_eq(s, &shared))
    );
    assert_eq!(Arc::strong_count(&shared), 2);
    assert_eq!(other.names().count(), 3);
    assert_eq!(other.get::<i64>("pivot_skill_id")?, 2);
    assert_eq!(other.get::<String>("proficiency")?, "novice");
    Ok(())
}
