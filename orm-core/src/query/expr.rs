//! Conditions built from typed fields: `User::FIELDS.id.gt(10).or(User::FIELDS.email.is_null())`,
//! added to a query with [`Query::filter`]. Each comparison checks its value's type against the
//! field's; the table alias is the query's, filled in when the condition is added.

use std::borrow::Cow;
use std::marker::PhantomData;

use super::filter::DynBind;
use super::{ColumnRef, Condition, Conjunction, Filter, Op, Query};
use crate::backend::Backend;
use crate::field::{Compatible, Field, NullableColumn};
use crate::model::ModelSchema;
use crate::value::Bind;

/// A condition on the columns of model `M` for backend `DB`, built from `M::FIELDS`.
///
/// ```
/// # use orm_core::{Expr, Field, Query};
/// # struct User;
/// # const ID: Field<User, i64> = Field::new("id");
/// # const EMAIL: Field<User, Option<String>> = Field::new("email_address");
/// let recent_or_anonymous: Expr<User, sqlx::Sqlite> = ID.gt(10).or(EMAIL.is_null());
/// ```
pub struct Expr<M, DB: Backend> {
    node: Node<DB>,
    model: PhantomData<fn() -> M>,
}

enum Node<DB: Backend> {
    Compare {
        column: &'static str,
        op: Op,
        value: Box<dyn DynBind<DB>>,
        negate: bool,
    },
    In {
        column: &'static str,
        values: Vec<Box<dyn DynBind<DB>>>,
        negate: bool,
    },
    Null {
        column: &'static str,
        negate: bool,
    },
    Group(Conjunction, Vec<Node<DB>>),
    Not(Box<Node<DB>>),
}

impl<M, DB: Backend> Expr<M, DB> {
    fn new(node: Node<DB>) -> Self {
        Expr {
            node,
            model: PhantomData,
        }
    }

    fn join(self, conjunction: Conjunction, other: Self) -> Self {
        let mut nodes = match self.node {
            Node::Group(c, nodes) if c == conjunction => nodes,
            node => vec![node],
        };
        match other.node {
            Node::Group(c, more) if c == conjunction => nodes.extend(more),
            node => nodes.push(node),
        }
        Expr::new(Node::Group(conjunction, nodes))
    }

    /// Both conditions.
    pub fn and(self, other: Self) -> Self {
        self.join(Conjunction::And, other)
    }

    /// Either condition.
    pub fn or(self, other: Self) -> Self {
        self.join(Conjunction::Or, other)
    }

    /// The opposite condition: `NOT (...)`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Expr::new(Node::Not(Box::new(self.node)))
    }
}

impl<DB: Backend> Node<DB> {
    /// The condition on the table called `alias` (a `Cow`, so that a static alias is shared,
    /// not copied, by every column).
    #[allow(clippy::ptr_arg)]
    fn into_condition(self, alias: &Cow<'static, str>) -> Condition<DB> {
        let column = |name: &'static str| ColumnRef {
            table: alias.clone(),
            column: Cow::Borrowed(name),
        };
        match self {
            Node::Compare {
                column: name,
                op,
                value,
                negate,
            } => Condition::Compare {
                column: column(name),
                op,
                value,
                negate,
            },
            Node::In {
                column: name,
                values,
                negate,
            } => Condition::In {
                column: column(name),
                values,
                negate,
            },
            Node::Null {
                column: name,
                negate,
            } => Condition::Null {
                column: column(name),
                negate,
            },
            Node::Group(conjunction, nodes) => {
                let mut filter = Filter::default();
                for node in nodes {
                    filter.add(conjunction, node.into_condition(alias));
                }
                Condition::Group(filter)
            }
            Node::Not(node) => {
                let mut filter = Filter::default();
                filter.add(Conjunction::And, node.into_condition(alias));
                Condition::Not(filter)
            }
        }
    }
}

macro_rules! comparisons {
    ($($(#[$doc:meta])* $name:ident => $op:expr, $negate:expr;)*) => {
        $(
            $(#[$doc])*
            pub fn $name<V, DB>(self, value: V) -> Expr<M, DB>
            where
                V: Compatible<T> + Bind<DB> + std::fmt::Debug + 'static,
                DB: Backend,
            {
                Expr::new(Node::Compare { column: self.column(), op: $op, value: Box::new(value), negate: $negate })
            }
        )*
    };
}

/// Conditions on one field, for [`Query::filter`].
impl<M, T> Field<M, T> {
    comparisons! {
        /// `column = value`.
        eq => Op::Eq, false;
        /// `column <> value`.
        ne => Op::Ne, false;
        /// `column > value`.
        gt => Op::Gt, false;
        /// `column >= value`.
        ge => Op::Ge, false;
        /// `column < value`.
        lt => Op::Lt, false;
        /// `column <= value`.
        le => Op::Le, false;
        /// `column LIKE pattern`.
        like => Op::Like, false;
    }

    fn list<V, DB, I>(self, values: I, negate: bool) -> Expr<M, DB>
    where
        V: Compatible<T> + Bind<DB> + std::fmt::Debug + 'static,
        DB: Backend,
        I: IntoIterator<Item = V>,
    {
        let values = values
            .into_iter()
            .map(|v| Box::new(v) as Box<dyn DynBind<DB>>)
            .collect();
        Expr::new(Node::In {
            column: self.column(),
            values,
            negate,
        })
    }

    /// `column IN (values)`; an empty list matches nothing.
    pub fn is_in<V, DB, I>(self, values: I) -> Expr<M, DB>
    where
        V: Compatible<T> + Bind<DB> + std::fmt::Debug + 'static,
        DB: Backend,
        I: IntoIterator<Item = V>,
    {
        self.list(values, false)
    }

    /// `column NOT IN (values)`; an empty list matches everything.
    pub fn not_in<V, DB, I>(self, values: I) -> Expr<M, DB>
    where
        V: Compatible<T> + Bind<DB> + std::fmt::Debug + 'static,
        DB: Backend,
        I: IntoIterator<Item = V>,
    {
        self.list(values, true)
    }

    /// `column IS NULL`, for a field of an `Option` type only.
    pub fn is_null<DB: Backend>(self) -> Expr<M, DB>
    where
        Self: NullableColumn<M>,
    {
        Expr::new(Node::Null {
            column: self.column(),
            negate: false,
        })
    }

    /// `column IS NOT NULL`, for a field of an `Option` type only.
    pub fn is_not_null<DB: Backend>(self) -> Expr<M, DB>
    where
        Self: NullableColumn<M>,
    {
        Expr::new(Node::Null {
            column: self.column(),
            negate: true,
        })
    }
}

impl<M: ModelSchema, DB: Backend, T: Clone> Query<M, DB, T> {
    /// `AND <expr>`: a condition built from typed fields.
    ///
    /// ```
    /// # use orm_core::{Field, Query};
    /// # #[derive(Debug)] struct User;
    /// # const ID: Field<User, i64> = Field::new("id");
    /// # fn example<M: orm_core::ModelSchema>(q: Query<M, sqlx::Sqlite>, id: Field<M, i64>, email: Field<M, Option<String>>) -> Query<M, sqlx::Sqlite> {
    /// q.filter(id.gt(10).or(email.is_null()))
    /// # }
    /// ```
    pub fn filter(mut self, expr: Expr<M, DB>) -> Self {
        let condition = expr.node.into_condition(&self.alias);
        self.filter.add(Conjunction::And, condition);
        self
    }

    /// `OR <expr>`.
    pub fn or_filter(mut self, expr: Expr<M, DB>) -> Self {
        let condition = expr.node.into_condition(&self.alias);
        self.filter.add(Conjunction::Or, condition);
        self
    }
}
