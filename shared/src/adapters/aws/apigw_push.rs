//! Replies to WebSocket clients through API Gateway's management API (PostToConnection).

use async_trait::async_trait;
use aws_sdk_apigatewaymanagement::Client;
use aws_sdk_apigatewaymanagement::primitives::Blob;

use crate::domain::ConnectionId;
use crate::ports::{PushChannel, PushError};

/// PostToConnection against one API's stage endpoint (`https://{domain}/{stage}`).
#[derive(Clone)]
pub struct ApiGatewayPush {
    client: Client,
}

impl ApiGatewayPush {
    /// A pusher for the endpoint a WebSocket event came from.
    pub fn new(sdk: &aws_config::SdkConfig, endpoint: &str) -> Self {
        let config = aws_sdk_apigatewaymanagement::config::Builder::from(sdk)
            .endpoint_url(endpoint)
            .build();
        Self {
            client: Client::from_conf(config),
        }
    }

    /// Over a ready client (tests point one at a loopback endpoint).
    pub fn from_client(client: Client) -> Self {
        Self { client }
    }
}

#[async_trait]
impl PushChannel for ApiGatewayPush {
    async fn push(&self, connection: &ConnectionId, text: String) -> Result<(), PushError> {
        match self
            .client
            .post_to_connection()
            .connection_id(connection.as_str())
            .data(Blob::new(text.into_bytes()))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_gone_exception()) => {
                Err(PushError::Gone(connection.to_string()))
            }
            Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 410) => {
                Err(PushError::Gone(connection.to_string()))
            }
            Err(e) => Err(PushError::Failed {
                connection: connection.to_string(),
                message: format!("{e:?}").chars().take(300).collect(),
            }),
        }
    }
}
