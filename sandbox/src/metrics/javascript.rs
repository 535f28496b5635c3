//! JavaScript metrics from oxc's parser: comments from the program's comment list, functions, branches and nesting
//! from its syntax tree.

use std::ops::Range;

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    ArrowFunctionExpression, AssignmentTarget, BindingPattern, CatchClause, ClassElement,
    ConditionalExpression, DoWhileStatement, Expression, ForInStatement, ForOfStatement,
    ForStatement, Function, IfStatement, LogicalExpression, Statement, SwitchCase, SwitchStatement,
    TryStatement, WhileStatement,
};
use oxc_ast_visit::{Visit, walk};
use oxc_parser::Parser;
use oxc_span::SourceType;
use oxc_syntax::scope::ScopeFlags;
use prepai::tools::code_executor::{QualityMetrics, SourceMeasurements, TestError};

use super::lines::{count_lines, line_of, lines_spanned};
use super::{Analysis, Binding};

/// Parses `source` as a classic script (what the sandbox evaluates); reports its metrics and whether
/// `function_name` is bound at top level, or the first syntax error.
pub(crate) fn analyse(source: &str, function_name: &str) -> Analysis {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::cjs()).parse();
    if let Some(error) = parsed.diagnostics.errors().next() {
        let line = error.labels.first().map(|label| {
            line_of(
                source,
                usize::try_from(label.offset()).unwrap_or(usize::MAX),
            )
        });
        return Analysis::Invalid(TestError::new(
            "SyntaxError",
            error.message.to_string(),
            line,
        ));
    }
    if parsed.panicked {
        return Analysis::Invalid(TestError::new(
            "SyntaxError",
            "the code does not parse",
            None,
        ));
    }
    let program = &parsed.program;
    let comments: Vec<Range<usize>> = program
        .comments
        .iter()
        .map(|c| c.span.start as usize..c.span.end as usize)
        .collect();
    let mut counter = Counter {
        source,
        m: SourceMeasurements::default(),
        depth: 0,
    };
    counter.visit_program(program);
    let mut m = counter.m;
    count_lines(source, &comments, &mut m);
    Analysis::Parsed {
        quality: QualityMetrics::from_measurements(m),
        binding: if program.body.iter().any(|s| binds(s, function_name)) {
            Binding::TopLevel
        } else {
            program
                .body
                .iter()
                .find_map(|s| method_of(s, function_name))
                .map_or(Binding::Missing, |class| Binding::Method { class })
        },
    }
}

struct Counter<'s> {
    source: &'s str,
    m: SourceMeasurements,
    depth: u32,
}

impl Counter<'_> {
    fn nested(&mut self, walk: impl FnOnce(&mut Self)) {
        self.depth += 1;
        self.m.max_nesting_depth = self.m.max_nesting_depth.max(self.depth);
        walk(self);
        self.depth -= 1;
    }

    fn function(&mut self, start: u32, end: u32) {
        self.m.function_count += 1;
        let span = lines_spanned(self.source, start as usize..end as usize);
        self.m.longest_function_lines = self.m.longest_function_lines.max(span);
    }
}

impl<'a> Visit<'a> for Counter<'_> {
    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        self.function(it.span.start, it.span.end);
        self.nested(|c| walk::walk_function(c, it, flags));
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        self.function(it.span.start, it.span.end);
        self.nested(|c| walk::walk_arrow_function_expression(c, it));
    }

    fn visit_if_statement(&mut self, it: &IfStatement<'a>) {
        self.m.decision_points += 1;
        // An `else if` is an if statement inside the alternate: counted once, not nested one level deeper.
        let is_else_if = matches!(it.alternate, Some(Statement::IfStatement(_)));
        if is_else_if {
            self.nested(|c| {
                c.visit_expression(&it.test);
                c.visit_statement(&it.consequent);
            });
            if let Some(alternate) = &it.alternate {
                self.visit_statement(alternate);
            }
        } else {
            self.nested(|c| walk::walk_if_statement(c, it));
        }
    }

    fn visit_for_statement(&mut self, it: &ForStatement<'a>) {
        self.m.decision_points += 1;
        self.nested(|c| walk::walk_for_statement(c, it));
    }

    fn visit_for_in_statement(&mut self, it: &ForInStatement<'a>) {
        self.m.decision_points += 1;
        self.nested(|c| walk::walk_for_in_statement(c, it));
    }

    fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
        self.m.decision_points += 1;
        self.nested(|c| walk::walk_for_of_statement(c, it));
    }

    fn visit_while_statement(&mut self, it: &WhileStatement<'a>) {
        self.m.decision_points += 1;
        self.nested(|c| walk::walk_while_statement(c, it));
    }

    fn visit_do_while_statement(&mut self, it: &DoWhileStatement<'a>) {
        self.m.decision_points += 1;
        self.nested(|c| walk::walk_do_while_statement(c, it));
    }

    fn visit_switch_statement(&mut self, it: &SwitchStatement<'a>) {
        self.nested(|c| walk::walk_switch_statement(c, it));
    }

    fn visit_switch_case(&mut self, it: &SwitchCase<'a>) {
        if it.test.is_some() {
            self.m.decision_points += 1;
        }
        walk::walk_switch_case(self, it);
    }

    fn visit_try_statement(&mut self, it: &TryStatement<'a>) {
        self.nested(|c| walk::walk_try_statement(c, it));
    }

    fn visit_catch_clause(&mut self, it: &CatchClause<'a>) {
        self.m.decision_points += 1;
        walk::walk_catch_clause(self, it);
    }

    fn visit_conditional_expression(&mut self, it: &ConditionalExpression<'a>) {
        self.m.decision_points += 1;
        walk::walk_conditional_expression(self, it);
    }

    fn visit_logical_expression(&mut self, it: &LogicalExpression<'a>) {
        self.m.decision_points += 1;
        walk::walk_logical_expression(self, it);
    }
}

/// The class a top-level class declaration is, when it has an instance method called `name`.
fn method_of(statement: &Statement<'_>, name: &str) -> Option<String> {
    let Statement::ClassDeclaration(class) = statement else {
        return None;
    };
    let id = class.id.as_ref()?;
    class
        .body
        .body
        .iter()
        .any(|member| match member {
            ClassElement::MethodDefinition(method) => {
                !method.r#static && method.key.static_name().is_some_and(|key| key == name)
            }
            _ => false,
        })
        .then(|| id.name.to_string())
}

/// Whether a top-level statement binds `name`: a function, class or variable declaration, or an assignment to
/// the name, `globalThis.name` or `this.name`.
fn binds(statement: &Statement<'_>, name: &str) -> bool {
    match statement {
        Statement::FunctionDeclaration(f) => f.id.as_ref().is_some_and(|id| id.name == name),
        Statement::ClassDeclaration(c) => c.id.as_ref().is_some_and(|id| id.name == name),
        Statement::VariableDeclaration(d) => d.declarations.iter().any(|declarator| {
            matches!(&declarator.id, BindingPattern::BindingIdentifier(id) if id.name == name)
        }),
        Statement::ExpressionStatement(e) => match &e.expression {
            Expression::AssignmentExpression(a) => match &a.left {
                AssignmentTarget::AssignmentTargetIdentifier(id) => id.name == name,
                AssignmentTarget::StaticMemberExpression(member) => {
                    member.property.name == name
                        && match &member.object {
                            Expression::Identifier(object) => object.name == "globalThis",
                            Expression::ThisExpression(_) => true,
                            _ => false,
                        }
                }
                _ => false,
            },
            _ => false,
        },
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
/**
 * Groups words by their sorted letters.
 */
function groupAnagrams(words) {
  const groups = new Map(); // key -> words
  for (const w of words) {
    const key = [...w].sort().join('');
    if (!groups.has(key) && key !== null) {
      groups.set(key, []);
    } else if (key === '') {
      continue;
    }
    groups.get(key)?.push(w);
  }
  return [...groups.values()].map((g) => (g.length > 1 ? g.sort() : g));
}
"#;
        let (m, defined) = parsed(source, "groupAnagrams");
        assert!(defined);
        // for-of, if, &&, else if, ternary.
        assert_eq!(m.cyclomatic_complexity, 1 + 5);
        assert_eq!(m.function_count, 2);
        assert_eq!(m.comment_lines, 3);
        assert_eq!(m.lines_of_code, 13);
        assert_eq!(m.max_nesting_depth, 3);
        assert_eq!(m.longest_function_lines, 13);
    }

    #[test]
    fn finds_top_level_bindings_only() {
        assert!(parsed("const solve = (a) => a;", "solve").1);
        assert!(parsed("var x, solve = function () {};", "solve").1);
        assert!(parsed("class solve {}", "solve").1);
        assert!(parsed("globalThis.solve = (x) => x;", "solve").1);
        assert!(!parsed("function outer() { function solve() {} }", "solve").1);
        assert!(!parsed("const { solve } = {};", "solve").1);
        assert!(matches!(
            analyse("class Solution { twoSum(a, b) { return a; } }", "twoSum"),
            Analysis::Parsed { binding: Binding::Method { class }, .. } if class == "Solution"
        ));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        match analyse("function f(x) {\n  return x +;\n}", "f") {
            Analysis::Invalid(e) => {
                assert_eq!(e.kind, "SyntaxError");
                assert_eq!(e.line, Some(2));
            }
            other => panic!("{other:?}"),
        }
    }
}
