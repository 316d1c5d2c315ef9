//! Where clauses: conditions on columns with bound values, joined by AND / OR, nestable.

use std::borrow::Cow;

use crate::backend::Backend;
use crate::sql::Sql;
use crate::value::Bind;

/// A comparison operator for `where_op`.
///
/// ```
/// use orm_core::Op;
/// assert_eq!(Op::Ge.as_sql(), ">=");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Op {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `LIKE`
    Like,
    /// `NOT LIKE`
    NotLike,
}

impl Op {
    /// The operator's SQL.
    pub fn as_sql(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "<>",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Like => "LIKE",
            Op::NotLike => "NOT LIKE",
        }
    }
}

/// Sort direction for `order_by`.
///
/// ```
/// use orm_core::Order;
/// assert_eq!(Order::Desc.as_sql(), "DESC");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Ascending.
    #[default]
    Asc,
    /// Descending.
    Desc,
}

impl Order {
    /// The direction's SQL.
    pub fn as_sql(self) -> &'static str {
        match self {
            Order::Asc => "ASC",
            Order::Desc => "DESC",
        }
    }
}

/// A value kept in a query until it is bound, whatever its type.
pub(crate) trait DynBind<DB: Backend>: Send + Sync {
    fn bind_to(&self, sql: &mut Sql<DB>);
}

impl<DB: Backend, T: Bind<DB> + std::fmt::Debug + 'static> DynBind<DB> for T {
    fn bind_to(&self, sql: &mut Sql<DB>) {
        sql.bind_debug(self);
    }
}

/// A column of a table in a query: always written quoted and qualified.
#[derive(Debug, Clone)]
pub(crate) struct ColumnRef {
    pub(crate) table: Cow<'static, str>,
    pub(crate) column: Cow<'static, str>,
}

impl ColumnRef {
    pub(crate) fn write<DB: Backend>(&self, sql: &mut Sql<DB>) {
        sql.qualified(&self.table, &self.column);
    }
}

/// How a condition joins the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conjunction {
    And,
    Or,
}

pub(crate) enum Condition<DB: Backend> {
    Compare {
        column: ColumnRef,
        op: Op,
        value: Box<dyn DynBind<DB>>,
        negate: bool,
    },
    In {
        column: ColumnRef,
        values: Vec<Box<dyn DynBind<DB>>>,
        negate: bool,
    },
    Null {
        column: ColumnRef,
        negate: bool,
    },
    /// `column [NOT] BETWEEN low AND high`.
    Between {
        column: ColumnRef,
        low: Box<dyn DynBind<DB>>,
        high: Box<dyn DynBind<DB>>,
        negate: bool,
    },
    /// SQL the developer wrote (`&'static str`, split at each `?`), a value bound between
    /// each two parts.
    Raw {
        parts: Vec<&'static str>,
        values: Vec<Box<dyn DynBind<DB>>>,
    },
    Group(Filter<DB>),
    /// `NOT (...)`.
    Not(Filter<DB>),
    /// `[NOT] EXISTS (subquery)`, written by the relation that built it.
    Exists {
        negate: bool,
        subquery: Box<dyn WriteSql<DB>>,
    },
}

/// A piece of SQL with its bound values, kept in a query until the statement is written.
pub(crate) trait WriteSql<DB: Backend>: Send + Sync {
    fn write(&self, sql: &mut Sql<DB>);
}

/// A list of conditions joined by AND / OR.
pub(crate) struct Filter<DB: Backend> {
    items: Vec<(Conjunction, Condition<DB>)>,
}

impl<DB: Backend> Default for Filter<DB> {
    fn default() -> Self {
        Filter { items: Vec::new() }
    }
}

impl<DB: Backend> Filter<DB> {
    pub(crate) fn add(&mut self, conjunction: Conjunction, condition: Condition<DB>) {
        self.items.push((conjunction, condition));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Writes the conditions, wrapped in parentheses so they combine safely with others.
    pub(crate) fn write(&self, sql: &mut Sql<DB>) {
        sql.push("(");
        for (i, (conjunction, condition)) in self.items.iter().enumerate() {
            if i > 0 {
                sql.push(match conjunction {
                    Conjunction::And => " AND ",
                    Conjunction::Or => " OR ",
                });
            }
            condition.write(sql);
        }
        sql.push(")");
    }
}

impl<DB: Backend> Condition<DB> {
    fn write(&self, sql: &mut Sql<DB>) {
        match self {
            Condition::Compare {
                column,
                op,
                value,
                negate,
            } => {
                if *negate {
                    sql.push("NOT ");
                }
                column.write(sql);
                sql.push(" ").push(op.as_sql()).push(" ");
                value.bind_to(sql);
            }
            Condition::In { values, negate, .. } if values.is_empty() => {
                // Nothing is in an empty list; everything is outside it.
                sql.push(if *negate { "1 = 1" } else { "1 = 0" });
            }
            Condition::In {
                column,
                values,
                negate,
            } => {
                column.write(sql);
                sql.push(if *negate { " NOT IN (" } else { " IN (" });
                sql.list(values, |sql, value| value.bind_to(sql));
                sql.push(")");
            }
            Condition::Null { column, negate } => {
                column.write(sql);
                sql.push(if *negate { " IS NOT NULL" } else { " IS NULL" });
            }
            Condition::Between {
                column,
                low,
                high,
                negate,
            } => {
                column.write(sql);
                sql.push(if *negate {
                    " NOT BETWEEN "
                } else {
                    " BETWEEN "
                });
                low.bind_to(sql);
                sql.push(" AND ");
                high.bind_to(sql);
            }
            Condition::Raw { parts, values } => {
                sql.push("(");
                for (i, part) in parts.iter().enumerate() {
                    if let Some(value) = i.checked_sub(1).and_then(|v| values.get(v)) {
                        value.bind_to(sql);
                    }
                    sql.push(part);
                }
                sql.push(")");
            }
            Condition::Group(filter) if filter.is_empty() => {
                sql.push("1 = 1");
            }
            Condition::Group(filter) => filter.write(sql),
            Condition::Not(filter) => {
                sql.push("NOT ");
                filter.write(sql);
            }
            Condition::Exists { negate, subquery } => {
                sql.push(if *negate { "NOT EXISTS (" } else { "EXISTS (" });
                subquery.write(sql);
                sql.push(")");
            }
        }
    }
}
