//! STUB (lead's placeholder until helper-24's module lands; never committed).
#![allow(missing_docs, dead_code, unused_variables)]

#[derive(Debug, Clone, PartialEq)]
pub enum RawArg {
    Null,
    Int64(i64),
    Double(f64),
    Text(String),
    Blob(Vec<u8>),
}

pub struct RawRow<'s> {
    never: std::convert::Infallible,
    _row: std::marker::PhantomData<&'s ()>,
}

impl RawRow<'_> {
    pub fn extra(&self, index: usize) -> crate::value::ExtraValue {
        match self.never {}
    }
}

pub trait RawColumn: Sized + Send + 'static {
    fn read_raw(row: &RawRow<'_>, index: usize) -> Result<Self, sqlx::Error>;
}

macro_rules! stub_column {
    ($($t:ty),*) => {$(
        impl RawColumn for $t {
            fn read_raw(row: &RawRow<'_>, index: usize) -> Result<Self, sqlx::Error> {
                match row.never {}
            }
        }
    )*};
}
stub_column!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    f32,
    f64,
    String,
    Vec<u8>
);

impl<T: RawColumn> RawColumn for Option<T> {
    fn read_raw(row: &RawRow<'_>, index: usize) -> Result<Self, sqlx::Error> {
        match row.never {}
    }
}

#[cfg(feature = "sqlite")]
pub async fn each_row<F>(
    conn: &mut sqlx::SqliteConnection,
    sql: &str,
    args: &[RawArg],
    summary: &str,
    each: F,
) -> crate::error::Result<u64>
where
    F: FnMut(&RawRow<'_>) -> crate::error::Result<()> + Send,
{
    Ok(0)
}
