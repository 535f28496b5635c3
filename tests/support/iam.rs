//! IAM as `template.yaml` grants it, evaluated the way AWS does for the cases the template uses: each function's
//! policies (inline statements, SAM policy templates expanded to what they grant, or its own role), intrinsic
//! functions resolved against one symbolic deployment (`!Ref`, `!GetAtt`, `!Sub`, `!If` with the template's
//! conditions), ARN wildcards, and the condition operators the template uses.

use std::collections::BTreeMap;
use std::fmt;

use serde_yaml::{Mapping, Value};

/// The deployment every symbol resolves to: one account and Region, and a physical id per resource.
pub const PARTITION: &str = "aws";
pub const REGION: &str = "us-east-1";
pub const ACCOUNT: &str = "123456789012";
pub const STACK: &str = "prepai";

/// One AWS call as IAM authorises it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Call {
    pub action: String,
    pub resource: String,
    /// Condition keys the request carries (`bedrock:InferenceProfileArn`, `s3:prefix`, …).
    pub context: BTreeMap<String, String>,
}

impl Call {
    pub fn new(action: &str, resource: &str) -> Self {
        Self {
            action: action.to_owned(),
            resource: resource.to_owned(),
            context: BTreeMap::new(),
        }
    }

    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.context.insert(key.to_owned(), value.to_owned());
        self
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {}", self.action, self.resource)?;
        if !self.context.is_empty() {
            write!(f, " {:?}", self.context)?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// One condition: `operator: {key: [values]}`.
#[derive(Clone, Debug)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

/// A resolved policy statement and where it came from.
#[derive(Clone, Debug)]
pub struct Statement {
    pub effect: Effect,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub conditions: Vec<Condition>,
    pub origin: String,
}

impl Statement {
    /// Whether this statement covers `call` (action, resource and conditions).
    pub fn covers(&self, call: &Call) -> bool {
        self.actions.iter().any(|a| action_matches(a, &call.action))
            && self.resources.iter().any(|r| glob(r, &call.resource))
            && self.conditions.iter().all(|c| c.holds(&call.context))
    }
}

impl Condition {
    fn holds(&self, context: &BTreeMap<String, String>) -> bool {
        let Some(value) = context.get(&self.key) else {
            return self.operator.ends_with("IfExists");
        };
        let operator = self.operator.trim_end_matches("IfExists");
        match operator {
            "StringEquals" | "ArnEquals" => self.values.iter().any(|v| v == value),
            "StringLike" | "ArnLike" => self.values.iter().any(|v| glob(v, value)),
            "StringNotEquals" => self.values.iter().all(|v| v != value),
            other => {
                panic!("condition operator {other} is not modelled: teach tests/support/iam.rs")
            }
        }
    }
}

/// IAM's wildcard match: `*` any run of characters (slashes and colons included), `?` one character.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Actions compare without regard to case, with wildcards.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    glob(&pattern.to_ascii_lowercase(), &action.to_ascii_lowercase())
}

/// The template with its parameters and conditions resolved for one deployment.
pub struct Template {
    root: Value,
    parameters: BTreeMap<String, String>,
    conditions: BTreeMap<String, bool>,
}

impl Template {
    /// `template.yaml` with parameter defaults, some overridden (`InferenceGeography=global`, …).
    pub fn load(overrides: &[(&str, &str)]) -> Self {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml"))
                .expect("template.yaml");
        Self::parse(&text, overrides)
    }

    pub fn parse(text: &str, overrides: &[(&str, &str)]) -> Self {
        let root: Value = serde_yaml::from_str(text).expect("template.yaml parses");
        let mut parameters = BTreeMap::new();
        for (name, spec) in root["Parameters"].as_mapping().into_iter().flatten() {
            let default = match &spec["Default"] {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Null => String::new(),
                other => serde_yaml::to_string(other).unwrap_or_default(),
            };
            parameters.insert(name.as_str().unwrap().to_owned(), default);
        }
        for (name, value) in overrides {
            assert!(parameters.contains_key(*name), "no parameter {name}");
            parameters.insert((*name).to_owned(), (*value).to_owned());
        }
        let mut template = Self {
            root,
            parameters,
            conditions: BTreeMap::new(),
        };
        let names: Vec<String> = template.root["Conditions"]
            .as_mapping()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.as_str().unwrap().to_owned())
            .collect();
        for name in names {
            let holds = template.condition(&name);
            template.conditions.insert(name, holds);
        }
        template
    }

    /// The raw template, for tests that change it.
    pub fn root_mut(&mut self) -> &mut Value {
        &mut self.root
    }

    fn resources(&self) -> &Mapping {
        self.root["Resources"].as_mapping().expect("Resources")
    }

    /// Every `AWS::Serverless::Function` by its binary (`Metadata.BuildProperties.Binary`) → logical id.
    pub fn functions(&self) -> BTreeMap<String, String> {
        self.resources()
            .iter()
            .filter(|(_, r)| r["Type"].as_str() == Some("AWS::Serverless::Function"))
            .map(|(name, r)| {
                (
                    r["Metadata"]["BuildProperties"]["Binary"]
                        .as_str()
                        .expect("every function names its binary")
                        .to_owned(),
                    name.as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// A function's environment as deployed: `Globals.Function.Environment` merged with its own, resolved.
    pub fn environment(&self, binary: &str) -> BTreeMap<String, String> {
        let logical = &self.functions()[binary];
        let mut env = BTreeMap::new();
        for variables in [
            &self.root["Globals"]["Function"]["Environment"]["Variables"],
            &self.root["Resources"][logical.as_str()]["Properties"]["Environment"]["Variables"],
        ] {
            for (name, value) in variables.as_mapping().into_iter().flatten() {
                let resolved = self.strings(value);
                env.insert(
                    name.as_str().unwrap().to_owned(),
                    resolved.into_iter().next().unwrap_or_default(),
                );
            }
        }
        env
    }

    /// Every statement the function's role holds: its own role when it names one, else SAM's role made from its
    /// `Policies` (inline statements and policy templates).
    pub fn function_statements(&self, binary: &str) -> Vec<Statement> {
        let logical = self.functions()[binary].clone();
        let properties = &self.root["Resources"][logical.as_str()]["Properties"];
        if !properties["Role"].is_null() {
            let role = self.strings(&properties["Role"]);
            let role = role
                .first()
                .and_then(|arn| arn.strip_suffix(".Arn"))
                .or_else(|| role.first().map(String::as_str))
                .unwrap_or_default()
                .trim_start_matches("symbol:")
                .to_owned();
            return self.role_statements(&role);
        }
        let mut out = Vec::new();
        for (i, policy) in properties["Policies"]
            .as_sequence()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let origin = format!("{logical} Policies[{i}]");
            match policy {
                // A managed policy by name or ARN: only the logging and tracing ones are used here.
                Value::String(name) => out.extend(managed_policy(name, &origin)),
                Value::Mapping(map) if map.contains_key("Statement") => {
                    out.extend(self.statements(&policy["Statement"], &origin));
                }
                Value::Mapping(map) => {
                    for (template, args) in map {
                        let template = template.as_str().unwrap();
                        out.extend(self.policy_template(template, args, &origin));
                    }
                }
                other => panic!("{origin}: unexpected policy {other:?}"),
            }
        }
        out
    }

    /// The statements of an `AWS::IAM::Role`'s inline policies and managed policies.
    pub fn role_statements(&self, role: &str) -> Vec<Statement> {
        let properties = &self.root["Resources"][role]["Properties"];
        assert!(!properties.is_null(), "no role {role}");
        let mut out = Vec::new();
        for arn in properties["ManagedPolicyArns"]
            .as_sequence()
            .into_iter()
            .flatten()
        {
            for name in self.strings(arn) {
                out.extend(managed_policy(&name, &format!("{role} ManagedPolicyArns")));
            }
        }
        for policy in properties["Policies"].as_sequence().into_iter().flatten() {
            let origin = format!(
                "{role} policy {}",
                policy["PolicyName"].as_str().unwrap_or("?")
            );
            out.extend(self.statements(&policy["PolicyDocument"]["Statement"], &origin));
        }
        out
    }

    fn statements(&self, list: &Value, origin: &str) -> Vec<Statement> {
        let mut out = Vec::new();
        for (i, s) in list.as_sequence().into_iter().flatten().enumerate() {
            for key in ["NotAction", "NotResource", "NotPrincipal"] {
                assert!(s[key].is_null(), "{origin}: {key} is not modelled");
            }
            let effect = match s["Effect"].as_str() {
                Some("Allow") => Effect::Allow,
                Some("Deny") => Effect::Deny,
                other => panic!("{origin}: effect {other:?}"),
            };
            let mut conditions = Vec::new();
            for (operator, keys) in s["Condition"].as_mapping().into_iter().flatten() {
                for (key, values) in keys.as_mapping().into_iter().flatten() {
                    conditions.push(Condition {
                        operator: operator.as_str().unwrap().to_owned(),
                        key: key.as_str().unwrap().to_owned(),
                        values: self.strings(values),
                    });
                }
            }
            out.push(Statement {
                effect,
                actions: self.strings(&s["Action"]),
                resources: self.strings(&s["Resource"]),
                conditions,
                origin: format!("{origin} Statement[{i}]"),
            });
        }
        out
    }

    /// SAM's policy templates, as its policy_templates.json defines them (those a function here may use).
    fn policy_template(&self, name: &str, args: &Value, origin: &str) -> Vec<Statement> {
        let arg = |key: &str| {
            self.strings(&args[key])
                .into_iter()
                .next()
                .unwrap_or_else(|| panic!("{origin}: {name} needs {key}"))
        };
        let s3 = |actions: &[&str]| {
            let bucket = arg("BucketName");
            vec![Statement {
                effect: Effect::Allow,
                actions: actions.iter().map(|a| (*a).to_owned()).collect(),
                resources: vec![
                    format!("arn:{PARTITION}:s3:::{bucket}"),
                    format!("arn:{PARTITION}:s3:::{bucket}/*"),
                ],
                conditions: Vec::new(),
                origin: format!("{origin} {name}"),
            }]
        };
        match name {
            "S3ReadPolicy" => s3(&[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:GetLifecycleConfiguration",
            ]),
            "S3WritePolicy" => s3(&[
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:PutLifecycleConfiguration",
            ]),
            "S3CrudPolicy" => s3(&[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:GetLifecycleConfiguration",
                "s3:PutLifecycleConfiguration",
                "s3:DeleteObject",
            ]),
            "LambdaInvokePolicy" => vec![Statement {
                effect: Effect::Allow,
                actions: vec!["lambda:InvokeFunction".into()],
                resources: vec![format!(
                    "arn:{PARTITION}:lambda:{REGION}:{ACCOUNT}:function:{}*",
                    arg("FunctionName")
                )],
                conditions: Vec::new(),
                origin: format!("{origin} {name}"),
            }],
            other => panic!(
                "{origin}: SAM policy template {other} is not modelled: teach tests/support/iam.rs"
            ),
        }
    }

    /// A value as the strings it resolves to (a list for sequences; nothing for `AWS::NoValue`).
    pub fn strings(&self, value: &Value) -> Vec<String> {
        match value {
            Value::Null => Vec::new(),
            Value::String(s) => vec![s.clone()],
            Value::Number(n) => vec![n.to_string()],
            Value::Bool(b) => vec![b.to_string()],
            Value::Sequence(items) => items.iter().flat_map(|v| self.strings(v)).collect(),
            Value::Tagged(tagged) => {
                let tag = tagged.tag.to_string();
                self.intrinsic(tag.trim_start_matches('!'), &tagged.value)
            }
            Value::Mapping(map) if map.len() == 1 => {
                let (key, argument) = map.iter().next().unwrap();
                let key = key.as_str().unwrap_or_default();
                let name = key.strip_prefix("Fn::").unwrap_or(key);
                if key == "Ref" || key.starts_with("Fn::") {
                    self.intrinsic(name, argument)
                } else {
                    panic!("unexpected mapping {map:?}")
                }
            }
            other => panic!("unexpected value {other:?}"),
        }
    }

    fn intrinsic(&self, name: &str, argument: &Value) -> Vec<String> {
        match name {
            "Ref" => {
                let target = argument.as_str().expect("!Ref name");
                if target == "AWS::NoValue" {
                    Vec::new()
                } else {
                    vec![self.symbol(target)]
                }
            }
            "GetAtt" => {
                let target = match argument {
                    Value::String(s) => s.clone(),
                    Value::Sequence(parts) => format!(
                        "{}.{}",
                        parts[0].as_str().unwrap(),
                        parts[1].as_str().unwrap()
                    ),
                    other => panic!("!GetAtt {other:?}"),
                };
                vec![self.symbol(&target)]
            }
            "Sub" => {
                let (text, variables) = match argument {
                    Value::String(s) => (s.clone(), Mapping::new()),
                    Value::Sequence(parts) => (
                        parts[0].as_str().unwrap().to_owned(),
                        parts[1].as_mapping().cloned().unwrap_or_default(),
                    ),
                    other => panic!("!Sub {other:?}"),
                };
                let mut out = String::new();
                let mut rest = text.as_str();
                while let Some(start) = rest.find("${") {
                    out.push_str(&rest[..start]);
                    let end = start + rest[start..].find('}').expect("closed ${…}");
                    let name = &rest[start + 2..end];
                    if let Some(literal) = name.strip_prefix('!') {
                        out.push_str(&format!("${{{literal}}}"));
                    } else if let Some(value) = variables.get(name) {
                        out.push_str(&self.strings(value).concat());
                    } else {
                        out.push_str(&self.symbol(name));
                    }
                    rest = &rest[end + 1..];
                }
                out.push_str(rest);
                vec![out]
            }
            "If" => {
                let args = argument.as_sequence().expect("!If [condition, then, else]");
                let name = args[0].as_str().unwrap();
                let holds = self.condition(name);
                self.strings(&args[if holds { 1 } else { 2 }])
            }
            "Join" => {
                let args = argument.as_sequence().unwrap();
                let separator = args[0].as_str().unwrap_or_default();
                vec![self.strings(&args[1]).join(separator)]
            }
            "FindInMap" => {
                let args: Vec<String> = argument
                    .as_sequence()
                    .unwrap()
                    .iter()
                    .map(|v| self.strings(v).concat())
                    .collect();
                let value =
                    &self.root["Mappings"][args[0].as_str()][args[1].as_str()][args[2].as_str()];
                self.strings(value)
            }
            other => panic!("intrinsic {other} is not modelled: teach tests/support/iam.rs"),
        }
    }

    /// Whether a named condition holds for this deployment.
    pub fn condition(&self, name: &str) -> bool {
        if let Some(&known) = self.conditions.get(name) {
            return known;
        }
        let definition = &self.root["Conditions"][name];
        assert!(!definition.is_null(), "no condition {name}");
        self.evaluate(definition)
    }

    fn evaluate(&self, value: &Value) -> bool {
        let (name, argument) = match value {
            Value::Tagged(tagged) => (
                tagged.tag.to_string().trim_start_matches('!').to_owned(),
                &tagged.value,
            ),
            Value::Mapping(map) if map.len() == 1 => {
                let (k, v) = map.iter().next().unwrap();
                let k = k.as_str().unwrap();
                (k.strip_prefix("Fn::").unwrap_or(k).to_owned(), v)
            }
            other => panic!("condition {other:?}"),
        };
        let args = || argument.as_sequence().cloned().unwrap_or_default();
        match name.as_str() {
            "Equals" => {
                let a = args();
                self.strings(&a[0]).concat() == self.strings(&a[1]).concat()
            }
            "Not" => !self.evaluate(&args()[0]),
            "And" => args().iter().all(|c| self.evaluate(c)),
            "Or" => args().iter().any(|c| self.evaluate(c)),
            "Condition" => self.condition(argument.as_str().unwrap()),
            other => panic!("condition function {other}"),
        }
    }

    /// What `!Ref name` / `${name}` / `!GetAtt name` resolve to in this deployment.
    pub fn symbol(&self, name: &str) -> String {
        if let Some(value) = self.parameters.get(name) {
            return value.clone();
        }
        symbol(name).unwrap_or_else(|| {
            assert!(
                !self.root["Resources"][name.split('.').next().unwrap()].is_null(),
                "{name} names no parameter, pseudo parameter or resource"
            );
            format!("symbol:{name}")
        })
    }
}

/// The physical ids and attributes the recording adapters address, shared with them so both sides agree.
pub fn symbol(name: &str) -> Option<String> {
    let value = match name {
        "AWS::Partition" => PARTITION.into(),
        "AWS::Region" => REGION.into(),
        "AWS::AccountId" => ACCOUNT.into(),
        "AWS::StackName" => STACK.into(),
        "AWS::URLSuffix" => "amazonaws.com".into(),
        "DataBucket" => "prepai-databucket-1x2y3z".into(),
        "DataBucket.Arn" => "arn:aws:s3:::prepai-databucket-1x2y3z".into(),
        "CodeExecutorFunction" => "prepai-CodeExecutorFunction-AbC123".into(),
        "CodeExecutorFunction.Arn" => {
            format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:prepai-CodeExecutorFunction-AbC123")
        }
        "InterviewSocketApi" => "w5ocket0id".into(),
        "InterviewAgent.AgentId" => "AGENT12345".into(),
        "InterviewAgentAlias.AgentAliasId" => "ALIAS12345".into(),
        "InterviewAgentAlias.AgentAliasArn" => {
            format!("arn:aws:bedrock:{REGION}:{ACCOUNT}:agent-alias/AGENT12345/ALIAS12345")
        }
        "QuestionBankKnowledgeBase.KnowledgeBaseArn" => {
            format!("arn:aws:bedrock:{REGION}:{ACCOUNT}:knowledge-base/KB12345678")
        }
        "UserPool" => format!("{REGION}_Pool12345"),
        "UserPoolClient" => "client1234567890".into(),
        _ => return None,
    };
    Some(value)
}

/// What the AWS managed policies a function or role names grant that matters here: logs and traces only.
fn managed_policy(name: &str, origin: &str) -> Vec<Statement> {
    let actions: &[&str] = if name.ends_with("AWSLambdaBasicExecutionRole") {
        &[
            "logs:CreateLogGroup",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
        ]
    } else if name.ends_with("AWSXrayWriteOnlyAccess") || name.ends_with("AWSXRayDaemonWriteAccess")
    {
        &[
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
        ]
    } else {
        panic!("{origin}: managed policy {name} is not modelled: teach tests/support/iam.rs")
    };
    vec![Statement {
        effect: Effect::Allow,
        actions: actions.iter().map(|a| (*a).to_owned()).collect(),
        resources: vec!["*".into()],
        conditions: Vec::new(),
        origin: format!("{origin} {name}"),
    }]
}

/// Whether `statements` allow `call`: some Allow covers it and no Deny does.
pub fn allowed<'a>(statements: &'a [Statement], call: &Call) -> Option<&'a Statement> {
    if statements
        .iter()
        .any(|s| s.effect == Effect::Deny && s.covers(call))
    {
        return None;
    }
    statements
        .iter()
        .find(|s| s.effect == Effect::Allow && s.covers(call))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_as_iam_does() {
        assert!(glob(
            "arn:aws:s3:::b/sessions/*",
            "arn:aws:s3:::b/sessions/x/y.json"
        ));
        assert!(!glob(
            "arn:aws:s3:::b/sessions/*",
            "arn:aws:s3:::b/session.json"
        ));
        assert!(glob(
            "arn:aws:bedrock:*::foundation-model/m",
            "arn:aws:bedrock:us-west-2::foundation-model/m"
        ));
        assert!(!glob("arn:aws:s3:::b", "arn:aws:s3:::b/x"));
        assert!(glob("a?c", "abc") && !glob("a?c", "ac"));
        assert!(
            action_matches("s3:Get*", "s3:GetObject")
                && action_matches("S3:getobject", "s3:GetObject")
        );
    }
}
