//! Python metrics from RustPython's parser (ruff's): comments from its tokens, docstrings, functions, branches and
//! nesting from its syntax tree.

use std::ops::Range;

use prepai::tools::code_executor::{QualityMetrics, SourceMeasurements, TestError};
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Comprehension, ExceptHandler, Expr, Stmt};
use ruff_text_size::Ranged;

use super::lines::{count_lines, line_of, lines_spanned};
use super::{Analysis, Binding};

/// Parses `source`; reports its metrics and whether `function_name` is bound at top level, or the first syntax
/// error.
pub(crate) fn analyse(source: &str, function_name: &str) -> Analysis {
    let parsed = match ruff_python_parser::parse_module(source) {
        Ok(parsed) => parsed,
        Err(error) => {
            let offset = usize::from(error.location.start());
            return Analysis::Invalid(TestError::new(
                "SyntaxError",
                error.error.to_string(),
                Some(line_of(source, offset)),
            ));
        }
    };
    let mut comments: Vec<Range<usize>> = parsed
        .tokens()
        .iter()
        .filter(|token| token.kind() == TokenKind::Comment)
        .map(|token| token.range().into())
        .collect();
    let body = &parsed.syntax().body;
    let mut counter = Counter {
        source,
        m: SourceMeasurements::default(),
        depth: 0,
        docstrings: Vec::new(),
    };
    counter.docstring_of(body);
    counter.visit_body(body);
    comments.append(&mut counter.docstrings);
    let mut m = counter.m;
    count_lines(source, &comments, &mut m);
    Analysis::Parsed {
        quality: QualityMetrics::from_measurements(m),
        binding: if binds(body, function_name) {
            Binding::TopLevel
        } else {
            method_of(body, function_name)
                .map_or(Binding::Missing, |class| Binding::Method { class })
        },
    }
}

struct Counter<'s> {
    source: &'s str,
    m: SourceMeasurements,
    depth: u32,
    /// Docstrings count as comment lines.
    docstrings: Vec<Range<usize>>,
}

impl Counter<'_> {
    /// Records the body's leading string literal, if any, as a docstring.
    fn docstring_of(&mut self, body: &[Stmt]) {
        if let Some(Stmt::Expr(statement)) = body.first()
            && let Expr::StringLiteral(literal) = statement.value.as_ref()
        {
            self.docstrings.push(literal.range().into());
        }
    }

    fn nested(&mut self, walk: impl FnOnce(&mut Self)) {
        self.depth += 1;
        self.m.max_nesting_depth = self.m.max_nesting_depth.max(self.depth);
        walk(self);
        self.depth -= 1;
    }
}

impl<'a> Visitor<'a> for Counter<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                self.m.function_count += 1;
                let span = lines_spanned(self.source, def.range().into());
                self.m.longest_function_lines = self.m.longest_function_lines.max(span);
                self.docstring_of(&def.body);
                self.nested(|c| visitor::walk_stmt(c, stmt));
            }
            Stmt::ClassDef(def) => {
                self.docstring_of(&def.body);
                visitor::walk_stmt(self, stmt);
            }
            Stmt::If(branch) => {
                let elifs = branch
                    .elif_else_clauses
                    .iter()
                    .filter(|clause| clause.test.is_some())
                    .count();
                self.m.decision_points += 1 + count(elifs);
                self.nested(|c| visitor::walk_stmt(c, stmt));
            }
            Stmt::For(_) | Stmt::While(_) => {
                self.m.decision_points += 1;
                self.nested(|c| visitor::walk_stmt(c, stmt));
            }
            Stmt::Try(block) => {
                self.m.decision_points += count(block.handlers.len());
                self.nested(|c| visitor::walk_stmt(c, stmt));
            }
            Stmt::Match(block) => {
                self.m.decision_points += count(block.cases.len());
                self.nested(|c| visitor::walk_stmt(c, stmt));
            }
            Stmt::With(_) => self.nested(|c| visitor::walk_stmt(c, stmt)),
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::BoolOp(op) => {
                self.m.decision_points += count(op.values.len().saturating_sub(1));
            }
            Expr::If(_) => self.m.decision_points += 1,
            Expr::Lambda(_) => self.m.function_count += 1,
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }

    fn visit_comprehension(&mut self, comprehension: &'a Comprehension) {
        self.m.decision_points += 1 + count(comprehension.ifs.len());
        visitor::walk_comprehension(self, comprehension);
    }

    fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
        visitor::walk_except_handler(self, handler);
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Whether `name` is bound by a top-level statement: `def`, `class`, an assignment, an import, also inside
/// top-level `if`/`try`/`with`/`for`/`while` blocks (not inside functions or classes).
fn binds(body: &[Stmt], name: &str) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::FunctionDef(def) => def.name.as_str() == name,
        Stmt::ClassDef(def) => def.name.as_str() == name,
        Stmt::Assign(assign) => assign.targets.iter().any(|t| target_binds(t, name)),
        Stmt::AnnAssign(assign) => assign.value.is_some() && target_binds(&assign.target, name),
        Stmt::AugAssign(assign) => target_binds(&assign.target, name),
        Stmt::Import(import) => import.names.iter().any(|alias| {
            alias.asname.as_ref().map_or_else(
                || alias.name.as_str().split('.').next() == Some(name),
                |asname| asname.as_str() == name,
            )
        }),
        Stmt::ImportFrom(import) => import
            .names
            .iter()
            .any(|alias| alias.asname.as_ref().unwrap_or(&alias.name).as_str() == name),
        Stmt::If(branch) => {
            binds(&branch.body, name)
                || branch
                    .elif_else_clauses
                    .iter()
                    .any(|clause| binds(&clause.body, name))
        }
        Stmt::Try(block) => {
            binds(&block.body, name)
                || binds(&block.orelse, name)
                || binds(&block.finalbody, name)
                || block.handlers.iter().any(|handler| match handler {
                    ExceptHandler::ExceptHandler(h) => binds(&h.body, name),
                })
        }
        Stmt::With(block) => binds(&block.body, name),
        Stmt::For(block) => binds(&block.body, name) || binds(&block.orelse, name),
        Stmt::While(block) => binds(&block.body, name) || binds(&block.orelse, name),
        _ => false,
    })
}

/// The first top-level class that defines a method called `name`.
fn method_of(body: &[Stmt], name: &str) -> Option<String> {
    body.iter().find_map(|stmt| match stmt {
        Stmt::ClassDef(class) => class
            .body
            .iter()
            .any(|member| matches!(member, Stmt::FunctionDef(def) if def.name.as_str() == name))
            .then(|| class.name.as_str().to_owned()),
        _ => None,
    })
}

fn target_binds(target: &Expr, name: &str) -> bool {
    match target {
        Expr::Name(n) => n.id.as_str() == name,
        Expr::Tuple(t) => t.elts.iter().any(|e| target_binds(e, name)),
        Expr::List(l) => l.elts.iter().any(|e| target_binds(e, name)),
        Expr::Starred(s) => target_binds(&s.value, name),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(source: &str, name: &str) -> (QualityMetrics, bool) {
        match analyse(source, name) {
            Analysis::Parsed { quality, binding } => (quality, binding == Binding::TopLevel),
            Analysis::Invalid(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn counts_branches_functions_comments_and_nesting() {
        let source = r#"
import heapq

def top_k(nums, k):
    """Return the k largest numbers.

    Uses a heap.
    """
    # a min-heap of size k
    heap = []
    for n in nums:
        if len(heap) < k and n is not None:
            heapq.heappush(heap, n)
        elif n > heap[0]:
            heapq.heapreplace(heap, n)
    return sorted([x for x in heap if x], reverse=True) if heap else []
"#;
        let (m, defined) = parsed(source, "top_k");
        assert!(defined);
        // for, if, and, elif, comprehension for + if, conditional expression.
        assert_eq!(m.cyclomatic_complexity, 1 + 7);
        assert_eq!(m.function_count, 1);
        assert_eq!(m.comment_lines, 4);
        assert_eq!(m.lines_of_code, 9);
        assert_eq!(m.max_nesting_depth, 3);
        assert_eq!(m.longest_function_lines, 13);
        assert_eq!(m.quality_score, 10.0);
    }

    #[test]
    fn finds_top_level_bindings_only() {
        assert!(parsed("solution = sorted", "solution").1);
        assert!(parsed("from functools import reduce as solution", "solution").1);
        assert!(parsed("if True:\n    def solution(x): return x", "solution").1);
        assert!(!parsed("def outer():\n    def solution(x): return x", "solution").1);
        assert!(!parsed("class A:\n    def solution(self): pass", "solution").1);
        assert!(matches!(
            analyse("class Solution:\n    def two_sum(self, a, b): pass", "two_sum"),
            Analysis::Parsed { binding: Binding::Method { class }, .. } if class == "Solution"
        ));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        match analyse("def f(x):\n    return (x\n", "f") {
            Analysis::Invalid(e) => {
                assert_eq!(e.kind, "SyntaxError");
                assert!(e.line.is_some());
            }
            other => panic!("{other:?}"),
        }
    }
}
