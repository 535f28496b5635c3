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
    // In dev the client itself allows the code flow with DevCallbackUrls; in prod it cannot (Cognito refuses the
    // code flow without callback URLs, and the CloudFront URL would be a cycle), so WebSignInUrls turns it on.
    let dev = conditions(&[("IsDev", true)]);
    assert_eq!(
        resolve(&client["AllowedOAuthFlowsUserPoolClient"], &dev).as_bool(),
        Some(true)
    );
    assert_eq!(
        strings(&resolve(&client["AllowedOAuthFlows"], &dev)),
        ["code"]
    );
    assert_eq!(
        strings(&resolve(&client["AllowedOAuthScopes"], &dev)),
        ["openid", "email", "profile"]
    );
    assert!(is_ref(
        &resolve(&client["CallbackURLs"], &dev),
        "DevCallbackUrls"
    ));
    assert!(is_ref(
        &resolve(&client["LogoutURLs"], &dev),
        "DevCallbackUrls"
    ));

    let urls = resource(&t, "WebSignInUrls");
    assert_eq!(urls["Type"].as_str(), Some("Custom::UserPoolClientUrls"));
    let props = &urls["Properties"];
    assert!(is_ref(&props["ClientId"], "UserPoolClient"));
    assert!(is_ref(&props["UserPoolId"], "UserPool"));
    assert!(is_ref(
        &resolve(&props["ExtraUrls"], &dev),
        "DevCallbackUrls"
    ));
    assert_eq!(strings(&props["OAuthFlows"]), ["code"]);
    assert_eq!(
        strings(&props["OAuthScopes"]),
        ["openid", "email", "profile"]
    );
    assert_eq!(
        sub_text(&props["AppUrl"]),
        "https://${WebDistribution.DomainName}"
    );
    let handler = resource(&t, "WebSignInUrlsFunction")["Properties"]["Code"]["ZipFile"]
        .as_str()
        .unwrap();
    assert!(handler.contains("CallbackURLs=unique([app + \"/auth/callback\"] + extra)"));
    assert!(handler.contains("LogoutURLs=unique([app + \"/\"] + extra)"));
    assert!(handler.contains("AllowedOAuthFlowsUserPoolClient=True"));
    assert!(handler.contains("AllowedOAuthFlows=props[\"OAuthFlows\"]"));

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

// --- Deploying to AWS: models, the agent alias, the knowledge base, IAM, logs, limits, the build ---------------

/// The repository's root.
fn repo_file(path: &str) -> String {
    let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// Condition values to resolve `!If` with.
fn conditions(values: &[(&str, bool)]) -> BTreeMap<String, bool> {
    values.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

fn is_no_value(value: &Value) -> bool {
    is_ref(value, "AWS::NoValue")
}

/// `value` with every `!If` whose condition is in `known` replaced by its chosen branch, and `AWS::NoValue`
/// entries dropped from sequences and mappings (a property that resolves to it becomes `Null`).
fn resolve(value: &Value, known: &BTreeMap<String, bool>) -> Value {
    if let Some(args) = intrinsic(value, "If") {
        let name = args[0].as_str().expect("!If [condition, then, else]");
        if let Some(&holds) = known.get(name) {
            let chosen = &args[if holds { 1 } else { 2 }];
            return if is_no_value(chosen) {
                Value::Null
            } else {
                resolve(chosen, known)
            };
        }
    }
    match value {
        Value::Sequence(items) => Value::Sequence(
            items
                .iter()
                .map(|v| resolve(v, known))
                .filter(|v| !v.is_null() && !is_no_value(v))
                .collect(),
        ),
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .map(|(k, v)| (k.clone(), resolve(v, known)))
                .filter(|(_, v)| !v.is_null() && !is_no_value(v))
                .collect(),
        ),
        Value::Tagged(tagged) => Value::Tagged(Box::new(serde_yaml::value::TaggedValue {
            tag: tagged.tag.clone(),
            value: resolve(&tagged.value, known),
        })),
        other => other.clone(),
    }
}

/// A string property written plainly or as a `!Sub` template.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        _ => sub_text(value).to_owned(),
    }
}

fn parameter_default(template: &Value, name: &str) -> Value {
    let parameter = &template["Parameters"][name];
    assert!(!parameter.is_null(), "no parameter {name}");
    parameter["Default"].clone()
}

/// The logical ids of every resource of `kind`.
fn resources_of(template: &Value, kind: &str) -> Vec<String> {
    resources(template)
        .iter()
        .filter(|(_, r)| r["Type"].as_str() == Some(kind))
        .map(|(name, _)| name.as_str().unwrap().to_owned())
        .collect()
}

/// SAM's merge of `Globals.Function` into a function's properties: maps merge key by key, the function wins.
fn merged_function_properties(template: &Value, name: &str) -> Value {
    fn merge(global: &Value, local: &Value) -> Value {
        match (global, local) {
            (Value::Mapping(g), Value::Mapping(l)) => {
                let mut out = g.clone();
                for (k, v) in l {
                    let merged = match g.get(k) {
                        Some(gv) => merge(gv, v),
                        None => v.clone(),
                    };
                    out.insert(k.clone(), merged);
                }
                Value::Mapping(out)
            }
            (_, local) => local.clone(),
        }
    }
    merge(
        &template["Globals"]["Function"],
        &resource(template, name)["Properties"],
    )
}

/// Every statement of an `AWS::IAM::Role`'s inline policies.
fn role_statements(role: &Value) -> Vec<&Value> {
    role["Properties"]["Policies"]
        .as_sequence()
        .into_iter()
        .flatten()
        .flat_map(|p| {
            p["PolicyDocument"]["Statement"]
                .as_sequence()
                .into_iter()
                .flatten()
        })
        .collect()
}

/// The resources of a statement as text (`!Sub` templates, `!GetAtt` as `X.Attr`, `!If` branches both listed).
fn resource_texts(statement: &Value) -> Vec<String> {
    fn walk(value: &Value, out: &mut Vec<String>) {
        if let Some(args) = intrinsic(value, "If") {
            walk(&args[1], out);
            walk(&args[2], out);
        } else if let Some(target) = intrinsic(value, "GetAtt") {
            out.push(target.as_str().unwrap_or_default().to_owned());
        } else if intrinsic(value, "Sub").is_some() {
            out.push(sub_text(value).to_owned());
        } else if is_no_value(value) {
        } else {
            match value {
                Value::String(s) => out.push(s.clone()),
                Value::Sequence(items) => items.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&statement["Resource"], &mut out);
    out
}

/// Whether some Allow statement grants `action` on a resource whose text is exactly `arn`.
fn allows(statements: &[&Value], action: &str, arn: &str) -> bool {
    statements.iter().any(|s| {
        s["Effect"].as_str() == Some("Allow")
            && strings(&s["Action"]).contains(&action)
            && resource_texts(s).iter().any(|r| r == arn)
    })
}

const AGENT_PROFILE: &str = "arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:inference-profile/${InferenceGeography}.${AgentFoundationModel}";
const AGENT_MODEL_EVERY_REGION: &str =
    "arn:${AWS::Partition}:bedrock:*::foundation-model/${AgentFoundationModel}";
const AGENT_MODEL_GLOBAL: &str =
    "arn:${AWS::Partition}:bedrock:::foundation-model/${AgentFoundationModel}";

#[test]
fn the_agent_streams_through_a_cross_region_profile_with_every_permission_that_needs() {
    let t = template();
    let agent = &resource(&t, "InterviewAgent")["Properties"];
    assert_eq!(
        text_of(&agent["FoundationModel"]),
        "${InferenceGeography}.${AgentFoundationModel}",
        "the agent runs on the inference profile, not the bare model id"
    );
    let role = resource(&t, "AgentRole");
    let statements = role_statements(role);
    for action in [
        "bedrock:InvokeModel",
        "bedrock:InvokeModelWithResponseStream",
    ] {
        for arn in [AGENT_PROFILE, AGENT_MODEL_EVERY_REGION, AGENT_MODEL_GLOBAL] {
            assert!(allows(&statements, action, arn), "{action} on {arn}");
        }
    }
    assert!(allows(
        &statements,
        "bedrock:GetInferenceProfile",
        AGENT_PROFILE
    ));
    // The Region-less model ARN is what a global profile is authorised against; only then is it granted.
    let global = statements
        .iter()
        .find(|s| resource_texts(s).contains(&AGENT_MODEL_GLOBAL.to_owned()))
        .unwrap();
    let global_if = global["Resource"]
        .as_sequence()
        .unwrap()
        .iter()
        .find_map(|r| intrinsic(r, "If"))
        .expect("the global ARN is conditional");
    assert_eq!(global_if[0].as_str(), Some("GlobalInference"));
    // Foundation models in any Region, but only through this stack's profile.
    assert_eq!(
        text_of(&global["Condition"]["StringEquals"]["bedrock:InferenceProfileArn"]),
        AGENT_PROFILE
    );
    let trust = &role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
    assert!(text_of(&trust["Condition"]["ArnLike"]["aws:SourceArn"]).ends_with(":agent/*"));
}

#[test]
fn the_default_models_are_current_ones_and_the_judge_has_its_own() {
    let t = template();
    let agent_model = parameter_default(&t, "AgentFoundationModel");
    let judge_model = parameter_default(&t, "JudgeModel");
    for model in [&agent_model, &judge_model] {
        let model = model.as_str().unwrap();
        assert_ne!(
            model, "anthropic.claude-3-5-haiku-20241022-v1:0",
            "end of life on Bedrock"
        );
        assert!(!model.contains("claude-3"), "{model}: Claude 3.x is legacy");
        assert_eq!(model, "anthropic.claude-haiku-4-5-20251001-v1:0");
    }
    assert_eq!(
        parameter_default(&t, "InferenceGeography"),
        Value::from("us")
    );
    assert_eq!(
        strings(&t["Parameters"]["InferenceGeography"]["AllowedValues"]),
        ["us", "eu", "apac", "global"]
    );

    // The functions that end interviews ask the judge; each is given the profile and may call its model only
    // through it.
    let profile = "arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:inference-profile/${InferenceGeography}.${JudgeModel}";
    let judges: Vec<String> = ["end-interview", "ws-default", "performance-evaluator"]
        .iter()
        .map(|binary| function_for_binary(&t, binary))
        .collect();
    for judge in &judges {
        let env = &resource(&t, judge)["Properties"]["Environment"]["Variables"];
        assert_eq!(
            text_of(&env["PREPAI_JUDGE_MODEL"]),
            "${InferenceGeography}.${JudgeModel}",
            "{judge}"
        );
        let statements = policy_statements(resource(&t, judge));
        for arn in [
            profile,
            "arn:${AWS::Partition}:bedrock:*::foundation-model/${JudgeModel}",
            "arn:${AWS::Partition}:bedrock:::foundation-model/${JudgeModel}",
        ] {
            assert!(
                allows(&statements, "bedrock:InvokeModel", arn),
                "{judge}: {arn}"
            );
        }
    }
    // No other function may call models directly.
    for (name, r) in resources(&t) {
        let name = name.as_str().unwrap();
        if r["Type"].as_str() == Some("AWS::Serverless::Function")
            && !judges.iter().any(|j| j == name)
        {
            for s in policy_statements(r) {
                assert!(
                    !strings(&s["Action"])
                        .iter()
                        .any(|a| a.starts_with("bedrock:Invoke") && *a != "bedrock:InvokeAgent"),
                    "{name} may invoke models"
                );
            }
        }
    }
}

#[test]
fn every_deploy_that_changes_the_agent_moves_the_live_alias_to_a_new_version() {
    let t = template();
    let alias = &resource(&t, "InterviewAgentAlias")["Properties"];
    assert_eq!(alias["AgentAliasName"].as_str(), Some("live"));
    assert!(
        alias["RoutingConfiguration"].is_null(),
        "a pinned version would keep the alias where it is"
    );
    assert!(
        text_of(&alias["Description"]).contains("${AgentRevision}"),
        "the description must change with the agent, or CloudFormation never updates the alias"
    );
    assert_eq!(
        resource(&t, "InterviewAgent")["Properties"]["AutoPrepare"].as_bool(),
        Some(true)
    );
    assert!(
        t["Parameters"]["AgentRevision"]["AllowedPattern"]
            .as_str()
            .is_some()
    );
    let deploy = repo_file("scripts/deploy");
    assert!(
        deploy.contains("AgentRevision="),
        "scripts/deploy passes AgentRevision"
    );
}

#[test]
fn the_interviewer_can_hand_a_coding_problem_back_to_the_server() {
    let t = template();
    let agent = &resource(&t, "InterviewAgent")["Properties"];
    let group = agent["ActionGroups"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|g| g["ActionGroupExecutor"]["CustomControl"].as_str() == Some("RETURN_CONTROL"))
        .expect("a return-control action group");
    let function = &group["FunctionSchema"]["Functions"][0];
    assert_eq!(function["Name"].as_str(), Some("present_coding_problem"));
    let parameter = &function["Parameters"]["problemId"];
    assert_eq!(parameter["Type"].as_str(), Some("string"));
    assert_eq!(parameter["Required"].as_bool(), Some(true));
    assert!(
        agent["Instruction"]
            .as_str()
            .unwrap()
            .contains("present_coding_problem")
    );
}

#[test]
fn the_vector_index_keeps_bedrock_text_out_of_filterable_metadata() {
    let t = template();
    let index = &resource(&t, "QuestionVectorIndex")["Properties"];
    assert_eq!(
        strings(&index["MetadataConfiguration"]["NonFilterableMetadataKeys"]),
        ["AMAZON_BEDROCK_TEXT", "AMAZON_BEDROCK_METADATA"]
    );
    // The metadata configuration cannot change in place, so the index (and the knowledge base) got new names.
    assert_ne!(index["IndexName"].as_str(), Some("questions"));
    let kb = &resource(&t, "QuestionBankKnowledgeBase")["Properties"];
    let version = index["IndexName"]
        .as_str()
        .unwrap()
        .rsplit('-')
        .next()
        .unwrap();
    assert!(text_of(&kb["Name"]).ends_with(&format!("-{version}")));
    assert_eq!(index["Dimension"].as_u64(), Some(1024));
}

#[test]
fn the_knowledge_base_ingests_one_staged_question_per_chunk() {
    let t = template();
    let source = &resource(&t, "QuestionBankDataSource")["Properties"];
    assert_eq!(
        source["VectorIngestionConfiguration"]["ChunkingConfiguration"]["ChunkingStrategy"]
            .as_str(),
        Some("NONE")
    );
    let prefixes =
        strings(&source["DataSourceConfiguration"]["S3Configuration"]["InclusionPrefixes"]);
    assert_eq!(prefixes, ["question-bank/"]);
    assert_eq!(
        t["Outputs"]["KnowledgePrefix"]["Value"].as_str(),
        Some(prefixes[0])
    );
    let role = role_statements(resource(&t, "KnowledgeBaseRole"));
    assert!(allows(
        &role,
        "s3:GetObject",
        "${KnowledgeBucket.Arn}/question-bank/*"
    ));
    let deploy = repo_file("scripts/deploy");
    for step in [
        "scripts/stage-knowledge",
        "start-ingestion-job",
        "KnowledgePrefix",
    ] {
        assert!(deploy.contains(step), "scripts/deploy: {step}");
    }
}

/// What each function may do in the data bucket: `prefix → actions`, with `(bucket)` for `s3:ListBucket`. Every
/// function that reads may find an object missing, so each reader lists too (S3 answers 403 instead of 404
/// otherwise). Derived from the use cases in each function's comment.
fn expected_bucket_access()
-> BTreeMap<&'static str, BTreeMap<&'static str, &'static [&'static str]>> {
    const R: &[&str] = &["s3:GetObject"];
    const RW: &[&str] = &["s3:GetObject", "s3:PutObject"];
    const RWD: &[&str] = &["s3:DeleteObject", "s3:GetObject", "s3:PutObject"];
    const W: &[&str] = &["s3:PutObject"];
    const WD: &[&str] = &["s3:DeleteObject", "s3:PutObject"];
    const D: &[&str] = &["s3:DeleteObject"];
    const RWD_CVS: &[&str] = RWD;
    const LIST: &[&str] = &["s3:ListBucket"];
    let readers = |prefixes: &[&'static str]| {
        let mut m: BTreeMap<&'static str, &'static [&'static str]> = BTreeMap::new();
        m.insert("(bucket)", LIST);
        for p in prefixes {
            m.insert(p, R);
        }
        m
    };
    let mut e = BTreeMap::new();
    e.insert(
        "create-session",
        BTreeMap::from([
            ("(bucket)", LIST),
            ("sessions", RW),
            ("analytics", RW),
            ("quotas", RW),
            ("owners", W),
        ]),
    );
    for binary in [
        "list-sessions",
        "get-session",
        "get-transcript",
        "get-cv-analysis",
    ] {
        e.insert(binary, readers(&["sessions"]));
    }
    e.insert(
        "delete-session",
        BTreeMap::from([
            ("(bucket)", LIST),
            ("sessions", RWD),
            ("analytics", RW),
            ("owners", D),
            ("cvs", D),
            ("reports", D),
            ("recordings", D),
            ("submissions", D),
            ("drafts", D),
        ]),
    );
    e.insert(
        "save-draft",
        BTreeMap::from([("(bucket)", LIST), ("sessions", R), ("drafts", WD)]),
    );
    e.insert("list-drafts", readers(&["sessions", "drafts"]));
    e.insert(
        "correct-cv-analysis",
        BTreeMap::from([("(bucket)", LIST), ("sessions", RW)]),
    );
    e.insert(
        "upload-cv",
        BTreeMap::from([("(bucket)", LIST), ("sessions", RW), ("cvs", RWD_CVS)]),
    );
    e.insert(
        "end-interview",
        BTreeMap::from([
            ("(bucket)", LIST),
            ("sessions", RW),
            ("analytics", RW),
            ("reports", RWD),
            ("submissions", R),
        ]),
    );
    e.insert("get-performance-report", readers(&["sessions", "reports"]));
    e.insert(
        "execute-code",
        BTreeMap::from([
            ("(bucket)", LIST),
            ("sessions", RW),
            ("quotas", RW),
            ("submissions", WD),
        ]),
    );
    for binary in ["list-submissions", "get-submission", "quality-summary"] {
        e.insert(binary, readers(&["sessions", "submissions"]));
    }
    for binary in [
        "analytics-aggregate",
        "analytics-benchmarks",
        "analytics-trends",
        "candidate-history",
        "analytics-history",
    ] {
        e.insert(binary, readers(&["analytics"]));
    }
    e.insert(
        "ws-connect",
        BTreeMap::from([("(bucket)", LIST), ("sessions", R), ("connections", W)]),
    );
    e.insert(
        "ws-default",
        BTreeMap::from([
            ("(bucket)", LIST),
            ("sessions", RW),
            ("analytics", RW),
            ("quotas", RW),
            ("connections", RWD),
            ("recordings", RWD),
            ("submissions", RWD),
            ("reports", RWD),
        ]),
    );
    e.insert("ws-disconnect", BTreeMap::from([("connections", D)]));
    e.insert("code-executor", BTreeMap::new());
    e.insert("cv-analyzer", readers(&["sessions"]));
    e.insert(
        "performance-evaluator",
        BTreeMap::from([
            ("(bucket)", LIST),
            ("sessions", RW),
            ("analytics", RW),
            ("reports", RWD),
            ("submissions", R),
        ]),
    );
    e
}

#[test]
fn each_function_may_touch_exactly_the_bucket_prefixes_its_use_cases_need() {
    let t = template();
    let expected = expected_bucket_access();
    let mut seen = BTreeSet::new();
    for name in resources_of(&t, "AWS::Serverless::Function") {
        let function = resource(&t, &name);
        let binary = function["Metadata"]["BuildProperties"]["Binary"]
            .as_str()
            .unwrap();
        seen.insert(binary);
        for policy in function["Properties"]["Policies"]
            .as_sequence()
            .into_iter()
            .flatten()
        {
            assert!(
                policy["Statement"].is_sequence(),
                "{name}: inline statements only, no SAM policy templates"
            );
        }
        let mut granted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for statement in policy_statements(function) {
            assert_eq!(statement["Effect"].as_str(), Some("Allow"));
            for action in strings(&statement["Action"]) {
                if !action.starts_with("s3:") {
                    continue;
                }
                for resource in resource_texts(statement) {
                    let prefix = if resource == "DataBucket.Arn" {
                        "(bucket)".to_owned()
                    } else {
                        let rest =
                            resource
                                .strip_prefix("${DataBucket.Arn}/")
                                .unwrap_or_else(|| {
                                    panic!("{name}: {resource} is not in the data bucket")
                                });
                        let prefix = rest
                            .strip_suffix("/*")
                            .unwrap_or_else(|| panic!("{name}: {resource} is not a whole prefix"));
                        assert!(!prefix.contains('*'), "{name}: {resource}");
                        prefix.to_owned()
                    };
                    granted.entry(prefix).or_default().insert(action.to_owned());
                }
            }
        }
        let want: BTreeMap<String, BTreeSet<String>> = expected
            .get(binary)
            .unwrap_or_else(|| panic!("no expectation for {binary}"))
            .iter()
            .map(|(p, a)| ((*p).to_owned(), a.iter().map(|s| (*s).to_owned()).collect()))
            .collect();
        assert_eq!(granted, want, "{name} ({binary})");
    }
    assert_eq!(
        seen,
        expected.keys().copied().collect(),
        "every function has an expectation"
    );
}

#[test]
fn every_function_logs_json_to_its_own_log_group_kept_30_days_and_is_traced() {
    let t = template();
    assert_eq!(parameter_default(&t, "LogRetentionDays"), Value::from(30));
    assert_eq!(t["Globals"]["Function"]["Tracing"].as_str(), Some("Active"));
    let mut groups = BTreeSet::new();
    let mut functions = resources_of(&t, "AWS::Serverless::Function");
    functions.extend(resources_of(&t, "AWS::Lambda::Function"));
    assert!(functions.len() >= 24);
    for name in functions {
        let properties =
            if resource(&t, &name)["Type"].as_str() == Some("AWS::Serverless::Function") {
                merged_function_properties(&t, &name)
            } else {
                resource(&t, &name)["Properties"].clone()
            };
        let logging = &properties["LoggingConfig"];
        assert_eq!(logging["LogFormat"].as_str(), Some("JSON"), "{name}");
        let level = intrinsic(&logging["ApplicationLogLevel"], "FindInMap")
            .unwrap_or_else(|| panic!("{name}: the level follows LogLevel"));
        assert!(is_ref(&level[1], "LogLevel"));
        let group = intrinsic(&logging["LogGroup"], "Ref")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{name}: LoggingConfig.LogGroup"));
        assert!(groups.insert(group.to_owned()), "{name} shares {group}");
        let log_group = resource(&t, group);
        assert_eq!(log_group["Type"].as_str(), Some("AWS::Logs::LogGroup"));
        assert!(is_ref(
            &log_group["Properties"]["RetentionInDays"],
            "LogRetentionDays"
        ));
    }
    for level in ["error", "warn", "info", "debug"] {
        assert_eq!(
            t["Mappings"]["LambdaLogLevel"][level]["Level"].as_str(),
            Some(level.to_uppercase().as_str())
        );
    }
    // The code executor has its own role, so SAM does not add the X-Ray policy to it.
    let executor_role = &resource(&t, "CodeExecutorRole")["Properties"]["ManagedPolicyArns"];
    assert!(
        executor_role
            .as_sequence()
            .unwrap()
            .iter()
            .any(|a| text_of(a).ends_with(":policy/AWSXrayWriteOnlyAccess"))
    );
}

#[test]
fn both_apis_write_json_access_logs() {
    let t = template();
    let http = &resource(&t, "HttpApi")["Properties"]["AccessLogSettings"];
    let socket = &resource(&t, "InterviewSocketStage")["Properties"]["AccessLogSettings"];
    for settings in [http, socket] {
        let format = settings["Format"].as_str().expect("a format");
        let parsed: serde_json::Value = serde_json::from_str(format).expect("the format is JSON");
        assert_eq!(parsed["requestId"], "$context.requestId");
        let group = intrinsic(&settings["DestinationArn"], "GetAtt")
            .and_then(Value::as_str)
            .unwrap();
        let group = resource(&t, group.split('.').next().unwrap());
        assert!(is_ref(
            &group["Properties"]["RetentionInDays"],
            "LogRetentionDays"
        ));
    }
    // WebSocket stages log only once the account has API Gateway's CloudWatch role.
    let depends = strings(&resource(&t, "InterviewSocketStage")["DependsOn"]);
    assert!(depends.contains(&"ApiGatewayAccount"));
}

/// The alarms, by what they watch.
fn alarms(template: &Value) -> Vec<(&str, &Value)> {
    resources(template)
        .iter()
        .filter(|(_, r)| r["Type"].as_str() == Some("AWS::CloudWatch::Alarm"))
        .map(|(n, r)| (n.as_str().unwrap(), &r["Properties"]))
        .collect()
}

fn alarm_metrics(alarm: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(name) = alarm["MetricName"].as_str() {
        out.push((
            alarm["Namespace"].as_str().unwrap().to_owned(),
            name.to_owned(),
        ));
    }
    for m in alarm["Metrics"].as_sequence().into_iter().flatten() {
        let metric = &m["MetricStat"]["Metric"];
        if let Some(name) = metric["MetricName"].as_str() {
            out.push((
                metric["Namespace"].as_str().unwrap().to_owned(),
                name.to_owned(),
            ));
        }
    }
    out
}

#[test]
fn alarms_and_the_budget_notify_one_topic() {
    let t = template();
    assert_eq!(
        resource(&t, "AlarmTopic")["Type"].as_str(),
        Some("AWS::SNS::Topic")
    );
    let all = alarms(&t);
    for (name, alarm) in &all {
        assert!(
            alarm["AlarmActions"]
                .as_sequence()
                .is_some_and(|a| a.iter().any(|x| is_ref(x, "AlarmTopic"))),
            "{name} notifies AlarmTopic"
        );
    }
    let watching = |namespace: &str, metric: &str| {
        all.iter()
            .filter(|(_, a)| {
                alarm_metrics(a)
                    .iter()
                    .any(|(n, m)| n == namespace && m == metric)
            })
            .map(|(_, a)| *a)
            .collect::<Vec<_>>()
    };
    let five_xx = watching("AWS/ApiGateway", "5xx");
    assert_eq!(five_xx.len(), 1);
    let expression = five_xx[0]["Metrics"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|m| m["ReturnData"].as_bool() == Some(true))
        .unwrap();
    assert!(
        expression["Expression"]
            .as_str()
            .unwrap()
            .contains("/ requests"),
        "a rate, not a count"
    );
    assert!(!watching("AWS/Lambda", "Errors").is_empty());
    assert!(!watching("AWS/Lambda", "Throttles").is_empty());
    assert!(!watching("AWS/Bedrock", "InvocationServerErrors").is_empty());
    let executor_timeout = resource(&t, "CodeExecutorFunction")["Properties"]["Timeout"]
        .as_f64()
        .unwrap();
    let near_timeout = watching("AWS/Lambda", "Duration")
        .into_iter()
        .find(|a| is_ref(&a["Dimensions"][0]["Value"], "CodeExecutorFunction"))
        .expect("an alarm on the code executor's duration");
    let threshold = near_timeout["Threshold"].as_f64().unwrap();
    assert!(threshold < executor_timeout * 1000.0 && threshold >= executor_timeout * 500.0);

    let email = resource(&t, "AlarmEmailSubscription");
    assert_eq!(email["Condition"].as_str(), Some("HasAlarmEmail"));
    assert_eq!(parameter_default(&t, "AlarmEmail"), Value::from(""));

    let budget = resource(&t, "MonthlyCostBudget");
    assert_eq!(budget["Type"].as_str(), Some("AWS::Budgets::Budget"));
    for n in budget["Properties"]["NotificationsWithSubscribers"]
        .as_sequence()
        .unwrap()
    {
        let subscriber = &n["Subscribers"][0];
        assert_eq!(subscriber["SubscriptionType"].as_str(), Some("SNS"));
        assert!(is_ref(&subscriber["Address"], "AlarmTopic"));
    }
    let policy = &resource(&t, "AlarmTopicPolicy")["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(
        policy["Principal"]["Service"].as_str(),
        Some("budgets.amazonaws.com")
    );
    assert_eq!(
        resource(&t, "Dashboard")["Type"].as_str(),
        Some("AWS::CloudWatch::Dashboard")
    );
}

#[test]
fn waf_limits_requests_per_client_ip_and_per_token_in_front_of_cloudfront() {
    let t = template();
    let acl = resource(&t, "WebAcl");
    assert_eq!(acl["Condition"].as_str(), Some("CreateWebAcl"));
    let properties = &acl["Properties"];
    assert_eq!(properties["Scope"].as_str(), Some("CLOUDFRONT"));
    let rules = properties["Rules"].as_sequence().unwrap();
    let rate = |r: &&Value| r["Statement"]["RateBasedStatement"].clone();
    assert!(
        rules
            .iter()
            .map(|r| rate(&r))
            .any(|s| s["AggregateKeyType"].as_str() == Some("IP")),
        "a rule per client IP"
    );
    assert!(
        rules.iter().map(|r| rate(&r)).any(|s| {
            s["AggregateKeyType"].as_str() == Some("CUSTOM_KEYS")
                && s["CustomKeys"][0]["Header"]["Name"]
                    .as_str()
                    .is_some_and(|h| h.eq_ignore_ascii_case("authorization"))
        }),
        "a rule per Authorization header"
    );
    for rule in rules {
        assert!(rule["Action"]["Block"].is_mapping());
    }
    // CLOUDFRONT-scope ACLs exist only in us-east-1: created there, taken from WebAclArn elsewhere.
    let create = intrinsic(&t["Conditions"]["CreateWebAcl"], "And").unwrap();
    let region = intrinsic(&create[0], "Equals").unwrap();
    assert!(is_ref(&region[0], "AWS::Region"));
    assert_eq!(region[1].as_str(), Some("us-east-1"));
    let web_acl_id = &distribution_config(&t)["WebACLId"];
    let outer = intrinsic(web_acl_id, "If").unwrap();
    assert_eq!(outer[0].as_str(), Some("HasWebAclArn"));
    assert!(is_ref(&outer[1], "WebAclArn"));
    let inner = intrinsic(&outer[2], "If").unwrap();
    assert_eq!(inner[0].as_str(), Some("CreateWebAcl"));
    assert_eq!(
        intrinsic(&inner[1], "GetAtt").and_then(Value::as_str),
        Some("WebAcl.Arn")
    );
}

#[test]
fn the_code_executor_has_reserved_concurrency() {
    let t = template();
    let executor = &resource(&t, &function_for_binary(&t, "code-executor"))["Properties"];
    let reserved = intrinsic(&executor["ReservedConcurrentExecutions"], "If").expect("!If");
    assert_eq!(
        reserved[0].as_str(),
        Some("ReservesCodeExecutorConcurrency")
    );
    assert!(is_ref(&reserved[1], "CodeExecutorConcurrency"));
    assert!(is_no_value(&reserved[2]));
    assert!(
        parameter_default(&t, "CodeExecutorConcurrency")
            .as_u64()
            .unwrap()
            > 0
    );
}

/// A number from the README's socket throttling table: the row whose first cell is `label`.
fn readme_figure(readme: &str, label: &str) -> f64 {
    let row = readme
        .lines()
        .find(|l| l.starts_with(&format!("| {label} |")))
        .unwrap_or_else(|| panic!("README has no row '{label}'"));
    let cell = row.split('|').nth(2).unwrap().trim().replace(',', "");
    cell.parse()
        .unwrap_or_else(|_| panic!("'{label}': {cell} is not a number"))
}

#[test]
fn socket_throttling_is_sized_for_the_speakers_the_readme_counts() {
    let t = template();
    let readme = repo_file("README.md");
    let speakers = readme_figure(&readme, "concurrent speakers");
    let audio = readme_figure(&readme, "audio messages per speaker per second");
    let control = readme_figure(&readme, "control messages per speaker per second");
    let headroom = readme_figure(&readme, "headroom factor");
    let burst_seconds = readme_figure(&readme, "burst, seconds of the rate");
    // A 16,000-byte chunk of 16 kHz mono PCM16 (2 bytes a sample) is half a second: two a second per speaker.
    let chunk_seconds = 16_000.0 / (16_000.0 * 2.0);
    assert_eq!(audio, 1.0 / chunk_seconds);
    let rate = speakers * (audio + control) * headroom;
    let burst = rate * burst_seconds;
    assert_eq!(readme_figure(&readme, "$default rate limit"), rate);
    assert_eq!(readme_figure(&readme, "$default burst limit"), burst);

    let stage = &resource(&t, "InterviewSocketStage")["Properties"];
    let default = &stage["RouteSettings"]["$default"];
    assert_eq!(default["ThrottlingRateLimit"].as_f64(), Some(rate));
    assert_eq!(default["ThrottlingBurstLimit"].as_f64(), Some(burst));
}

#[test]
fn the_socket_stage_redeploys_itself_when_routes_change() {
    let t = template();
    let stage = resource(&t, "InterviewSocketStage");
    assert_eq!(stage["Properties"]["AutoDeploy"].as_bool(), Some(true));
    assert!(stage["Properties"]["DeploymentId"].is_null());
    assert!(resources_of(&t, "AWS::ApiGatewayV2::Deployment").is_empty());
    let depends = strings(&stage["DependsOn"]);
    for route in ["WsConnectRoute", "WsDefaultRoute", "WsDisconnectRoute"] {
        assert!(depends.contains(&route), "{route}");
    }
}

#[test]
fn the_user_pool_outlives_the_stack_and_refuses_deletion() {
    let t = template();
    let pool = resource(&t, "UserPool");
    assert_eq!(pool["DeletionPolicy"].as_str(), Some("Retain"));
    assert_eq!(pool["UpdateReplacePolicy"].as_str(), Some("Retain"));
    assert_eq!(
        pool["Properties"]["DeletionProtection"].as_str(),
        Some("ACTIVE")
    );
}

#[test]
fn production_allows_no_localhost_sign_in_or_cors() {
    let t = template();
    let condition = intrinsic(&t["Conditions"]["IsDev"], "Equals").unwrap();
    assert!(is_ref(&condition[0], "Environment"));
    assert_eq!(condition[1].as_str(), Some("dev"));
    assert_eq!(parameter_default(&t, "Environment"), Value::from("prod"));

    let prod = conditions(&[("IsDev", false)]);
    let checked = [
        &resource(&t, "UserPoolClient")["Properties"]["CallbackURLs"],
        &resource(&t, "UserPoolClient")["Properties"]["LogoutURLs"],
        &resource(&t, "WebSignInUrls")["Properties"]["ExtraUrls"],
        &resource(&t, "HttpApi")["Properties"]["CorsConfiguration"],
    ];
    for value in checked {
        let resolved = resolve(value, &prod);
        // Whatever is left, with parameters at their defaults, names no localhost.
        let mut texts = Vec::new();
        collect_strings(&resolved, &mut |s| texts.push(s.to_owned()));
        for parameter in texts.clone() {
            if let Some(default) = t["Parameters"][parameter.as_str()]["Default"].as_str() {
                texts.push(default.to_owned());
            }
        }
        for text in texts {
            assert!(
                !text.contains("localhost") && !text.contains("127.0.0.1"),
                "prod allows {text}"
            );
        }
    }
    let samconfig = repo_file("samconfig.toml");
    assert!(samconfig.contains(r#"Environment=\"prod\""#));
    assert!(!samconfig.contains("localhost"));
}

#[test]
fn sam_builds_every_function_through_one_small_makefile() {
    let t = template();
    let makefile = repo_file("build/lambda/Makefile");
    for name in resources_of(&t, "AWS::Serverless::Function") {
        let function = resource(&t, &name);
        assert_eq!(
            function["Metadata"]["BuildMethod"].as_str(),
            Some("makefile"),
            "{name}"
        );
        assert_eq!(
            function["Properties"]["CodeUri"].as_str(),
            Some("build/lambda"),
            "{name}: a small CodeUri, so SAM never hashes target/ or node_modules"
        );
        let binary = function["Metadata"]["BuildProperties"]["Binary"]
            .as_str()
            .unwrap();
        let target = format!("build-{name}: binaries\n\t$(call install,{binary})\n");
        assert!(makefile.contains(&target), "Makefile lacks:\n{target}");
    }
    assert!(makefile.contains("cargo lambda build --release --arm64"));
    let requirements = repo_file("build/lambda/requirements.txt");
    for tool in ["cargo-lambda==", "ziglang==", "aws-sam-cli=="] {
        assert!(requirements.contains(tool), "{tool} pinned");
    }
    let samconfig = repo_file("samconfig.toml");
    assert!(samconfig.contains("build_in_source = true"));
    assert!(
        samconfig.contains("cached = false"),
        "SAM's cache would hash only build/lambda"
    );
}
