//! The routing table, read from `template.yaml` so the local server and the deployed API can never disagree.

use http::Method;
use prepai::Route;
use serde_yaml::Value;

/// The SAM template this binary was built with.
pub const TEMPLATE_YAML: &str = include_str!("../../template.yaml");

/// One `HttpApi` event of one function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateRoute {
    pub method: Method,
    /// API Gateway's path syntax (`/api/sessions/{session_id}`), which axum shares.
    pub path: String,
    /// The function's `BuildProperties: Binary`.
    pub binary: String,
    /// The function's logical id in the template.
    pub function: String,
}

/// Why the template cannot be turned into routes.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("template.yaml is not valid YAML: {0}")]
    Yaml(#[from] serde_yaml::Error),
    #[error("template.yaml: {0}")]
    Shape(String),
}

/// Every `HttpApi` event of every `AWS::Serverless::Function` in `yaml`.
pub fn http_routes(yaml: &str) -> Result<Vec<TemplateRoute>, TemplateError> {
    let doc: Value = serde_yaml::from_str(yaml)?;
    let resources = doc
        .get("Resources")
        .and_then(Value::as_mapping)
        .ok_or_else(|| TemplateError::Shape("no Resources section".into()))?;
    let mut routes = Vec::new();
    for (name, resource) in resources {
        let function = name.as_str().unwrap_or_default().to_owned();
        if resource.get("Type").and_then(Value::as_str) != Some("AWS::Serverless::Function") {
            continue;
        }
        let events = resource
            .get("Properties")
            .and_then(|p| p.get("Events"))
            .and_then(Value::as_mapping);
        let Some(events) = events else { continue };
        for event in events.values() {
            if event.get("Type").and_then(Value::as_str) != Some("HttpApi") {
                continue;
            }
            let binary = resource
                .get("Metadata")
                .and_then(|m| m.get("BuildProperties"))
                .and_then(|b| b.get("Binary"))
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    TemplateError::Shape(format!(
                        "{function} has no Metadata.BuildProperties.Binary"
                    ))
                })?;
            let props = event.get("Properties");
            let text = |field: &str| {
                props
                    .and_then(|p| p.get(field))
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        TemplateError::Shape(format!("{function}: HttpApi event without {field}"))
                    })
            };
            let method = text("Method")?
                .to_uppercase()
                .parse::<Method>()
                .map_err(|e| TemplateError::Shape(format!("{function}: {e}")))?;
            routes.push(TemplateRoute {
                method,
                path: text("Path")?.to_owned(),
                binary: binary.to_owned(),
                function: function.clone(),
            });
        }
    }
    Ok(routes)
}

/// Pairs each template route with its handler, failing on any template route without a handler and any handler
/// without a template route.
pub fn resolve(routes: &[TemplateRoute]) -> Result<Vec<(TemplateRoute, Route)>, TemplateError> {
    let mut resolved = Vec::new();
    for r in routes {
        let route = Route::from_binary(&r.binary).ok_or_else(|| {
            TemplateError::Shape(format!(
                "{} {} names binary {:?}, which has no handler",
                r.method, r.path, r.binary
            ))
        })?;
        resolved.push((r.clone(), route));
    }
    for route in Route::ALL {
        if !resolved.iter().any(|(_, r)| r == route) {
            return Err(TemplateError::Shape(format!(
                "handler {:?} (binary {}) has no route in template.yaml",
                route,
                route.binary()
            )));
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_route_has_a_handler_and_every_handler_a_route() {
        let routes = http_routes(TEMPLATE_YAML).unwrap();
        let resolved = resolve(&routes).unwrap();
        assert_eq!(resolved.len(), routes.len());
        assert!(
            routes
                .iter()
                .any(|r| r.path == "/api/sessions/create" && r.method == Method::POST)
        );
    }

    #[test]
    fn a_route_without_handler_is_an_error() {
        let yaml = r#"
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata: { BuildProperties: { Binary: no-such-binary } }
    Properties:
      Events:
        Api: { Type: HttpApi, Properties: { Path: /x, Method: GET } }
"#;
        let routes = http_routes(yaml).unwrap();
        assert!(
            resolve(&routes)
                .unwrap_err()
                .to_string()
                .contains("no-such-binary")
        );
    }

    #[test]
    fn a_handler_without_route_is_an_error() {
        let routes = http_routes(TEMPLATE_YAML).unwrap();
        let fewer: Vec<_> = routes
            .into_iter()
            .filter(|r| r.binary != "get-session")
            .collect();
        assert!(
            resolve(&fewer)
                .unwrap_err()
                .to_string()
                .contains("get-session")
        );
    }
}
