//! What `template.yaml` promises the browser app and the voice interview, checked on the template itself: the app,
//! the API and the socket behind one CloudFront distribution (private bucket through origin access control, HTTPS
//! only, `/api/*`, `/ws/*` and `/config.json` routed as the app expects); Cognito's hosted UI with the code flow;
//! speech permissions on the socket's `$default` function alone; recordings that expire. cfn-lint checks the
//! template's syntax and types; these tests check that its values are the ones the code depends on.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::{Mapping, Value};

/// CloudFront's managed cache policy that caches nothing.
const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
/// CloudFront's managed cache policy for static files.
const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/// CloudFront's managed origin request policy forwarding every viewer header but Host, and every query string.
const ALL_VIEWER_EXCEPT_HOST_HEADER: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

fn template() -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn resources(template: &Value) -> &Mapping {
    template["Resources"]
        .as_mapping()
        .expect("a Resources section")
}

fn resource<'a>(template: &'a Value, name: &str) -> &'a Value {
    let found = &template["Resources"][name];
    assert!(!found.is_null(), "no resource {name}");
    found
}

/// The argument of the short-form intrinsic `!{name}` when `value` is one.
fn intrinsic<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    match value {
        Value::Tagged(tagged) if tagged.tag == name => Some(&tagged.value),
        _ => None,
    }
}

fn is_ref(value: &Value, target: &str) -> bool {
    intrinsic(value, "Ref").and_then(Value::as_str) == Some(target)
}

/// The template string of a `!Sub`, in either of its forms.
fn sub_text(value: &Value) -> &str {
    let argument = intrinsic(value, "Sub").unwrap_or_else(|| panic!("not a !Sub: {value:?}"));
    match argument {
        Value::String(text) => text,
        Value::Sequence(parts) => parts[0].as_str().expect("!Sub [template, variables]"),
        other => panic!("unexpected !Sub argument {other:?}"),
    }
}

/// The variables map of a `!Sub [template, variables]`.
fn sub_variables(value: &Value) -> Mapping {
    match intrinsic(value, "Sub") {
        Some(Value::Sequence(parts)) => parts[1].as_mapping().cloned().unwrap_or_default(),
        _ => Mapping::new(),
    }
}

fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Sequence(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The logical id of the `AWS::Serverless::Function` built from `binary`.
fn function_for_binary(template: &Value, binary: &str) -> String {
    let names: Vec<String> = resources(template)
        .iter()
        .filter(|(_, r)| r["Type"].as_str() == Some("AWS::Serverless::Function"))
        .filter(|(_, r)| r["Metadata"]["BuildProperties"]["Binary"].as_str() == Some(binary))
        .map(|(name, _)| name.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 1, "one function builds {binary}: {names:?}");
    names.into_iter().next().unwrap()
}

fn distribution_config(template: &Value) -> &Value {
    let distribution = resource(template, "WebDistribution");
    assert_eq!(
        distribution["Type"].as_str(),
        Some("AWS::CloudFront::Distribution")
    );
    &distribution["Properties"]["DistributionConfig"]
}

/// The distribution's cache behaviors by path pattern.
fn behaviors(template: &Value) -> BTreeMap<String, &Value> {
    distribution_config(template)["CacheBehaviors"]
        .as_sequence()
        .expect("path behaviors")
        .iter()
        .map(|b| (b["PathPattern"].as_str().unwrap().to_owned(), b))
        .collect()
}

fn origin<'a>(template: &'a Value, id: &str) -> &'a Value {
    distribution_config(template)["Origins"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|o| o["Id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no origin {id}"))
}

/// The logical id of the CloudFront function a behavior runs on viewer requests.
fn viewer_request_function(behavior: &Value) -> String {
    let associations = behavior["FunctionAssociations"]
        .as_sequence()
        .expect("function associations");
    assert_eq!(associations.len(), 1, "one function per behavior");
    assert_eq!(
        associations[0]["EventType"].as_str(),
        Some("viewer-request")
    );
    let arn = intrinsic(&associations[0]["FunctionARN"], "GetAtt").expect("!GetAtt X.FunctionARN");
    let (name, attribute) = arn.as_str().unwrap().split_once('.').unwrap();
    assert_eq!(attribute, "FunctionARN");
    name.to_owned()
}

/// A CloudFront function's code, with its `!Sub` variables.
fn function_code(template: &Value, name: &str) -> (String, Mapping) {
    let function = resource(template, name);
    assert_eq!(function["Type"].as_str(), Some("AWS::CloudFront::Function"));
    assert_eq!(
        function["Properties"]["FunctionConfig"]["Runtime"].as_str(),
        Some("cloudfront-js-2.0")
    );
    assert_eq!(function["Properties"]["AutoPublish"].as_bool(), Some(true));
    let code = &function["Properties"]["FunctionCode"];
    match code {
        Value::String(text) => (text.clone(), Mapping::new()),
        _ => (sub_text(code).to_owned(), sub_variables(code)),
    }
}

#[test]
fn the_app_is_served_from_a_private_bucket_through_origin_access_control() {
    let t = template();
    let config = distribution_config(&t);
    assert_eq!(config["DefaultRootObject"].as_str(), Some("index.html"));
    assert_eq!(config["Enabled"].as_bool(), Some(true));

    let app = origin(&t, "web-app");
    assert_eq!(
        intrinsic(&app["DomainName"], "GetAtt").and_then(Value::as_str),
        Some("WebBucket.RegionalDomainName")
    );
    assert_eq!(
        app["S3OriginConfig"]["OriginAccessIdentity"].as_str(),
        Some("")
    );
    let oac = intrinsic(&app["OriginAccessControlId"], "GetAtt")
        .and_then(Value::as_str)
        .expect("the S3 origin names an origin access control");
    let (oac_name, attribute) = oac.split_once('.').unwrap();
    assert_eq!(attribute, "Id");
    let oac = resource(&t, oac_name);
    assert_eq!(
        oac["Type"].as_str(),
        Some("AWS::CloudFront::OriginAccessControl")
    );
    let oac_config = &oac["Properties"]["OriginAccessControlConfig"];
    assert_eq!(
        oac_config["OriginAccessControlOriginType"].as_str(),
        Some("s3")
    );
    assert_eq!(oac_config["SigningBehavior"].as_str(), Some("always"));
    assert_eq!(oac_config["SigningProtocol"].as_str(), Some("sigv4"));

    let bucket = &resource(&t, "WebBucket")["Properties"];
    for setting in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        assert_eq!(
            bucket["PublicAccessBlockConfiguration"][setting].as_bool(),
            Some(true),
            "{setting}"
        );
    }
    assert_eq!(
        bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
            ["ServerSideEncryptionByDefault"]["SSEAlgorithm"]
            .as_str(),
        Some("AES256")
    );

    let policy = &resource(&t, "WebBucketPolicy")["Properties"];
    assert!(is_ref(&policy["Bucket"], "WebBucket"));
    let statements = policy["PolicyDocument"]["Statement"].as_sequence().unwrap();
    let tls = statements
        .iter()
        .find(|s| s["Effect"].as_str() == Some("Deny"))
        .expect("a TLS-only statement");
    assert_eq!(
        tls["Condition"]["Bool"]["aws:SecureTransport"].as_str(),
        Some("false")
    );
    let read = statements
        .iter()
        .find(|s| s["Effect"].as_str() == Some("Allow"))
        .expect("CloudFront may read");
    assert_eq!(
        read["Principal"]["Service"].as_str(),
        Some("cloudfront.amazonaws.com")
    );
    assert_eq!(strings(&read["Action"]), ["s3:GetObject"]);
    let source = sub_text(&read["Condition"]["StringEquals"]["AWS:SourceArn"]);
    assert!(
        source.ends_with(":distribution/${WebDistribution}"),
        "only this distribution may read: {source}"
    );
}

#[test]
fn every_behavior_redirects_to_https() {
    let t = template();
    let config = distribution_config(&t);
    let mut all = vec![&config["DefaultCacheBehavior"]];
    all.extend(behaviors(&t).into_values());
    assert_eq!(all.len(), 4);
    for behavior in all {
        assert_eq!(
            behavior["ViewerProtocolPolicy"].as_str(),
            Some("redirect-to-https"),
            "{:?}",
            behavior["PathPattern"]
        );
    }
    assert_eq!(
        config["ViewerCertificate"]["CloudFrontDefaultCertificate"].as_bool(),
        Some(true)
    );
}

#[test]
fn app_routes_fall_back_to_index_html_at_the_edge_not_through_error_pages() {
    let t = template();
    let config = distribution_config(&t);
    assert!(
        config["CustomErrorResponses"].is_null(),
        "error-page fallbacks would turn API 404s into HTML"
    );
    let default = &config["DefaultCacheBehavior"];
    assert_eq!(default["TargetOriginId"].as_str(), Some("web-app"));
    assert_eq!(default["CachePolicyId"].as_str(), Some(CACHING_OPTIMIZED));
    let (code, _) = function_code(&t, &viewer_request_function(default));
    for needle in [
        "request.uri = '/index.html'",
        "'/api/'",
        "'/ws/'",
        "indexOf('.')",
    ] {
        assert!(
            code.contains(needle),
            "the app-routes function lacks {needle}"
        );
    }
}

#[test]
fn api_requests_go_to_the_http_api_stage_uncached_with_their_headers() {
    let t = template();
    let behaviors = behaviors(&t);
    let api = behaviors["/api/*"];
    assert_eq!(api["TargetOriginId"].as_str(), Some("http-api"));
    assert_eq!(api["CachePolicyId"].as_str(), Some(CACHING_DISABLED));
    assert_eq!(
        api["OriginRequestPolicyId"].as_str(),
        Some(ALL_VIEWER_EXCEPT_HOST_HEADER)
    );
    let methods: BTreeSet<&str> = strings(&api["AllowedMethods"]).into_iter().collect();
    for method in ["GET", "POST", "DELETE", "OPTIONS"] {
        assert!(methods.contains(method), "/api/* must allow {method}");
    }

    let origin = origin(&t, "http-api");
    assert_eq!(
        sub_text(&origin["DomainName"]),
        "${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
    );
    // The HTTP API serves its named stage under /{stage}; the app calls /api/… without it.
    assert_eq!(sub_text(&origin["OriginPath"]), "/${StageName}");
    assert_eq!(
        origin["CustomOriginConfig"]["OriginProtocolPolicy"].as_str(),
        Some("https-only")
    );
}

#[test]
fn socket_requests_reach_the_websocket_stage_with_session_id_and_token_in_the_query() {
    let t = template();
    let ws = behaviors(&t)["/ws/*"];
    assert_eq!(ws["TargetOriginId"].as_str(), Some("interview-socket"));
    assert_eq!(ws["CachePolicyId"].as_str(), Some(CACHING_DISABLED));
    // Forwards Sec-WebSocket-Key/-Version (CloudFront's WebSocket requirement) and the query string.
    assert_eq!(
        ws["OriginRequestPolicyId"].as_str(),
        Some(ALL_VIEWER_EXCEPT_HOST_HEADER)
    );
    let origin = origin(&t, "interview-socket");
    assert_eq!(
        sub_text(&origin["DomainName"]),
        "${InterviewSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
    );
    assert!(
        origin["OriginPath"].is_null(),
        "the function sets the whole origin path"
    );

    let (code, _) = function_code(&t, &viewer_request_function(ws));
    assert!(code.contains(r"/^\/ws\/interview\/([0-9A-Za-z-]{1,64})\/?$/"));
    assert!(code.contains("session_id: { value: match[1] }"));
    assert!(code.contains("query.token = request.querystring.token"));
    assert!(code.contains("request.querystring = query"));
    assert!(code.contains("request.uri = '/${StageName}'"));
    assert!(code.contains("statusCode: 404"));
}

#[test]
fn config_json_tells_the_app_to_sign_in_with_this_stacks_cognito_client() {
    let t = template();
    let behavior = behaviors(&t)["/config.json"];
    assert_eq!(behavior["CachePolicyId"].as_str(), Some(CACHING_DISABLED));
    let (code, variables) = function_code(&t, &viewer_request_function(behavior));
    assert!(code.contains("\"mode\":\"cognito\""));
    assert!(code.contains("\"clientId\":\"${UserPoolClient}\""));
    assert!(code.contains("'content-type': { value: 'application/json' }"));

    let domain = variables
        .get("AuthDomainUrl")
        .map(sub_text)
        .expect("AuthDomainUrl variable");
    assert_eq!(
        domain,
        "https://${UserPoolDomain}.auth.${AWS::Region}.amazoncognito.com"
    );

    // The body, with the deploy-time values filled in, is the JSON web/src/auth/config.ts reads.
    let start = code.find("data: '").expect("a text body") + "data: '".len();
    let end = start + code[start..].find('\'').unwrap();
    let body = code[start..end]
        .replace(
            "${AuthDomainUrl}",
            "https://prepai-1.auth.us-east-1.amazoncognito.com",
        )
        .replace("${UserPoolClient}", "client-1");
    let body: serde_json::Value = serde_json::from_str(&body).expect("the body is JSON");
    assert_eq!(
        body,
        serde_json::json!({"auth": {
            "mode": "cognito",
            "domain": "https://prepai-1.auth.us-east-1.amazoncognito.com",
            "clientId": "client-1",
            "scopes": ["openid", "email", "profile"],
        }})
    );
}

#[test]
fn the_user_pool_client_signs_in_with_the_code_flow_and_knows_the_apps_urls() {
    let t = template();
    let client = &resource(&t, "UserPoolClient")["Properties"];
    assert_eq!(client["GenerateSecret"].as_bool(), Some(false));
    assert_eq!(
        client["AllowedOAuthFlowsUserPoolClient"].as_bool(),
        Some(true)
    );
    assert_eq!(strings(&client["AllowedOAuthFlows"]), ["code"]);
    assert_eq!(
        strings(&client["AllowedOAuthScopes"]),
        ["openid", "email", "profile"]
    );
    assert!(is_ref(&client["CallbackURLs"], "AuthCallbackUrls"));
    assert!(is_ref(&client["LogoutURLs"], "AuthCallbackUrls"));

    let urls = resource(&t, "WebSignInUrls");
    assert_eq!(urls["Type"].as_str(), Some("Custom::UserPoolClientUrls"));
    let props = &urls["Properties"];
    assert!(is_ref(&props["ClientId"], "UserPoolClient"));
    assert!(is_ref(&props["UserPoolId"], "UserPool"));
    assert!(is_ref(&props["ExtraUrls"], "AuthCallbackUrls"));
    assert_eq!(
        sub_text(&props["AppUrl"]),
        "https://${WebDistribution.DomainName}"
    );
    let handler = resource(&t, "WebSignInUrlsFunction")["Properties"]["Code"]["ZipFile"]
        .as_str()
        .unwrap();
    assert!(handler.contains("CallbackURLs=unique([app + \"/auth/callback\"] + extra)"));
    assert!(handler.contains("LogoutURLs=unique([app + \"/\"] + extra)"));
    assert!(handler.contains("\"AllowedOAuthFlows\""));

    let domain = &resource(&t, "UserPoolDomain")["Properties"]["Domain"];
    assert!(intrinsic(domain, "If").is_some());
}

#[test]
fn only_the_socket_message_function_may_transcribe_and_speak() {
    let t = template();
    let ws_default = function_for_binary(&t, "ws-default");
    let mut speech_actions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, resource) in resources(&t) {
        let mut found = BTreeSet::new();
        collect_strings(resource, &mut |s| {
            if s.starts_with("transcribe:") || s.starts_with("polly:") {
                found.insert(s.to_owned());
            }
        });
        if !found.is_empty() {
            speech_actions.insert(name.as_str().unwrap().to_owned(), found);
        }
    }
    let expected: BTreeSet<String> = [
        "polly:SynthesizeSpeech",
        "transcribe:StartStreamTranscription",
        "transcribe:StartStreamTranscriptionWebSocket",
    ]
    .map(String::from)
    .into();
    assert_eq!(
        speech_actions,
        BTreeMap::from([(ws_default.clone(), expected)])
    );

    for statement in policy_statements(resource(&t, &ws_default)) {
        let actions = strings(&statement["Action"]);
        if actions
            .iter()
            .any(|a| a.starts_with("transcribe:") || a.starts_with("polly:"))
        {
            assert_eq!(statement["Resource"].as_str(), Some("*"));
            assert!(
                actions
                    .iter()
                    .all(|a| a.starts_with("transcribe:") || a.starts_with("polly:")),
                "speech actions share a statement with nothing else: {actions:?}"
            );
        }
    }
}

#[test]
fn the_socket_message_function_is_configured_for_voice() {
    let t = template();
    let function = &resource(&t, &function_for_binary(&t, "ws-default"))["Properties"];
    assert!(function["MemorySize"].as_u64().unwrap() >= 1024);
    assert!(function["Timeout"].as_u64().unwrap() >= 60);

    let env = &function["Environment"]["Variables"];
    assert_eq!(env["PREPAI_SPEECH"].as_str(), Some("aws"));
    assert_eq!(env["PREPAI_POLLY_FORMAT"].as_str(), Some("mp3"));
    for (variable, parameter) in [
        ("PREPAI_TRANSCRIBE_LANGUAGE", "TranscribeLanguage"),
        ("PREPAI_POLLY_VOICE", "PollyVoice"),
        ("PREPAI_POLLY_ENGINE", "PollyEngine"),
        ("PREPAI_SILENCE_MS_CONVERSATION", "SilenceMsConversation"),
        ("PREPAI_SILENCE_MS_CODING", "SilenceMsCoding"),
    ] {
        assert!(
            is_ref(&env[variable], parameter),
            "{variable} = !Ref {parameter}"
        );
    }
    let keep = intrinsic(&env["PREPAI_KEEP_RECORDINGS"], "If").expect("!If");
    assert_eq!(keep[0].as_str(), Some("KeepRecordings"));
    assert_eq!(
        (keep[1].as_str(), keep[2].as_str()),
        (Some("true"), Some("false"))
    );
    let condition = intrinsic(&t["Conditions"]["KeepRecordings"], "Not").expect("!Not");
    let equals = intrinsic(&condition[0], "Equals").expect("!Equals");
    assert!(is_ref(&equals[0], "RecordingRetentionDays"));
    assert_eq!(equals[1].as_str(), Some("0"));

    let parameters = &t["Parameters"];
    let default = |name: &str| parameters[name]["Default"].clone();
    assert_eq!(default("TranscribeLanguage"), Value::from("en-US"));
    assert_eq!(default("PollyVoice"), Value::from("Joanna"));
    assert_eq!(default("PollyEngine"), Value::from("neural"));
    assert_eq!(
        strings(&parameters["PollyEngine"]["AllowedValues"]),
        ["standard", "neural", "generative", "long-form"]
    );
    assert_eq!(default("RecordingRetentionDays"), Value::from(7));
    assert_eq!(
        parameters["RecordingRetentionDays"]["MinValue"],
        Value::from(0)
    );
    assert_eq!(default("SilenceMsConversation"), Value::from(1500));
    assert_eq!(default("SilenceMsCoding"), Value::from(6000));

    let recordings = policy_statements(resource(&t, &function_for_binary(&t, "ws-default")))
        .into_iter()
        .find(|s| {
            intrinsic(&s["Resource"], "Sub").is_some()
                && sub_text(&s["Resource"]) == "${DataBucket.Arn}/recordings/*"
        })
        .expect("ws-default may use recordings/");
    let actions: BTreeSet<&str> = strings(&recordings["Action"]).into_iter().collect();
    assert_eq!(
        actions,
        BTreeSet::from(["s3:DeleteObject", "s3:GetObject", "s3:PutObject"])
    );
}

#[test]
fn recordings_expire_after_the_retention_parameter() {
    let t = template();
    let rules = resource(&t, "DataBucket")["Properties"]["LifecycleConfiguration"]["Rules"]
        .as_sequence()
        .unwrap();
    let ids: BTreeSet<&str> = rules.iter().filter_map(|r| r["Id"].as_str()).collect();
    for kept in ["expire-noncurrent-versions", "abort-incomplete-uploads"] {
        assert!(ids.contains(kept), "existing rule {kept} kept");
    }
    let conditional = rules
        .iter()
        .find_map(|r| intrinsic(r, "If"))
        .expect("the recordings rule exists only when recordings are kept");
    assert_eq!(conditional[0].as_str(), Some("KeepRecordings"));
    let rule = &conditional[1];
    assert_eq!(rule["Status"].as_str(), Some("Enabled"));
    assert_eq!(rule["Prefix"].as_str(), Some("recordings/"));
    assert!(is_ref(&rule["ExpirationInDays"], "RecordingRetentionDays"));
    assert!(is_ref(&conditional[2], "AWS::NoValue"));
}

#[test]
fn outputs_name_the_app_its_bucket_and_its_distribution() {
    let t = template();
    let outputs = &t["Outputs"];
    assert_eq!(
        sub_text(&outputs["WebAppUrl"]["Value"]),
        "https://${WebDistribution.DomainName}"
    );
    assert!(is_ref(&outputs["WebBucketName"]["Value"], "WebBucket"));
    assert!(is_ref(
        &outputs["DistributionId"]["Value"],
        "WebDistribution"
    ));
}

/// CloudFormation refuses a template whose resources depend on each other in a circle; the distribution, the user
/// pool client, the HTTP API and the `/config.json` function came close.
#[test]
fn resources_do_not_depend_on_each_other_in_a_cycle() {
    let t = template();
    let names: BTreeSet<String> = resources(&t)
        .keys()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    let graph: BTreeMap<String, BTreeSet<String>> = resources(&t)
        .iter()
        .map(|(name, r)| {
            let mut deps = BTreeSet::new();
            references(r, &names, &mut deps);
            for d in strings(&r["DependsOn"]) {
                deps.insert(d.to_owned());
            }
            (name.as_str().unwrap().to_owned(), deps)
        })
        .collect();
    assert!(
        graph["WebSignInUrls"].contains("WebDistribution"),
        "the reference walk sees !Sub references"
    );
    assert!(graph["HttpApi"].contains("UserPoolClient"));

    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Visiting,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) {
        match marks.get(node) {
            Some(Mark::Done) => return,
            Some(Mark::Visiting) => panic!("dependency cycle: {} -> {node}", path.join(" -> ")),
            None => {}
        }
        marks.insert(node.to_owned(), Mark::Visiting);
        path.push(node.to_owned());
        for next in &graph[node] {
            visit(next, graph, marks, path);
        }
        path.pop();
        marks.insert(node.to_owned(), Mark::Done);
    }
    let mut marks = BTreeMap::new();
    for name in graph.keys() {
        visit(name, &graph, &mut marks, &mut Vec::new());
    }
}

/// Every IAM statement in a SAM function's `Policies`.
fn policy_statements(function: &Value) -> Vec<&Value> {
    function["Properties"]["Policies"]
        .as_sequence()
        .into_iter()
        .flatten()
        .flat_map(|p| p["Statement"].as_sequence().into_iter().flatten())
        .collect()
}

fn collect_strings<'a>(value: &'a Value, found: &mut impl FnMut(&'a str)) {
    match value {
        Value::String(s) => found(s),
        Value::Sequence(items) => items.iter().for_each(|v| collect_strings(v, found)),
        Value::Mapping(map) => map.values().for_each(|v| collect_strings(v, found)),
        Value::Tagged(tagged) => collect_strings(&tagged.value, found),
        _ => {}
    }
}

/// The resources `value` refers to through `!Ref`, `!GetAtt` and `!Sub`.
fn references(value: &Value, names: &BTreeSet<String>, deps: &mut BTreeSet<String>) {
    let mut add = |name: &str| {
        if names.contains(name) {
            deps.insert(name.to_owned());
        }
    };
    if let Some(target) = intrinsic(value, "Ref").and_then(Value::as_str) {
        add(target);
    } else if let Some(target) = intrinsic(value, "GetAtt").and_then(Value::as_str) {
        add(target.split('.').next().unwrap());
    } else if intrinsic(value, "Sub").is_some() {
        let variables = sub_variables(value);
        let mut rest = sub_text(value);
        while let Some(start) = rest.find("${") {
            let end = start + rest[start..].find('}').expect("closed ${…}");
            let name = rest[start + 2..end].split('.').next().unwrap();
            if !variables.contains_key(name) {
                add(name);
            }
            rest = &rest[end..];
        }
        for v in variables.values() {
            references(v, names, deps);
        }
        return;
    }
    match value {
        Value::Sequence(items) => items.iter().for_each(|v| references(v, names, deps)),
        Value::Mapping(map) => map.values().for_each(|v| references(v, names, deps)),
        Value::Tagged(tagged) => references(&tagged.value, names, deps),
        _ => {}
    }
}
