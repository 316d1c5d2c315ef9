//! The values of a statement as SQLite's raw read path binds them ([`crate::execute::raw`]),
//! kept beside sqlx's arguments while every bound value is of a type the ORM knows.
//!
//! sqlx keeps its encoded arguments private, so the raw path cannot take them; a statement
//! builder records each value a second time instead, when it can see the value's type: the
//! ORM's own keys and numbers always, a query's filter values when they are one of the plain
//! types below (they are `'static`, so their type is known at run time). A value of any other
//! type (a user's own sqlx type) loses the record, and the statement runs through sqlx.

use std::any::Any;

use crate::execute::raw::RawArg;

/// The raw values of a statement, in bind order; `None` once a value could not be recorded
/// (or on a backend without a raw path).
#[derive(Debug, Default)]
pub(crate) struct RawArgs(Option<Vec<RawArg>>);

impl RawArgs {
    /// A record that is kept when `kept` (the backend reads raw), else none at all.
    pub(crate) fn new(kept: bool) -> Self {
        RawArgs(kept.then(Vec::new))
    }

    /// Records the next value, or gives the record up when it is `None` (a type the raw path
    /// cannot bind).
    pub(crate) fn push(&mut self, value: Option<RawArg>) {
        match value {
            Some(value) => {
                if let Some(args) = &mut self.0 {
                    args.push(value);
                }
            }
            None => self.0 = None,
        }
    }

    /// Records the next value, computed only when a record is kept.
    pub(crate) fn push_with(&mut self, value: impl FnOnce() -> RawArg) {
        if let Some(args) = &mut self.0 {
            args.push(value());
        }
    }

    /// Gives the record up: the next value is of a type the raw path cannot bind.
    pub(crate) fn lose(&mut self) {
        self.0 = None;
    }

    /// Whether every value so far was recorded.
    pub(crate) fn is_kept(&self) -> bool {
        self.0.is_some()
    }

    /// The recorded values.
    pub(crate) fn into_inner(self) -> Option<Vec<RawArg>> {
        self.0
    }
}

/// `value` as the raw path binds it, exactly as sqlx's SQLite encoder would (integers as
/// 64-bit integers, `bool` as 0 or 1, `f32` widened, text and bytes copied), or `None` for a
/// type it does not know.
pub(crate) fn raw_arg(value: &dyn Any) -> Option<RawArg> {
    macro_rules! known {
        ($($ty:ty => |$v:ident| $arg:expr),* $(,)?) => {$(
            if let Some($v) = value.downcast_ref::<$ty>() {
                return Some($arg);
            }
            if let Some(option) = value.downcast_ref::<Option<$ty>>() {
                return Some(match option {
                    Some($v) => $arg,
                    None => RawArg::Null,
                });
            }
        )*};
    }
    known! {
        i64 => |v| RawArg::Int64(*v),
        i32 => |v| RawArg::Int64(i64::from(*v)),
        i16 => |v| RawArg::Int64(i64::from(*v)),
        i8 => |v| RawArg::Int64(i64::from(*v)),
        u32 => |v| RawArg::Int64(i64::from(*v)),
        u16 => |v| RawArg::Int64(i64::from(*v)),
        u8 => |v| RawArg::Int64(i64::from(*v)),
        bool => |v| RawArg::Int64(i64::from(*v)),
        f64 => |v| RawArg::Double(*v),
        f32 => |v| RawArg::Double(f64::from(*v)),
        String => |v| RawArg::Text(v.clone()),
        &'static str => |v| RawArg::Text((*v).to_owned()),
        Vec<u8> => |v| RawArg::Blob(v.clone()),
        &'static [u8] => |v| RawArg::Blob(v.to_vec()),
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_are_recorded_as_sqlite_binds_them() {
        assert_eq!(raw_arg(&7_i32), Some(RawArg::Int64(7)));
        assert_eq!(raw_arg(&true), Some(RawArg::Int64(1)));
        assert_eq!(raw_arg(&Some(1.5_f32)), Some(RawArg::Double(1.5)));
        assert_eq!(raw_arg(&None::<String>), Some(RawArg::Null));
        assert_eq!(raw_arg(&"virk"), Some(RawArg::Text("virk".into())));
        assert_eq!(raw_arg(&vec![1_u8, 2]), Some(RawArg::Blob(vec![1, 2])));
    }

    #[test]
    fn other_types_lose_the_record() {
        // u64 does not fit SQLite's integer; sqlx's encoder decides what it becomes.
        assert_eq!(raw_arg(&7_u64), None);
        let mut args = RawArgs::new(true);
        args.push(Some(RawArg::Int64(1)));
        args.push(raw_arg(&7_u64));
        args.push(Some(RawArg::Int64(2)));
        assert!(!args.is_kept());
        assert_eq!(args.into_inner(), None);
    }

    #[test]
    fn no_record_is_kept_on_a_backend_without_a_raw_path() {
        let mut args = RawArgs::new(false);
        args.push_with(|| RawArg::Int64(1));
        assert_eq!(args.into_inner(), None);
    }
}
