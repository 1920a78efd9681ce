//! Limits that hold before any database work, each answering with its own `extensions.code`:
//!
//! | limit | code |
//! |---|---|
//! | request body over [`MAX_BODY`] | `REQUEST_TOO_LARGE` |
//! | body that is not a GraphQL request in JSON | `BAD_REQUEST` |
//! | more than [`MAX_BATCH`] operations in a batch | `BATCH_LIMIT` |
//! | query text over [`MAX_QUERY_CHARS`] | `QUERY_TOO_LARGE` |
//! | more than [`MAX_ALIASES`] aliases | `ALIAS_LIMIT` |
//! | more than [`MAX_DIRECTIVES`] directives | `DIRECTIVE_LIMIT` |
//! | more than [`MAX_NODES`] selected fields (fragments expanded) | `NODE_LIMIT` |
//! | user fields nested over the schema's depth limit ([`NestingLimits`]) | `DEPTH_LIMIT` |
//! | introspection nesting [`MAX_TYPE_LISTS`] lists of types (`fields`, `interfaces`, ...) | `DEPTH_LIMIT` |
//! | `__schema` or `__type` with `GOVGRAPH_INTROSPECTION=false` | `INTROSPECTION_DISABLED` |
//! | complexity over the schema's limit (lists priced by `first` or `last`) | `COMPLEXITY_LIMIT` |
//! | a `first` or `last` anywhere in the query out of 0 to 100, or both on one list | `BAD_USER_INPUT` |
//! | a request running longer than the timeout | `TIMEOUT` |
//! | a client over its rate | `RATE_LIMITED` |
//!
//! Parse and validation errors get `GRAPHQL_PARSE_FAILED` and `GRAPHQL_VALIDATION_FAILED`.
//!
//! Introspection (`__schema`, `__type`) is not held to the depth limit of user fields: the query
//! every mainstream client sends (graphql-js's `getIntrospectionQuery`, with its `ofType` chain)
//! nests 15 fields. It is bounded instead as graphql-js's `MaxIntrospectionDepthRule` bounds it, by
//! how many lists of types nest, and, like every query, by the schema's recursion depth and
//! complexity.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::{Request, Response, ServerError, ServerResult, Variables};

pub const MAX_BODY: usize = 256 * 1024;
pub const MAX_BATCH: usize = 10;
pub const MAX_QUERY_CHARS: usize = 20_000;
pub const MAX_ALIASES: usize = 50;
pub const MAX_DIRECTIVES: usize = 50;
pub const MAX_NODES: usize = 2_000;
/// Introspection may nest `fields`, `inputFields`, `interfaces` and `possibleTypes` less deep
/// than this (graphql-js's limit): each multiplies the answer by the size of the schema.
pub const MAX_TYPE_LISTS: usize = 3;

/// An error response with a code, as JSON.
pub fn error_json(message: &str, code: &str) -> serde_json::Value {
    serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] })
}

fn server_error(message: String, code: &str) -> ServerError {
    let mut e = ServerError::new(message, None);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", code);
    e.extensions = Some(ext);
    e
}

/// Counts what a document selects, with fragments expanded once per spread (cycles stop).
struct Counts {
    aliases: usize,
    directives: usize,
    nodes: usize,
    /// a fragment that spreads itself, with the way round
    cycle: Option<String>,
    /// a page size out of range, or `first` with `last`, said for the client
    bad_page: Option<String>,
}

/// The page size an argument gives, as a literal or through a variable.
fn page_size(value: &async_graphql_value::Value, variables: &async_graphql::Variables) -> Option<i64> {
    match value {
        async_graphql_value::Value::Number(n) => n.as_i64(),
        async_graphql_value::Value::Variable(name) => match variables.get(name) {
            Some(async_graphql::Value::Number(n)) => n.as_i64(),
            _ => None,
        },
        _ => None,
    }
}

/// Checks the page sizes of one field (the resolvers check them too, but only once their parent
/// has run).
fn check_page(field: &async_graphql::parser::types::Field, variables: &async_graphql::Variables) -> Option<String> {
    let size = |arg: &str| field.get_argument(arg).and_then(|v| page_size(&v.node, variables));
    let name = &field.name.node;
    let (first, last) = (size("first"), size("last"));
    if first.is_some() && last.is_some() {
        return Some(format!("`{name}`: give `first` or `last`, not both"));
    }
    for (arg, n) in [("first", first), ("last", last)] {
        if let Some(n) = n.filter(|n| !(0..=crate::pagination::MAX_PAGE).contains(n)) {
            return Some(format!("`{name}`: `{arg}` must be between 0 and {}, not {n}", crate::pagination::MAX_PAGE));
        }
    }
    None
}

fn walk(
    doc: &ExecutableDocument,
    set: &SelectionSet,
    vars: &async_graphql::Variables,
    counts: &mut Counts,
    stack: &mut Vec<String>,
) {
    for item in &set.items {
        if counts.nodes > MAX_NODES || counts.aliases > MAX_ALIASES {
            return;
        }
        match &item.node {
            Selection::Field(f) => {
                counts.nodes += 1;
                counts.directives += f.node.directives.len();
                if f.node.alias.is_some() {
                    counts.aliases += 1;
                }
                if counts.bad_page.is_none() {
                    counts.bad_page = check_page(&f.node, vars);
                }
                walk(doc, &f.node.selection_set.node, vars, counts, stack);
            }
            Selection::FragmentSpread(s) => {
                counts.directives += s.node.directives.len();
                let name = s.node.fragment_name.node.to_string();
                if stack.contains(&name) {
                    if counts.cycle.is_none() {
                        counts.cycle = Some(format!("{} -> {name}", stack.join(" -> ")));
                    }
                    continue;
                }
                if let Some(fragment) = doc.fragments.get(&s.node.fragment_name.node) {
                    stack.push(name);
                    counts.directives += fragment.node.directives.len();
                    walk(doc, &fragment.node.selection_set.node, vars, counts, stack);
                    stack.pop();
                }
            }
            Selection::InlineFragment(i) => {
                counts.directives += i.node.directives.len();
                walk(doc, &i.node.selection_set.node, vars, counts, stack);
            }
        }
    }
}

fn has_nul(v: &async_graphql::Value) -> bool {
    match v {
        async_graphql::Value::String(s) => s.contains('\0'),
        async_graphql::Value::List(l) => l.iter().any(has_nul),
        async_graphql::Value::Object(o) => o.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// Checks one request: the response to give instead of running it, if any.
pub fn check(request: &Request) -> Option<Response> {
    let refuse = |message: String, code: &str| Some(Response::from_errors(vec![server_error(message, code)]));
    // PostgreSQL stores no NUL character: refused here rather than failing in the database
    if request.query.contains('\0') || request.variables.iter().any(|(_, v)| has_nul(v)) {
        return refuse("strings may not contain the NUL character".into(), "BAD_USER_INPUT");
    }
    if request.query.chars().count() > MAX_QUERY_CHARS {
        return refuse(format!("the query is longer than {MAX_QUERY_CHARS} characters"), "QUERY_TOO_LARGE");
    }
    let doc = match async_graphql::parser::parse_query(&request.query) {
        Ok(doc) => doc,
        Err(e) => return refuse(format!("the query does not parse: {e}"), "GRAPHQL_PARSE_FAILED"),
    };
    let mut counts = Counts { aliases: 0, directives: 0, nodes: 0, cycle: None, bad_page: None };
    for (name, op) in doc.operations.iter() {
        counts.directives += op.node.directives.len();
        let found = counts.bad_page.take();
        walk(&doc, &op.node.selection_set.node, &request.variables, &mut counts, &mut Vec::new());
        // page sizes count only where they will run: in the operation `operationName` picks
        let runs = match (&request.operation_name, name) {
            (Some(wanted), Some(name)) => wanted.as_str() == name.as_str(),
            _ => true,
        };
        let here = counts.bad_page.take();
        counts.bad_page = found.or(here.filter(|_| runs));
    }
    if let Some(cycle) = counts.cycle {
        return refuse(format!("a fragment spreads itself: {cycle}"), "GRAPHQL_VALIDATION_FAILED");
    }
    if counts.aliases > MAX_ALIASES {
        return refuse(format!("the query uses more than {MAX_ALIASES} aliases"), "ALIAS_LIMIT");
    }
    if counts.directives > MAX_DIRECTIVES {
        return refuse(format!("the query uses more than {MAX_DIRECTIVES} directives"), "DIRECTIVE_LIMIT");
    }
    if counts.nodes > MAX_NODES {
        return refuse(format!("the query selects more than {MAX_NODES} fields"), "NODE_LIMIT");
    }
    if let Some(message) = counts.bad_page {
        return refuse(message, "BAD_USER_INPUT");
    }
    None
}

/// How deep a selection nests, with fragments expanded.
#[derive(Clone, Copy, Default, Debug, PartialEq)]
struct Depth {
    /// fields on the longest path of user fields (introspection not counted)
    user: usize,
    /// lists of types (`fields`, ...) on the longest such path within introspection
    type_lists: usize,
    /// whether `__schema` or `__type` is selected
    introspects: bool,
}

impl Depth {
    fn max(self, other: Depth) -> Depth {
        Depth {
            user: self.user.max(other.user),
            type_lists: self.type_lists.max(other.type_lists),
            introspects: self.introspects || other.introspects,
        }
    }
}

/// Measures selections; a fragment is measured once per side of introspection, so fragments
/// spread many times cost nothing more (a cycle counts nothing: validation refuses it).
struct DepthWalk<'a> {
    doc: &'a ExecutableDocument,
    measured: HashMap<(&'a str, bool), Depth>,
    open: Vec<&'a str>,
}

impl<'a> DepthWalk<'a> {
    fn set(&mut self, set: &'a SelectionSet, introspection: bool) -> Depth {
        let mut depth = Depth::default();
        for item in &set.items {
            let here = match &item.node {
                Selection::Field(f) => self.field(&f.node, introspection),
                Selection::InlineFragment(i) => self.set(&i.node.selection_set.node, introspection),
                Selection::FragmentSpread(s) => self.fragment(s.node.fragment_name.node.as_str(), introspection),
            };
            depth = depth.max(here);
        }
        depth
    }

    fn field(&mut self, field: &'a Field, introspection: bool) -> Depth {
        let name = field.name.node.as_str();
        let enters = !introspection && matches!(name, "__schema" | "__type");
        let below = self.set(&field.selection_set.node, introspection || enters);
        if introspection || enters {
            let lists = usize::from(matches!(name, "fields" | "inputFields" | "interfaces" | "possibleTypes"));
            Depth { user: 0, type_lists: below.type_lists + lists, introspects: true }
        } else {
            Depth { user: below.user + 1, ..below }
        }
    }

    fn fragment(&mut self, name: &'a str, introspection: bool) -> Depth {
        if let Some(depth) = self.measured.get(&(name, introspection)) {
            return *depth;
        }
        let Some(fragment) = self.doc.fragments.get(name) else {
            return Depth::default();
        };
        if self.open.contains(&name) {
            return Depth::default();
        }
        self.open.push(name);
        let depth = self.set(&fragment.node.selection_set.node, introspection);
        self.open.pop();
        self.measured.insert((name, introspection), depth);
        depth
    }
}

/// Checks the nesting of every operation of a document: user fields at most `max_depth` deep,
/// introspection fewer than [`MAX_TYPE_LISTS`] lists of types deep, and none at all unless
/// `introspection` allows it.
pub fn check_nesting(doc: &ExecutableDocument, max_depth: usize, introspection: bool) -> ServerResult<()> {
    let mut walk = DepthWalk { doc, measured: HashMap::new(), open: Vec::new() };
    let depth = doc
        .operations
        .iter()
        .map(|(_, op)| walk.set(&op.node.selection_set.node, false))
        .fold(Depth::default(), Depth::max);
    if depth.introspects && !introspection {
        let message = "introspection (`__schema`, `__type`) is switched off on this server".to_owned();
        return Err(server_error(message, "INTROSPECTION_DISABLED"));
    }
    if depth.user > max_depth {
        return Err(server_error(format!("the query nests fields deeper than {max_depth} levels"), "DEPTH_LIMIT"));
    }
    if depth.type_lists >= MAX_TYPE_LISTS {
        let message = format!(
            "the introspection nests `fields`, `inputFields`, `interfaces` or `possibleTypes` {} deep (at most {})",
            depth.type_lists,
            MAX_TYPE_LISTS - 1
        );
        return Err(server_error(message, "DEPTH_LIMIT"));
    }
    Ok(())
}

/// [`check_nesting`] as an extension of the schema, so that it holds on every way a query comes
/// in (POST, GET, batches, WebSocket subscriptions), right after parsing.
#[derive(Clone, Copy)]
pub struct NestingLimits {
    pub max_depth: usize,
    /// whether introspection is served (`GOVGRAPH_INTROSPECTION`)
    pub introspection: bool,
}

impl ExtensionFactory for NestingLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for NestingLimits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        check_nesting(&doc, self.max_depth, self.introspection)?;
        Ok(doc)
    }
}

/// Gives every error of a response a code: the executor's own limit, parse and validation errors
/// carry none.
pub fn codify(mut response: Response) -> Response {
    let table: HashMap<&str, &str> =
        HashMap::from([("too complex", "COMPLEXITY_LIMIT"), ("recursion depth", "RECURSION_LIMIT")]);
    for e in &mut response.errors {
        let has_code = e.extensions.as_ref().is_some_and(|x| x.get("code").is_some());
        if has_code {
            continue;
        }
        let message = e.message.to_lowercase();
        let code = table.iter().find(|(k, _)| message.contains(*k)).map_or("GRAPHQL_VALIDATION_FAILED", |(_, c)| *c);
        let mut ext = e.extensions.take().unwrap_or_default();
        ext.set("code", code);
        e.extensions = Some(ext);
    }
    response
}

/// The response for a request that ran out of time.
pub fn timeout(secs: u64) -> Response {
    Response::from_errors(vec![server_error(format!("the query took longer than {secs} s and was stopped"), "TIMEOUT")])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(query: &str) -> Option<String> {
        check(&Request::new(query)).map(|r| {
            let e = &r.errors[0];
            match e.extensions.as_ref().and_then(|x| x.get("code")) {
                Some(async_graphql::Value::String(s)) => s.clone(),
                other => format!("{other:?}"),
            }
        })
    }

    #[test]
    fn aliases_directives_and_nodes_are_counted_through_fragments() {
        let aliases: String = (0..60).map(|i| format!("a{i}: states {{ code }} ")).collect();
        assert_eq!(code(&format!("{{ {aliases} }}")).as_deref(), Some("ALIAS_LIMIT"));
        let directives: String = (0..60).map(|_| "@include(if: true) ").collect();
        assert_eq!(code(&format!("{{ states {directives} {{ code }} }}")).as_deref(), Some("DIRECTIVE_LIMIT"));
        let fields: String = (0..40).map(|i| format!("f{i}: code ")).collect::<String>();
        let fragment = format!("fragment F on State {{ name }} {{ states {{ {} }} }}", "...F ".repeat(2500));
        assert_eq!(code(&fragment).as_deref(), Some("NODE_LIMIT"));
        assert_eq!(code(&format!("{{ states {{ {fields} }} }}")), None, "40 aliases are allowed");
        assert_eq!(code("{ states { code } }"), None);
        // page sizes anywhere in the query, before anything runs
        assert_eq!(
            code("{ actor(slug: \"x\") { relations(last: 101) { totalCount } } }").as_deref(),
            Some("BAD_USER_INPUT")
        );
        assert_eq!(code("{ actors(first: 2, last: 2) { totalCount } }").as_deref(), Some("BAD_USER_INPUT"));
        assert_eq!(code("{ actors(first: 100) { nodes { relations(last: 0) { totalCount } } } }"), None);
        let with_vars = Request::new("query($n: Int) { actors(first: $n) { totalCount } }")
            .variables(async_graphql::Variables::from_json(serde_json::json!({ "n": -1 })));
        assert!(check(&with_vars).is_some(), "a page size from a variable");
        let other_operation =
            "query A { actors(first: 5) { totalCount } } query B { actors(first: 500) { totalCount } }";
        assert!(check(&Request::new(other_operation).operation_name("A")).is_none(), "B does not run");
        assert!(check(&Request::new(other_operation).operation_name("B")).is_some());
        // a fragment cycle does not loop here, and is named
        assert_eq!(
            code("fragment A on State { ...B } fragment B on State { ...A } { states { ...A } }").as_deref(),
            Some("GRAPHQL_VALIDATION_FAILED")
        );
    }

    fn depth(query: &str) -> Result<(), String> {
        let doc = async_graphql::parser::parse_query(query).unwrap();
        check_nesting(&doc, 12, true).map_err(|e| e.message)
    }

    #[test]
    fn introspection_is_bounded_by_its_lists_user_fields_by_their_depth() {
        let standard = include_str!("../tests/fixtures/introspection_query.graphql");
        assert_eq!(depth(standard), Ok(()));
        let nest = |n: usize| format!("{}code{}", "states { ".repeat(n - 1), " }".repeat(n - 1));
        assert_eq!(depth(&format!("{{ {} }}", nest(12))), Ok(()));
        assert!(depth(&format!("{{ {} }}", nest(13))).is_err());
        assert!(depth(&format!("{{ __schema {{ types {{ name }} }} {} }}", nest(13))).is_err(), "mixed");
        assert!(depth(&format!("{{ ...F }} fragment F on Query {{ {} }}", nest(13))).is_err(), "in a fragment");
        let lists = "{ __type(name: \"A\") { fields { type { interfaces { possibleTypes { name } } } } } }";
        assert!(depth(lists).unwrap_err().contains("introspection"));
        assert_eq!(depth("{ __type(name: \"A\") { fields { type { interfaces { name } } } } }"), Ok(()));
        // fragments spread 10 times over 30 levels are measured once each
        let mut chain = String::from("fragment F0 on State { code }");
        for i in 1..30 {
            chain += &format!(" fragment F{i} on State {{ {} }}", format!("...F{} ", i - 1).repeat(10));
        }
        assert_eq!(depth(&format!("{{ states {{ ...F29 }} }} {chain}")), Ok(()));
        assert_eq!(depth("fragment A on State { ...A } { states { ...A } }"), Ok(()), "cycles are validation's");
        let closed = |q: &str| check_nesting(&async_graphql::parser::parse_query(q).unwrap(), 12, false);
        assert!(closed("{ ...F } fragment F on Query { __type(name: \"A\") { name } }").is_err());
        assert!(closed("{ states { __typename code } }").is_ok());
    }
}
